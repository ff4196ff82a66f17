// The films TMDB could not match (not_found, failed), each group paged, and the retry button.

import { api } from "../lib/api.js";
import { $, h, show } from "../lib/dom.js";
import { num } from "../lib/format.js";
import { alertError, clearMessages } from "./messages.js";

const PAGE_SIZE = 100;
const GROUPS = [
  { status: "not_found", title: "Not found", key: "not_found" },
  { status: "failed", title: "Could not be looked up", key: "failed" },
];

export function resetUnmatched() {
  $("#unmatched-groups").replaceChildren();
  show($("#unmatched"), false);
}

/** List a finished session's unmatched films (cur: {id, session, ctl}, isCurrent() guards late answers). */
export async function loadUnmatched(cur, isCurrent) {
  const p = cur.session?.progress ?? {};
  const groups = $("#unmatched-groups");
  groups.replaceChildren();
  const sources = [];
  for (const group of GROUPS) {
    const count = p[group.key] ?? 0;
    if (!count) continue;
    const list = h("ul", { class: "film-list", "data-status": group.status });
    const more = h("button", { type: "button", class: "btn btn-secondary more", hidden: true, text: "Show more" });
    const source = { ...group, list, more, cursor: null };
    more.addEventListener("click", () => loadPage(cur, source, isCurrent));
    groups.append(
      h("section", { class: "film-group", "aria-label": group.title }, [
        h("h4", {}, [group.title, " ", h("span", { class: "count-badge", text: num(count) })]),
        list,
        more,
      ]),
    );
    sources.push(source);
  }
  const retry = $("#retry-button");
  retry.disabled = false;
  retry.textContent = "Retry unmatched films";
  show($("#unmatched"), sources.length > 0);
  for (const source of sources) await loadPage(cur, source, isCurrent);
}

async function loadPage(cur, source, isCurrent) {
  const query = new URLSearchParams({ status: source.status, limit: String(PAGE_SIZE) });
  if (source.cursor) query.set("cursor", source.cursor);
  source.more.disabled = true;
  let page;
  try {
    page = await api(`/api/sessions/${encodeURIComponent(cur.id)}/films?${query}`, { signal: cur.ctl.signal });
  } catch (error) {
    if (cur.ctl.signal.aborted) return;
    source.more.disabled = false;
    alertError(`The unmatched films could not be loaded: ${error.message}`);
    return;
  }
  if (!isCurrent(cur)) return;
  for (const film of page.films ?? []) {
    source.list.append(
      h("li", {}, [
        h("span", { class: "film-text" }, [
          h("span", { class: "film-name", text: film.name ?? "" }),
          film.error ? h("span", { class: "film-error", text: film.error }) : null,
        ]),
        film.year ? h("span", { class: "film-year", text: String(film.year) }) : null,
      ]),
    );
  }
  source.cursor = page.next_cursor ?? null;
  source.more.disabled = false;
  source.more.hidden = !source.cursor;
}

/** POST …/retry; resolves to the session answer, or null when it failed (the alert says why). */
export async function retryUnmatched(cur) {
  const retry = $("#retry-button");
  retry.disabled = true;
  retry.textContent = "Retrying…";
  clearMessages();
  try {
    const session = await api(`/api/sessions/${encodeURIComponent(cur.id)}/retry`, { method: "POST", signal: cur.ctl.signal });
    show($("#unmatched"), false);
    return session;
  } catch (error) {
    if (cur.ctl.signal.aborted) return null;
    retry.disabled = false;
    retry.textContent = "Retry unmatched films";
    alertError(error.message);
    return null;
  }
}
