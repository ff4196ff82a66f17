// The drill-down list: the films behind a bar, a name or a day, in a dialog, a page at a time.
// Each film's match can be corrected from here too ("Wrong film?", views/matcher.js).

import { api } from "../lib/api.js";
import { $, h, setChildren, show } from "../lib/dom.js";
import { num, plural, shortDay, stars } from "../lib/format.js";
import { titleWithYear } from "../lib/tmdb.js";
import { openMatcher } from "./matcher.js";

const PAGE_SIZE = 50;
const WATCH_FILTERS = ["watched_year", "watched_month", "watched_week", "watched_on", "weekday"];
let shown = null; // {sessionId, filters, cursor, films, watches, ctl}
let options = { demo: () => false, onChosen: () => {} };

function meta(film) {
  if (film.status === "pending") return [h("span", { text: "looking up your choice on TMDB…" })];
  // TMDB's title and year when they say more than the export's (Netflix gives no year).
  const tmdbYear = /^\d{4}/.test(film.release_date ?? "") ? Number(film.release_date.slice(0, 4)) : null;
  const differs = film.title && (film.title !== film.name || (tmdbYear && tmdbYear !== film.year));
  const title = differs ? titleWithYear(film.title, film.release_date) : null;
  const people = film.directors?.length ? `by ${film.directors.join(", ")}` : film.status === "matched" ? "" : "not matched on TMDB";
  const watched = film.watches
    ? `watched ${film.watches === 1 ? "once" : `${num(film.watches)}×`}${film.last_watched ? `, last ${shortDay(film.last_watched)}` : ""}`
    : "";
  return [title ? h("span", { text: `TMDB: ${title}` }) : null, people ? h("span", { text: people }) : null, watched ? h("span", { text: watched }) : null];
}

function filmItem(film) {
  const metaLine = h("div", { class: "drill-meta" }, meta(film));
  const editor = h("div", { class: "drill-editor", hidden: true });
  const nameId = `drill-name-${film.id}`;
  const change = h("button", {
    type: "button",
    class: "link-button drill-change",
    "aria-expanded": "false",
    "aria-describedby": nameId,
    text: "Wrong film?",
    disabled: film.status === "pending",
  });
  const close = () => {
    editor.ctl?.abort();
    editor.replaceChildren();
    show(editor, false);
    change.setAttribute("aria-expanded", "false");
  };
  change.addEventListener("click", () => {
    if (!editor.hidden) {
      close();
      return;
    }
    editor.ctl = new AbortController();
    show(editor, true);
    change.setAttribute("aria-expanded", "true");
    openMatcher(editor, {
      sessionId: shown.sessionId,
      film,
      demo: options.demo(),
      signal: editor.ctl.signal,
      onCancel: () => {
        close();
        change.focus();
      },
      onChosen: (answer) => {
        close();
        Object.assign(film, answer);
        setChildren(metaLine, answer.status === "pending" ? meta(film) : [h("span", { text: "marked as not on TMDB" })]);
        change.disabled = answer.status === "pending";
        change.focus();
        options.onChosen(answer);
      },
    });
  });
  return h("li", { class: "drill-film" }, [
    h("div", { class: "drill-main" }, [
      h("span", { class: "film-name", id: nameId, text: film.name }),
      film.year ? h("span", { class: "film-year", text: String(film.year) }) : null,
    ]),
    metaLine,
    film.rating != null ? h("span", { class: "drill-rating", text: stars(film.rating), "aria-label": `rated ${film.rating} stars` }) : null,
    h("div", { class: "drill-actions" }, [change]),
    editor,
  ]);
}

function summary() {
  const more = Boolean(shown.cursor);
  const count = `${num(shown.films)}${more ? "+" : ""} ${shown.films === 1 && !more ? "film" : "films"}`;
  const byWatch = WATCH_FILTERS.some((f) => f in shown.filters);
  return byWatch ? `${count}, ${plural(shown.watches, "watch", "watches")}${more ? " so far" : ""}` : count;
}

async function loadPage() {
  const cur = shown;
  const query = new URLSearchParams({ ...cur.filters, limit: String(PAGE_SIZE) });
  if (cur.cursor) query.set("cursor", cur.cursor);
  const more = $("#films-more");
  more.disabled = true;
  let page;
  try {
    page = await api(`/api/sessions/${encodeURIComponent(cur.sessionId)}/films?${query}`, { signal: cur.ctl.signal });
  } catch (error) {
    if (cur.ctl.signal.aborted) return;
    $("#films-summary").textContent = `The films could not be loaded: ${error.message}`;
    more.disabled = false;
    return;
  }
  if (cur !== shown) return;
  for (const film of page.films ?? []) {
    $("#films-list").append(filmItem(film));
    cur.films += 1;
    cur.watches += film.watches ?? 0;
  }
  cur.cursor = page.next_cursor ?? null;
  more.disabled = false;
  show(more, Boolean(cur.cursor));
  $("#films-summary").textContent = cur.films || cur.cursor ? summary() : "No films.";
  $("#films-dialog").dataset.loaded = cur.cursor ? "partly" : "all";
}

/** Open the dialog listing the session's films that meet `filters` (GET …/films parameters). */
export function openFilms(sessionId, filters, title) {
  shown?.ctl.abort();
  shown = { sessionId, filters, cursor: null, films: 0, watches: 0, ctl: new AbortController() };
  const dialog = $("#films-dialog");
  $("#films-title").textContent = title;
  $("#films-summary").textContent = "Loading…";
  $("#films-list").replaceChildren();
  dialog.dataset.loaded = "";
  dialog.dataset.filters = new URLSearchParams(filters).toString();
  show($("#films-more"), false);
  if (!dialog.open) dialog.showModal();
  $("#films-close").focus();
  loadPage();
}

/** Wire the dialog; `demo()` says whether films come from the demo catalogue, `onChosen(film)`
 * hears of a match corrected in the list. */
export function wireFilms({ demo, onChosen } = {}) {
  options = { demo: demo ?? (() => false), onChosen: onChosen ?? (() => {}) };
  const dialog = $("#films-dialog");
  $("#films-close").addEventListener("click", () => dialog.close());
  $("#films-more").addEventListener("click", loadPage);
  dialog.addEventListener("close", () => {
    shown?.ctl.abort();
    shown = null;
  });
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
}
