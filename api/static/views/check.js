// "Check your matches": the films whose match other TMDB films fit as well, and those TMDB could
// not match, each with the film chosen and a way to correct it (views/matcher.js). A correction
// updates its row in place; the statistics follow once a worker has the film (views/session.js).

import { api } from "../lib/api.js";
import { $, h, setChildren, show } from "../lib/dom.js";
import { num, plural } from "../lib/format.js";
import { attribution, tmdbLink, titleWithYear } from "../lib/tmdb.js";
import { openMatcher } from "./matcher.js";
import { alertError, clearMessages } from "./messages.js";

const PAGE_SIZE = 100;
const GROUPS = [
  {
    key: "alternatives",
    query: { has_alternatives: "true", status: "matched" },
    title: "More than one film fits",
    help: "Each of these titles fits several TMDB films equally well, and the most popular one was picked. Check it is the film you saw.",
  },
  {
    key: "not_found",
    query: { status: "not_found" },
    title: "Not found on TMDB",
    help: "Left out of genres, decades, people and runtime. Find the film on TMDB and paste its link, or say it is not there.",
  },
  {
    key: "failed",
    query: { status: "failed" },
    title: "Could not be looked up",
    help: "TMDB did not answer for these. Look them up again, or choose the film yourself.",
  },
];
let state = null; // {cur, rows: Map(filmId -> row), touched: Set(filmId), groups: [], options}

/** Forget the list (another session is shown). */
export function resetCheck() {
  for (const row of state?.rows.values() ?? []) row.ctl?.abort();
  state = null;
  $("#check-groups").replaceChildren();
  $("#check-announce").textContent = "";
  show($("#check"), false);
}

function announce(text) {
  $("#check-announce").textContent = text;
}

const exportName = (film) => (film.year ? `${film.name} (${film.year})` : film.name);

/** The sentence under a film: what it is matched to now. */
function chosenLine(film) {
  const manual = film.match_rule === "manual";
  if (film.status === "pending") return [manual ? "Looking up your choice on TMDB…" : "Being looked up on TMDB…"];
  if (film.status === "matched") {
    const chosen = titleWithYear(film.title, film.release_date, `TMDB film ${film.tmdb_id}`);
    const others = film.alternatives > 0 ? ` · ${plural(film.alternatives, "other film")} ${film.alternatives === 1 ? "fits" : "fit"} too` : "";
    return ["Matched to ", tmdbLink(film.tmdb_id, chosen, { class: "check-tmdb" }), manual ? " · your choice" : others];
  }
  if (film.status === "not_found") {
    if (manual && !film.error) return ["You said this film is not on TMDB"];
    return [film.error || (film.year ? "TMDB has no film of this title and year" : "TMDB has no film of this title")];
  }
  return [`Could not be looked up${film.error ? `: ${film.error}` : ""}`];
}

function renderRow(row) {
  const { film } = row;
  row.li.dataset.status = film.status;
  row.li.dataset.matchRule = film.match_rule ?? "";
  setChildren(row.text, [
    h("span", { class: "check-name" }, [
      h("span", { class: "film-name", id: `check-name-${film.id}`, text: film.name }),
      film.year ? h("span", { class: "film-year", text: String(film.year) }) : null,
    ]),
    h("span", { class: "check-chosen" }, chosenLine(film)),
  ]);
  row.change.disabled = film.status === "pending";
  labelChange(row);
}

function labelChange(row) {
  const open = row.change.getAttribute("aria-expanded") === "true";
  const matched = row.film.status === "matched" || row.film.status === "pending";
  row.change.textContent = open ? "Close" : matched ? "Change" : "Find it";
}

function closeEditor(row, { focus = true } = {}) {
  row.ctl?.abort();
  row.ctl = null;
  row.editor.replaceChildren();
  show(row.editor, false);
  row.change.setAttribute("aria-expanded", "false");
  labelChange(row);
  if (focus) row.change.focus();
}

function openEditor(row) {
  const { cur, options } = state;
  row.ctl = new AbortController();
  show(row.editor, true);
  row.change.setAttribute("aria-expanded", "true");
  labelChange(row);
  openMatcher(row.editor, {
    sessionId: cur.id,
    film: row.film,
    demo: options.demo,
    signal: row.ctl.signal,
    onCancel: () => closeEditor(row),
    onChosen: (answer, label) => {
      row.film = { ...row.film, ...answer };
      state.touched.add(row.film.id);
      closeEditor(row, { focus: false });
      renderRow(row);
      row.li.focus();
      announce(answer.status === "pending" ? `${exportName(row.film)}: looking up ${label} on TMDB.` : `${exportName(row.film)}: marked as not on TMDB.`);
      options.onChosen(answer);
    },
  });
}

function addRow(group, film) {
  const li = h("li", { class: "check-film", tabindex: "-1", "data-film-id": film.id });
  const text = h("div", { class: "check-text" });
  const editor = h("div", { class: "check-editor", id: `check-editor-${film.id}`, hidden: true });
  const change = h("button", {
    type: "button",
    class: "btn btn-secondary check-change",
    "aria-expanded": "false",
    "aria-controls": editor.id,
    "aria-describedby": `check-name-${film.id}`,
  });
  const row = { li, text, editor, change, film, ctl: null };
  change.addEventListener("click", () => (row.ctl ? closeEditor(row) : openEditor(row)));
  li.append(h("div", { class: "check-head" }, [text, change]), editor);
  state.rows.set(film.id, row);
  group.list.append(li);
  renderRow(row);
}

async function loadPage(group) {
  const { cur } = state;
  const query = new URLSearchParams({ ...group.query, limit: String(PAGE_SIZE) });
  if (group.cursor) query.set("cursor", group.cursor);
  group.more.disabled = true;
  let page;
  try {
    page = await api(`/api/sessions/${encodeURIComponent(cur.id)}/films?${query}`, { signal: cur.ctl.signal });
  } catch (error) {
    if (cur.ctl.signal.aborted) return;
    group.more.disabled = false;
    alertError(`The films to check could not be loaded: ${error.message}`);
    return;
  }
  if (state?.cur !== cur) return;
  for (const film of page.films ?? []) if (!state.rows.has(film.id)) addRow(group, film);
  group.cursor = page.next_cursor ?? null;
  group.more.disabled = false;
  show(group.more, Boolean(group.cursor));
  updateCounts();
}

function updateCounts() {
  const parts = [];
  let total = 0;
  let more = false;
  for (const group of state.groups) {
    const n = group.list.childElementCount;
    show(group.section, n > 0);
    group.badge.textContent = `${num(n)}${group.cursor ? "+" : ""}`;
    total += n;
    more ||= Boolean(group.cursor);
    if (n) parts.push({ key: group.key, n, count: `${num(n)}${group.cursor ? "+" : ""}`, more: Boolean(group.cursor) });
  }
  const retryable = [...state.rows.values()].some(
    (row) => (row.film.status === "not_found" || row.film.status === "failed") && row.film.match_rule !== "manual",
  );
  show($("#retry-button"), retryable);
  $("#check-help").textContent = parts.length
    ? `${summaryOf(parts, `${num(total)}${more ? "+" : ""}`, total === 1 && !more)} Pick the right film, paste its TMDB link, or say it is not on TMDB; the statistics follow.`
    : "";
  show($("#check"), parts.length > 0);
}

// Per group: the sentence when it is the only group (film count one, many), and the short form.
const PHRASES = {
  alternatives: ["fits more than one TMDB film", "fit more than one TMDB film", "with several TMDB films that fit"],
  not_found: ["was not found on TMDB", "were not found on TMDB", "not found"],
  failed: ["could not be looked up", "could not be looked up", "not looked up"],
};

/** "2 films were not found on TMDB.", or "3 films to check: 2 with several TMDB films that fit, 1 not found." */
function summaryOf(parts, total, single) {
  if (parts.length === 1) {
    const [part] = parts;
    const one = part.n === 1 && !part.more;
    return `${part.count} ${one ? "film" : "films"} ${PHRASES[part.key][one ? 0 : 1]}.`;
  }
  const listed = parts.map((part) => `${part.count} ${PHRASES[part.key][2]}`).join(", ");
  return `${total} ${single ? "film" : "films"} to check: ${listed}.`;
}

function buildGroups() {
  const holder = $("#check-groups");
  holder.replaceChildren();
  state.groups = GROUPS.map((def) => {
    const list = h("ul", { class: "check-list", "data-group": def.key });
    const badge = h("span", { class: "count-badge" });
    const more = h("button", { type: "button", class: "btn btn-secondary more", hidden: true, text: "Show more" });
    const section = h("section", { class: "film-group check-group", "aria-labelledby": `check-group-${def.key}`, hidden: true }, [
      h("h4", { id: `check-group-${def.key}` }, [def.title, " ", badge]),
      h("p", { class: "check-group-help", text: def.help }),
      list,
      more,
    ]);
    const group = { ...def, list, badge, more, section, cursor: null };
    more.addEventListener("click", () => loadPage(group));
    holder.append(section);
    return group;
  });
  $("#check-note").replaceChildren(attribution(state.options.demo));
}

/**
 * Show the films to check of a finished session (cur: {id, ctl}). The first call lists them; later
 * calls (after a correction) refresh the corrected rows in place and add films newly unmatched,
 * so that nothing moves under the person's keyboard. options: {demo, onChosen(film)}. Resolves
 * to whether a chosen film is still waiting for a worker.
 */
export async function loadCheck(cur, options) {
  if (state?.cur === cur && !state.stale) return refresh();
  const touched = state?.cur === cur ? state.touched : new Set();
  state = { cur, rows: new Map(), touched, groups: [], options, stale: false };
  buildGroups();
  for (const group of state.groups) await loadPage(group);
  return refresh();
}

async function refresh() {
  const { cur } = state;
  let pending = false;
  for (const id of [...state.touched]) {
    let film;
    try {
      film = await api(`/api/sessions/${encodeURIComponent(cur.id)}/films/${encodeURIComponent(id)}`, { signal: cur.ctl.signal });
    } catch {
      continue; // the next refresh tries again
    }
    if (state?.cur !== cur) return false;
    const row = state.rows.get(id);
    if (row) {
      row.film = { ...row.film, ...film };
      renderRow(row);
    }
    if (film.status === "pending") {
      pending = true;
      continue;
    }
    state.touched.delete(id);
    if (row && film.status === "matched") announce(`${exportName(film)} is now matched to ${titleWithYear(film.title, film.release_date)}.`);
  }
  // Films newly unmatched (marked "not on TMDB" in a film list) join a group that fits one page.
  for (const group of state.groups) if (!group.cursor && group.list.childElementCount < PAGE_SIZE) await loadPage(group);
  updateCounts();
  return pending;
}

/** A film's match was chosen elsewhere (the drill-down list): its row, if listed, follows. */
export function noteChosen(film) {
  if (!state) return;
  state.touched.add(film.id);
  const row = state.rows.get(film.id);
  if (row) {
    row.film = { ...row.film, ...film };
    renderRow(row);
  }
}

/** POST …/retry; resolves to the session answer, or null when it failed (the alert says why). */
export async function retryUnmatched(cur) {
  const retry = $("#retry-button");
  retry.disabled = true;
  clearMessages();
  try {
    const session = await api(`/api/sessions/${encodeURIComponent(cur.id)}/retry`, { method: "POST", signal: cur.ctl.signal });
    if (state) state.stale = true; // many films change: list them afresh once the retry is done
    show(retry, false);
    return session;
  } catch (error) {
    if (cur.ctl.signal.aborted) return null;
    alertError(error.message);
    return null;
  } finally {
    retry.disabled = false;
  }
}
