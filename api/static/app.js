// reelstats web page: upload an export, follow its enrichment, show the statistics.
//
// Modules: api.js (HTTP, token, upload, event stream) · sse.js (event-stream parser) ·
// dashboard.js (headline numbers, chart cards) · charts.js (SVG bars) · format.js · dom.js.

import { ApiError, api, onTokenNeeded, streamEvents, uploadFiles } from "./api.js";
import { renderCharts, renderHeadline, resetCharts } from "./dashboard.js";
import { $, h, setChildren, show } from "./dom.js";
import { megabytes, num, plural, when } from "./format.js";

const FINAL = new Set(["completed", "failed", "cancelled"]);
const ANALYTICS_EVERY_MS = 4000;
const PAGE_SIZE = 100;
const KIND_NAMES = {
  watched: "watched films",
  diary: "diary",
  ratings: "ratings",
  reviews: "reviews",
  likes: "liked films",
  watchlist: "watchlist",
  skipped: "skipped",
};

const el = {
  alert: $("#alert"),
  notice: $("#notice"),
  auth: $("#auth"),
  authForm: $("#auth-form"),
  authInput: $("#auth-token"),
  authError: $("#auth-error"),
  demoBanner: $("#demo-banner"),
  sourceName: $("#source-name"),
  newUpload: $("#new-upload"),
  brand: $("#brand-link"),
  uploadView: $("#upload-view"),
  dropzone: $("#dropzone"),
  fileInput: $("#file-input"),
  maxMb: $("#max-mb"),
  uploadState: $("#upload-state"),
  uploadText: $("#upload-text"),
  sessionView: $("#session-view"),
  sessionTitle: $("#session-title"),
  sessionMeta: $("#session-meta"),
  deleteButton: $("#delete-button"),
  deleteConfirm: $("#delete-confirm"),
  deleteYes: $("#delete-yes"),
  deleteNo: $("#delete-no"),
  progressTitle: $("#progress-title"),
  progress: $("#progress"),
  progressFill: $("#progress-fill"),
  progressPercent: $("#progress-percent"),
  progressCount: $("#progress-count"),
  countMatched: $("#count-matched"),
  countNotFound: $("#count-not-found"),
  countFailed: $("#count-failed"),
  statusLine: $("#status-line"),
  files: $("#files"),
  filesSummary: $("#files-summary"),
  filesList: $("#files-list"),
  updating: $("#updating"),
  resultsLoading: $("#results-loading"),
  headline: $("#headline"),
  dashboard: $("#dashboard"),
  noFilms: $("#no-films"),
  unmatched: $("#unmatched"),
  unmatchedGroups: $("#unmatched-groups"),
  retryButton: $("#retry-button"),
};

const info = { demo: false, maxMb: 50 };
let current = null; // the session on screen: {id, ctl, session, final, timer, seq, shownSeq, sources}

// ---------------------------------------------------------------------------------------------
// Messages

function alertError(message) {
  el.notice.textContent = "";
  el.alert.textContent = message;
}

function notify(message) {
  el.alert.textContent = "";
  el.notice.textContent = message;
}

function clearMessages() {
  el.alert.textContent = "";
  el.notice.textContent = "";
}

function setStatus(text) {
  if (el.statusLine.textContent !== text) el.statusLine.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Token: asked for when any /api/* call answers 401

onTokenNeeded(
  (rejected) =>
    new Promise((resolve) => {
      show(el.auth, true);
      el.authError.textContent = rejected ? "That token was not accepted. Check it and try again." : "";
      el.authInput.setAttribute("aria-invalid", rejected ? "true" : "false");
      el.authInput.value = "";
      el.auth.scrollIntoView({ block: "nearest" });
      el.authInput.focus();
      el.authForm.onsubmit = (event) => {
        event.preventDefault();
        const value = el.authInput.value.trim();
        if (!value) {
          el.authError.textContent = "Enter the token to continue.";
          el.authInput.setAttribute("aria-invalid", "true");
          el.authInput.focus();
          return;
        }
        el.authForm.onsubmit = null;
        show(el.auth, false);
        resolve(value);
      };
    }),
);

// ---------------------------------------------------------------------------------------------
// Server facts: demo catalogue, upload limit

async function loadInfo() {
  try {
    const answer = await api("/api/info");
    info.demo = Boolean(answer.demo_catalogue);
    if (Number(answer.max_upload_mb) > 0) info.maxMb = Number(answer.max_upload_mb);
  } catch {
    return; // an older server without /api/info: keep the defaults
  }
  show(el.demoBanner, info.demo);
  el.maxMb.textContent = num(info.maxMb);
  el.sourceName.textContent = info.demo ? "the bundled demo catalogue (facts from TMDB)" : "TMDB";
}

// ---------------------------------------------------------------------------------------------
// Views

function showUpload() {
  leaveSession();
  history.replaceState(null, "", "/");
  document.title = "reelstats — your films in numbers";
  show(el.sessionView, false);
  show(el.newUpload, false);
  show(el.uploadView, true);
}

function showSessionView() {
  show(el.uploadView, false);
  show(el.sessionView, true);
  show(el.newUpload, true);
  document.title = "Your film statistics — reelstats";
}

function leaveSession() {
  if (!current) return;
  current.ctl.abort();
  clearTimeout(current.timer);
  current = null;
}

function resetSessionView() {
  resetCharts(el.dashboard);
  el.headline.replaceChildren();
  el.dashboard.dataset.complete = "false";
  el.unmatchedGroups.replaceChildren();
  show(el.unmatched, false);
  show(el.noFilms, false);
  show(el.dashboard, true);
  show(el.updating, false);
  show(el.resultsLoading, true);
  show(el.files, false);
  el.filesList.replaceChildren();
  el.sessionMeta.textContent = "";
  el.statusLine.textContent = "";
  el.progressCount.textContent = "Connecting…";
  setProgress(0, 0, 0);
  closeDeleteConfirm();
  el.sessionView.dataset.status = "";
}

// ---------------------------------------------------------------------------------------------
// Upload

function setUploading(busy, text = "Uploading…") {
  el.dropzone.classList.toggle("busy", busy);
  el.dropzone.setAttribute("aria-disabled", busy ? "true" : "false");
  show(el.uploadState, busy);
  el.uploadText.textContent = text;
}

function openPicker() {
  if (el.dropzone.classList.contains("busy")) return;
  el.fileInput.click();
}

async function startUpload(entries) {
  clearMessages();
  if (!entries.length || el.dropzone.classList.contains("busy")) return;
  const size = entries.reduce((total, e) => total + e.file.size, 0);
  const limit = info.maxMb * 1024 * 1024;
  if (size > limit) {
    const what =
      entries.length === 1 ? `${entries[0].path} is ${megabytes(size)}` : `These ${entries.length} files add up to ${megabytes(size)}`;
    alertError(`${what}, but this server accepts uploads of at most ${num(info.maxMb)} MB. Upload the export zip, or fewer CSV files at a time.`);
    return;
  }
  const label = entries.length === 1 ? entries[0].path : plural(entries.length, "file");
  setUploading(true, `Uploading ${label}…`);
  try {
    const session = await uploadFiles(entries, {
      onProgress: (sent, total) => {
        if (total > 0 && total > 512 * 1024) {
          setUploading(true, `Uploading ${label}: ${megabytes(sent)} of ${megabytes(total)}`);
        }
      },
    });
    setUploading(false);
    openSession(session.id, session);
    el.sessionTitle.focus();
  } catch (error) {
    setUploading(false);
    if (error.name === "AbortError") return;
    alertError(error.message);
    el.dropzone.focus();
  } finally {
    el.fileInput.value = "";
  }
}

/** Files dropped: plain files, or whole folders (the unzipped export) walked for their CSVs. */
async function droppedEntries(dataTransfer) {
  const items = [...(dataTransfer.items ?? [])].filter((item) => item.kind === "file");
  const roots = items.map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!roots.length || roots.every((entry) => entry.isFile)) {
    return [...dataTransfer.files].map((file) => ({ file, path: file.name }));
  }
  const out = [];
  const fileOf = (entry) => new Promise((resolve, reject) => entry.file(resolve, reject));
  const readAll = async (reader) => {
    const all = [];
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) return all;
      all.push(...batch);
    }
  };
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      if (/\.(csv|zip)$/i.test(entry.name)) out.push({ file: await fileOf(entry), path: prefix + entry.name });
    } else if (entry.isDirectory) {
      for (const child of await readAll(entry.createReader())) await walk(child, `${prefix}${entry.name}/`);
    }
  };
  for (const root of roots) {
    if (root.isDirectory) {
      // Paths inside a dropped folder are kept relative to it: "likes/films.csv".
      for (const child of await readAll(root.createReader())) await walk(child, "");
    } else {
      await walk(root, "");
    }
  }
  return out;
}

function wireUpload() {
  el.dropzone.addEventListener("click", openPicker);
  el.dropzone.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openPicker();
    }
  });
  el.fileInput.addEventListener("change", () => {
    const entries = [...el.fileInput.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
    startUpload(entries);
  });
  let depth = 0;
  el.dropzone.addEventListener("dragenter", (event) => {
    event.preventDefault();
    depth += 1;
    el.dropzone.classList.add("dragging");
  });
  el.dropzone.addEventListener("dragover", (event) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  el.dropzone.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) el.dropzone.classList.remove("dragging");
  });
  el.dropzone.addEventListener("drop", async (event) => {
    event.preventDefault();
    depth = 0;
    el.dropzone.classList.remove("dragging");
    try {
      const entries = await droppedEntries(event.dataTransfer);
      if (!entries.length) {
        alertError("That drop held no .zip or .csv file. Drop your Letterboxd export zip or its CSV files.");
        return;
      }
      startUpload(entries);
    } catch {
      alertError("Could not read the dropped files. Try choosing them with the file picker instead.");
    }
  });
  // A file dropped beside the zone should not navigate away from the page.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());
}

// ---------------------------------------------------------------------------------------------
// A session: progress, analytics, unmatched films

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

async function openSession(id, initial = null) {
  leaveSession();
  clearMessages();
  const cur = { id, ctl: new AbortController(), session: null, final: false, timer: 0, seq: 0, shownSeq: 0 };
  current = cur;
  history.replaceState(null, "", `/?session=${encodeURIComponent(id)}`);
  resetSessionView();
  showSessionView();
  let session = initial;
  if (!session) {
    try {
      session = await api(`/api/sessions/${encodeURIComponent(id)}`, { signal: cur.ctl.signal });
    } catch (error) {
      if (cur.ctl.signal.aborted) return;
      if (error.status === 404 || error.status === 400) {
        showUpload();
        alertError(`${error.message.replace(/\.$/, "")}. It may have been deleted, or removed after its retention period. Upload your export again to see your statistics.`);
        return;
      }
      alertError(error.message);
    }
  }
  if (cur !== current) return;
  if (session) applySession(cur, session);
  if (!cur.final) follow(cur);
}

function applySession(cur, session) {
  if (cur !== current) return;
  cur.session = session;
  renderSession(session);
  if (FINAL.has(session.status)) {
    if (!cur.final) {
      cur.final = true;
      finish(cur);
    }
  } else {
    cur.final = false;
  }
}

/** Follow the event stream until a final status, reconnecting with a short backoff. */
async function follow(cur) {
  const { signal } = cur.ctl;
  let delay = 500;
  scheduleAnalytics(cur, 0);
  while (!signal.aborted && !cur.final) {
    try {
      await streamEvents(
        cur.id,
        (session) => {
          delay = 500;
          applySession(cur, session);
        },
        signal,
      );
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
        alertError(error.message);
        setStatus("This session is gone.");
        return;
      }
    }
    if (signal.aborted || cur.final) return;
    setStatus("The connection to the server was interrupted. Reconnecting…");
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 8000);
  }
}

function setProgress(done, total, percent) {
  el.progress.setAttribute("aria-valuenow", String(percent));
  el.progress.setAttribute("aria-valuetext", `${num(done)} of ${plural(total, "film")}`);
  el.progressFill.style.width = `${percent}%`;
  el.progressPercent.textContent = `${percent}%`;
}

function renderSession(session) {
  const p = session.progress ?? { total: 0, done: 0, matched: 0, not_found: 0, failed: 0 };
  const final = FINAL.has(session.status);
  const percent = p.total ? Math.floor((Math.min(p.done, p.total) * 100) / p.total) : final ? 100 : 0;
  setProgress(p.done, p.total, percent);
  el.sessionView.dataset.status = session.status;
  el.progressCount.textContent = `${num(p.done)} of ${plural(p.total, "film")}`;
  el.countMatched.textContent = num(p.matched);
  el.countNotFound.textContent = num(p.not_found);
  el.countFailed.textContent = num(p.failed);
  el.progress.classList.toggle("failed", session.status === "failed");
  const source = info.demo ? "the demo catalogue" : "TMDB";
  if (session.status === "enriching") {
    el.progressTitle.textContent = "Matching your films";
    setStatus(`Looking up every film in ${source}. The charts fill in as films are matched.`);
  } else if (session.status === "completed") {
    el.progressTitle.textContent = "All films processed";
    const misses = [p.not_found && `${num(p.not_found)} not found`, p.failed && `${num(p.failed)} failed`].filter(Boolean);
    setStatus(
      p.total
        ? `Done: ${num(p.matched)} of ${plural(p.total, "film")} matched${misses.length ? ` (${misses.join(", ")})` : ""}.`
        : "Done: this export holds no watched films, only a watchlist.",
    );
  } else if (session.status === "failed") {
    el.progressTitle.textContent = "Enrichment failed";
    setStatus(`Enrichment failed: ${session.error || "no film could be looked up."}`);
  } else if (session.status === "cancelled") {
    el.progressTitle.textContent = "Enrichment cancelled";
    setStatus("Enrichment was cancelled before every film was looked up.");
  }
  const created = when(session.created_at);
  el.sessionMeta.textContent = created ? `Uploaded ${created}` : "";
  renderFiles(session.files);
}

function renderFiles(files) {
  if (!Array.isArray(files) || !files.length || el.filesList.childElementCount) return;
  const read = files.filter((f) => f.kind !== "skipped");
  el.filesSummary.textContent = `${plural(read.length, "file")} read${
    files.length > read.length ? `, ${num(files.length - read.length)} skipped` : ""
  }`;
  setChildren(
    el.filesList,
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
      ]),
    ),
  );
  show(el.files, true);
}

// While enriching, analytics are refreshed every few seconds; once final, loaded one last time.

function scheduleAnalytics(cur, delay) {
  clearTimeout(cur.timer);
  cur.timer = setTimeout(async () => {
    if (cur !== current || cur.final) return;
    await loadAnalytics(cur);
    if (cur === current && !cur.final) scheduleAnalytics(cur, ANALYTICS_EVERY_MS);
  }, delay);
}

async function loadAnalytics(cur, { last = false } = {}) {
  const seq = ++cur.seq;
  let analytics;
  try {
    analytics = await api(`/api/sessions/${encodeURIComponent(cur.id)}/analytics`, { signal: cur.ctl.signal });
  } catch (error) {
    if (cur.ctl.signal.aborted) return;
    if (last) alertError(`The statistics could not be loaded: ${error.message}`);
    return;
  }
  if (cur !== current || seq < cur.shownSeq) return;
  cur.shownSeq = seq;
  renderAnalytics(analytics);
  return analytics;
}

function renderAnalytics(analytics) {
  const complete = analytics.complete !== false;
  show(el.resultsLoading, false);
  show(el.updating, !complete);
  renderHeadline(el.headline, analytics);
  renderCharts(el.dashboard, { ...analytics, complete });
  const nothing = complete && !analytics.films; // only a watchlist: one calm note instead of 12 empty cards
  show(el.noFilms, nothing);
  show(el.dashboard, !nothing);
  el.dashboard.dataset.complete = String(complete);
}

async function finish(cur) {
  clearTimeout(cur.timer);
  // The session is final; should the statistics lag a moment behind, ask again a few times.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const analytics = await loadAnalytics(cur, { last: true });
    if (cur !== current || !cur.final || !analytics || analytics.complete !== false) break;
    await sleep(1000, cur.ctl.signal);
  }
  if (cur !== current || !cur.final) return;
  await loadUnmatched(cur);
}

// Unmatched films: not_found and failed, each a list with its own "Show more".

const GROUPS = [
  { status: "not_found", title: "Not found", key: "not_found" },
  { status: "failed", title: "Could not be looked up", key: "failed" },
];

async function loadUnmatched(cur) {
  const p = cur.session?.progress ?? {};
  el.unmatchedGroups.replaceChildren();
  cur.sources = [];
  for (const group of GROUPS) {
    const count = p[group.key] ?? 0;
    if (!count) continue;
    const list = h("ul", { class: "film-list", "data-status": group.status });
    const more = h("button", { type: "button", class: "btn btn-secondary more", hidden: true, text: "Show more" });
    const source = { ...group, list, more, cursor: null };
    more.addEventListener("click", () => loadPage(cur, source));
    el.unmatchedGroups.append(
      h("section", { class: "film-group", "aria-label": group.title }, [
        h("h4", {}, [group.title, " ", h("span", { class: "count-badge", text: num(count) })]),
        list,
        more,
      ]),
    );
    cur.sources.push(source);
  }
  el.retryButton.disabled = false;
  el.retryButton.textContent = "Retry unmatched films";
  show(el.unmatched, cur.sources.length > 0);
  for (const source of cur.sources) await loadPage(cur, source);
}

async function loadPage(cur, source) {
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
  if (cur !== current) return;
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

async function retryUnmatched() {
  const cur = current;
  if (!cur) return;
  el.retryButton.disabled = true;
  el.retryButton.textContent = "Retrying…";
  clearMessages();
  let session;
  try {
    session = await api(`/api/sessions/${encodeURIComponent(cur.id)}/retry`, { method: "POST", signal: cur.ctl.signal });
  } catch (error) {
    if (cur.ctl.signal.aborted) return;
    el.retryButton.disabled = false;
    el.retryButton.textContent = "Retry unmatched films";
    alertError(error.message);
    return;
  }
  if (cur !== current) return;
  show(el.unmatched, false);
  cur.final = false;
  applySession(cur, session);
  $("#progress-card").scrollIntoView({ behavior: "smooth", block: "start" });
  el.sessionTitle.focus({ preventScroll: true });
  if (!cur.final) follow(cur);
}

// Delete, with an inline confirmation (no browser dialog).

function closeDeleteConfirm() {
  show(el.deleteConfirm, false);
  show(el.deleteButton, true);
}

async function deleteSession() {
  const cur = current;
  if (!cur) return;
  el.deleteYes.disabled = true;
  try {
    await api(`/api/sessions/${encodeURIComponent(cur.id)}`, { method: "DELETE", signal: cur.ctl.signal });
  } catch (error) {
    if (cur.ctl.signal.aborted) return;
    alertError(error.message);
    return;
  } finally {
    el.deleteYes.disabled = false;
  }
  showUpload();
  notify("The session and the files uploaded with it were deleted.");
  el.dropzone.focus();
}

// ---------------------------------------------------------------------------------------------

function main() {
  wireUpload();
  el.newUpload.addEventListener("click", () => {
    clearMessages();
    showUpload();
    el.dropzone.focus();
  });
  el.brand.addEventListener("click", (event) => {
    if (!current) return;
    event.preventDefault();
    clearMessages();
    showUpload();
  });
  el.retryButton.addEventListener("click", retryUnmatched);
  el.deleteButton.addEventListener("click", () => {
    show(el.deleteButton, false);
    show(el.deleteConfirm, true);
    el.deleteNo.focus();
  });
  el.deleteNo.addEventListener("click", () => {
    closeDeleteConfirm();
    el.deleteButton.focus();
  });
  el.deleteYes.addEventListener("click", deleteSession);
  loadInfo();
  const id = new URLSearchParams(location.search).get("session");
  if (id) openSession(id);
  else showUpload();
}

main();
