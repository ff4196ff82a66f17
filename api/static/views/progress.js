// The progress card of a session: the bar, the counts, a status sentence and the files read.

import { $, h, setChildren, show } from "../lib/dom.js";
import { num, plural, when } from "../lib/format.js";

export const FINAL = new Set(["completed", "failed", "cancelled"]);
const KIND_NAMES = {
  watched: "watched films",
  diary: "diary",
  ratings: "ratings",
  reviews: "reviews",
  likes: "liked films",
  watchlist: "watchlist",
  list: "list (watchlist titles)",
  history: "play history",
  viewing_history: "viewing history",
  viewing_activity: "viewing activity",
  skipped: "skipped",
};
export const SOURCE_NAMES = { letterboxd: "Letterboxd", imdb: "IMDb", trakt: "Trakt", netflix: "Netflix" };

export function setStatus(text) {
  const line = $("#status-line");
  if (line.textContent !== text) line.textContent = text;
}

function setProgress(done, total, percent) {
  const bar = $("#progress");
  bar.setAttribute("aria-valuenow", String(percent));
  bar.setAttribute("aria-valuetext", `${num(done)} of ${plural(total, "film")}`);
  $("#progress-fill").style.width = `${percent}%`;
  $("#progress-percent").textContent = `${percent}%`;
}

export function resetProgress() {
  show($("#files"), false);
  $("#files-list").replaceChildren();
  $("#session-meta").textContent = "";
  $("#status-line").textContent = "";
  $("#progress-count").textContent = "Connecting…";
  setProgress(0, 0, 0);
  $("#session-view").dataset.status = "";
}

/**
 * Show a session's status and progress; `source` names where films are looked up; `correcting`:
 * the session is enriching again for films the person chose.
 */
export function renderProgress(session, source, { correcting = false } = {}) {
  const p = session.progress ?? { total: 0, done: 0, matched: 0, not_found: 0, failed: 0 };
  const final = FINAL.has(session.status);
  const percent = p.total ? Math.floor((Math.min(p.done, p.total) * 100) / p.total) : final ? 100 : 0;
  setProgress(p.done, p.total, percent);
  $("#session-view").dataset.status = session.status;
  $("#progress-count").textContent = `${num(p.done)} of ${plural(p.total, "film")}`;
  $("#count-matched").textContent = num(p.matched);
  $("#count-not-found").textContent = num(p.not_found);
  $("#count-failed").textContent = num(p.failed);
  $("#progress").classList.toggle("failed", session.status === "failed");
  const title = $("#progress-title");
  if (session.status === "enriching") {
    title.textContent = correcting ? "Looking up your choice" : "Matching your films";
    setStatus(
      correcting
        ? `Fetching the film you chose from ${source}. The statistics update as soon as it is in.`
        : `Looking up every film in ${source}. The charts fill in as films are matched.`,
    );
  } else if (session.status === "completed") {
    title.textContent = "All films processed";
    const misses = [p.not_found && `${num(p.not_found)} not found`, p.failed && `${num(p.failed)} failed`].filter(Boolean);
    setStatus(
      p.total
        ? `Done: ${num(p.matched)} of ${plural(p.total, "film")} matched${misses.length ? ` (${misses.join(", ")})` : ""}.`
        : "Done: this export holds no watched films, only a watchlist.",
    );
  } else if (session.status === "failed") {
    title.textContent = "Enrichment failed";
    setStatus(`Enrichment failed: ${session.error || "no film could be looked up."}`);
  } else if (session.status === "cancelled") {
    title.textContent = "Enrichment cancelled";
    setStatus("Enrichment was cancelled before every film was looked up.");
  }
  const created = when(session.created_at);
  const from = SOURCE_NAMES[session.source] ? ` · ${SOURCE_NAMES[session.source]} export` : "";
  $("#session-meta").textContent = created ? `Uploaded ${created}${from}` : from.slice(3);
  renderFiles(session.files);
}

/** "Not films, skipped: TV Episode 12, TV Series 3" for the rows of a file that are not films. */
function notFilms(skipped) {
  const entries = Object.entries(skipped ?? {});
  if (!entries.length) return "";
  return `Not films, skipped: ${entries.map(([why, n]) => `${why} ${num(n)}`).join(", ")}`;
}

function renderFiles(files) {
  const list = $("#files-list");
  if (!Array.isArray(files) || !files.length || list.childElementCount) return;
  const read = files.filter((f) => f.kind !== "skipped");
  $("#files-summary").textContent = `${plural(read.length, "file")} read${
    files.length > read.length ? `, ${num(files.length - read.length)} skipped` : ""
  }`;
  setChildren(
    list,
    files.map((f) =>
      h("li", { class: f.kind === "skipped" ? "skipped" : "" }, [
        h("span", { class: "file-name", text: f.name }),
        h("span", {
          class: "file-kind",
          text:
            f.kind === "skipped"
              ? `skipped${f.reason ? `: ${f.reason}` : ""}`
              : `${KIND_NAMES[f.kind] ?? f.kind} · ${plural(f.rows ?? 0, "row")}`,
        }),
        notFilms(f.skipped) ? h("span", { class: "file-detail", text: notFilms(f.skipped) }) : null,
        f.profiles?.length
          ? h("span", { class: "file-detail", text: `Profiles: ${f.profiles.map((p) => `${p.name} (${plural(p.rows, "row")})`).join(", ")}` })
          : null,
      ]),
    ),
  );
  show($("#files"), true);
}
