// Correcting one film's match: the films TMDB's search found (pick one), a TMDB link to paste, or
// "not on TMDB". PUT …/films/{id}/match stores the choice; a worker then fetches the details.

import { api } from "../lib/api.js";
import { h, setChildren } from "../lib/dom.js";
import { attribution, tmdbLink, titleWithYear } from "../lib/tmdb.js";

let editors = 0; // numbers the editors on the page, for unique element ids

const LINK_HELP = "Paste the address of the film's page on TMDB, such as https://www.themoviedb.org/movie/1640-crash";

/** What a pasted text names: a TMDB id (digits alone) or a TMDB address; null for nothing. */
export function choiceOf(text) {
  const value = text.trim();
  if (!value) return null;
  if (/^\d{1,10}$/.test(value)) return { tmdb_id: Number(value) };
  return { tmdb_url: value };
}

/** PUT the choice; resolves to the film as the API answers it (pending, or not_found for null). */
export function putMatch(sessionId, filmId, body, signal) {
  return api(`/api/sessions/${encodeURIComponent(sessionId)}/films/${encodeURIComponent(filmId)}/match`, {
    method: "PUT",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
    signal,
  });
}

function candidateItem(candidate, film, ids, choose) {
  const current = film.status === "matched" && film.tmdb_id === candidate.tmdb_id;
  const label = titleWithYear(candidate.title, candidate.release_date, `TMDB film ${candidate.tmdb_id}`);
  const nameId = `${ids}-c${candidate.tmdb_id}`;
  const other = candidate.original_title && candidate.original_title !== candidate.title ? candidate.original_title : null;
  return h("li", { class: `candidate${current ? " current" : ""}`, "data-tmdb-id": candidate.tmdb_id }, [
    h("div", { class: "candidate-text" }, [
      h("span", { class: "candidate-title", id: nameId, text: label }),
      h("span", { class: "candidate-meta" }, [
        other ? h("span", { text: other }) : null,
        h("span", { text: candidate.fits ? "fits your export" : "found by the search" }),
        tmdbLink(candidate.tmdb_id, "on TMDB", { "aria-label": `${label} on TMDB (opens a new tab)` }),
      ]),
    ]),
    h("button", {
      type: "button",
      class: `btn ${current ? "btn-secondary" : "btn-primary"} candidate-use`,
      "aria-describedby": nameId,
      text: current ? "Keep this film" : "Use this film",
      onclick: () => choose({ tmdb_id: candidate.tmdb_id }, label),
    }),
  ]);
}

/**
 * Build the editor of `film`'s match into `box` (emptied first). `onChosen(film, label)` gets the
 * API's answer to the choice and a phrase naming it; `onCancel()` is called for Cancel and Esc.
 * `demo` says the films come from the bundled catalogue.
 */
export function openMatcher(box, { sessionId, film, demo = false, signal, onChosen, onCancel }) {
  editors += 1;
  const ids = `matcher-${editors}`;
  const name = film.year ? `${film.name} (${film.year})` : film.name;
  const status = h("p", { class: "matcher-status muted", role: "status", text: "Loading what TMDB's search found…" });
  const candidates = h("ul", { class: "candidates", "aria-labelledby": `${ids}-found` });
  const error = h("p", { class: "field-error", id: `${ids}-error`, role: "alert" });
  const input = h("input", {
    id: `${ids}-link`,
    class: "matcher-input",
    type: "text",
    inputmode: "url",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "https://www.themoviedb.org/movie/…",
    "aria-describedby": `${ids}-link-help ${ids}-error`,
  });
  const buttons = [];
  const busy = (on) => {
    for (const button of [...buttons, ...candidates.querySelectorAll("button")]) button.disabled = on;
  };

  async function choose(body, label) {
    error.textContent = "";
    busy(true);
    try {
      const answer = await putMatch(sessionId, film.id, body, signal);
      onChosen(answer, label);
    } catch (failure) {
      if (failure.name === "AbortError") return;
      busy(false);
      error.textContent = failure.message;
    }
  }

  const form = h("form", { class: "matcher-link", novalidate: true }, [
    h("label", { for: `${ids}-link`, text: "Or paste its TMDB link" }),
    h("p", { class: "matcher-help", id: `${ids}-link-help`, text: "Find the film on themoviedb.org and copy the address of its page." }),
    h("div", { class: "matcher-row" }, [input, h("button", { type: "submit", class: "btn btn-secondary", text: "Use link" })]),
  ]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = choiceOf(input.value);
    if (!body) {
      error.textContent = LINK_HELP;
      input.focus();
      return;
    }
    choose(body, "the film of that link");
  });
  const notOnTmdb = h("button", {
    type: "button",
    class: "btn btn-secondary",
    text: "Not on TMDB",
    "aria-describedby": `${ids}-not-help`,
    onclick: () => choose({ tmdb_id: null }, "not on TMDB"),
  });
  const cancel = h("button", { type: "button", class: "btn btn-quiet", text: "Cancel", onclick: () => onCancel() });
  buttons.push(form.querySelector("button"), notOnTmdb, cancel);
  const editor = h("div", { class: "matcher", role: "group", "aria-labelledby": `${ids}-title` }, [
    h("p", { class: "matcher-title", id: `${ids}-title`, text: `Which film is “${name}”?` }),
    h("p", { class: "matcher-found", id: `${ids}-found`, text: "Films TMDB's search found" }),
    status,
    candidates,
    form,
    h("div", { class: "matcher-actions" }, [
      notOnTmdb,
      h("span", { class: "matcher-help", id: `${ids}-not-help`, text: "It then counts as unmatched: left out of genres, people and runtime." }),
      cancel,
    ]),
    error,
    attribution(demo),
  ]);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !editor.closest("dialog")) {
      event.preventDefault();
      onCancel();
    }
  });
  setChildren(box, [editor]);
  loadCandidates(sessionId, film, signal, { status, candidates, ids, choose });
  return editor;
}

async function loadCandidates(sessionId, film, signal, { status, candidates, ids, choose }) {
  let detail;
  try {
    detail = await api(`/api/sessions/${encodeURIComponent(sessionId)}/films/${encodeURIComponent(film.id)}`, { signal });
  } catch (failure) {
    if (failure.name === "AbortError") return;
    status.textContent = `The films TMDB found could not be loaded: ${failure.message}`;
    return;
  }
  const found = detail.candidates ?? [];
  status.textContent = found.length ? "" : "TMDB's search found no film of this title. Paste its TMDB link below, or say it is not on TMDB.";
  status.hidden = found.length > 0;
  setChildren(
    candidates,
    found.map((candidate) => candidateItem(candidate, { ...film, ...detail }, ids, choose)),
  );
  const first = candidates.querySelector("button");
  if (first) first.focus();
}
