// One session on screen: its progress (event stream), its statistics all time or for a year, the
// films to check. The address says which: /?session=<id>[&year=YYYY]. A corrected match re-opens
// the event stream (it ended with the last final status) and the statistics follow the worker.

import { ApiError, api, streamEvents } from "../lib/api.js";
import { $, show } from "../lib/dom.js";
import { attribution } from "../lib/tmdb.js";
import { renderCards, resetCards } from "./cards.js";
import { loadCheck, noteChosen, resetCheck, retryUnmatched } from "./check.js";
import { openFilms } from "./films.js";
import { allTimeStats, renderHeadline, yearStats } from "./headline.js";
import { ALL_TIME, YEAR } from "./layouts.js";
import { alertError, clearMessages } from "./messages.js";
import { FINAL, renderProgress, resetProgress, setStatus } from "./progress.js";
import { closeDeleteConfirm } from "./remove.js";
import { downloadPng, downloadSvg } from "./share.js";
import { renderSwitcher, viewHref } from "./switcher.js";
import { server, showUploadView } from "./upload.js";

const ANALYTICS_EVERY_MS = 4000;
let current = null; // {id, year, ctl, session, final, timer, seq, shownSeq, analytics, follower, correcting}

export const currentSession = () => current;
const isCurrent = (cur) => cur === current;
const source = () => (server.demo ? "the demo catalogue" : "TMDB");

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export function leaveSession() {
  if (!current) return;
  current.ctl.abort();
  clearTimeout(current.timer);
  current = null;
}

function resetSessionView() {
  const grid = $("#dashboard");
  resetCards(grid);
  $("#headline").replaceChildren();
  grid.dataset.complete = "false";
  grid.dataset.year = "";
  resetCheck();
  show($("#no-films"), false);
  show(grid, true);
  show($("#updating"), false);
  show($("#results-loading"), true);
  show($("#year-switcher"), false);
  show($("#share"), false);
  $("#results-title").textContent = "Overview";
  resetProgress();
  closeDeleteConfirm();
}

function showSessionView() {
  show($("#upload-view"), false);
  show($("#session-view"), true);
  show($("#new-upload"), true);
}

function setTitle(year) {
  document.title = year ? `${year} in review — reelstats` : "Your film statistics — reelstats";
}

/** Open a session (`initial`: its JSON when just uploaded), all time or for `year`. */
export async function openSession(id, { initial = null, year = null } = {}) {
  leaveSession();
  clearMessages();
  const cur = {
    id,
    year,
    ctl: new AbortController(),
    session: null,
    final: false,
    timer: 0,
    seq: 0,
    shownSeq: 0,
    analytics: null,
    follower: null,
    correcting: false,
  };
  current = cur;
  history.replaceState(null, "", viewHref(id, year));
  resetSessionView();
  showSessionView();
  setTitle(year);
  let session = initial;
  if (!session) {
    try {
      session = await api(`/api/sessions/${encodeURIComponent(id)}`, { signal: cur.ctl.signal });
    } catch (error) {
      if (cur.ctl.signal.aborted) return;
      if (error.status === 404 || error.status === 400) {
        leaveSession();
        showUploadView();
        alertError(`${error.message.replace(/\.$/, "")}. It may have been deleted, or removed after its retention period. Upload your export again to see your statistics.`);
        return;
      }
      alertError(error.message);
    }
  }
  if (!isCurrent(cur)) return;
  if (session) applySession(cur, session);
  if (!cur.final) follow(cur);
}

/** Show another year (null: all time) of the session on screen, and put it in the address. */
export async function switchYear(year, { push = true } = {}) {
  const cur = current;
  if (!cur || cur.year === year) return;
  cur.year = year;
  if (push) history.pushState(null, "", viewHref(cur.id, year));
  setTitle(year);
  show($("#updating"), true);
  await loadAnalytics(cur, { last: cur.final });
}

function applySession(cur, session) {
  if (!isCurrent(cur)) return;
  cur.session = session;
  renderProgress(session, source(), { correcting: cur.correcting });
  if (FINAL.has(session.status)) {
    if (!cur.final) {
      cur.final = true;
      finish(cur);
    }
  } else {
    cur.final = false;
  }
}

/**
 * Follow the event stream until a final status, reconnecting with a short backoff. A later call
 * (after a correction) takes over: an older loop still winding down neither applies nor reconnects.
 */
async function follow(cur) {
  const { signal } = cur.ctl;
  const me = Symbol("follower");
  cur.follower = me;
  const active = () => !signal.aborted && cur.follower === me && !cur.final;
  let delay = 500;
  scheduleAnalytics(cur, 0);
  while (active()) {
    try {
      await streamEvents(
        cur.id,
        (session) => {
          if (cur.follower !== me) return;
          delay = 500;
          applySession(cur, session);
        },
        signal,
      );
    } catch (error) {
      if (signal.aborted || cur.follower !== me) return;
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
        alertError(error.message);
        setStatus("This session is gone.");
        return;
      }
    }
    if (!active()) return;
    setStatus("The connection to the server was interrupted. Reconnecting…");
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 8000);
  }
}

// While enriching, the statistics are refreshed every few seconds; once final, loaded one last time.

function scheduleAnalytics(cur, delay) {
  clearTimeout(cur.timer);
  cur.timer = setTimeout(async () => {
    if (!isCurrent(cur) || cur.final) return;
    await loadAnalytics(cur);
    if (isCurrent(cur) && !cur.final) scheduleAnalytics(cur, ANALYTICS_EVERY_MS);
  }, delay);
}

async function loadAnalytics(cur, { last = false } = {}) {
  const seq = ++cur.seq;
  const year = cur.year;
  const query = year ? `?year=${encodeURIComponent(year)}` : "";
  let analytics;
  try {
    analytics = await api(`/api/sessions/${encodeURIComponent(cur.id)}/analytics${query}`, { signal: cur.ctl.signal });
  } catch (error) {
    if (cur.ctl.signal.aborted) return undefined;
    if (error.status === 400 && year) {
      alertError(`${error.message}; showing all time instead.`);
      cur.year = null;
      history.replaceState(null, "", viewHref(cur.id, null));
      return loadAnalytics(cur, { last });
    }
    if (last) alertError(`The statistics could not be loaded: ${error.message}`);
    return undefined;
  }
  if (!isCurrent(cur) || seq < cur.shownSeq || year !== cur.year) return analytics;
  cur.shownSeq = seq;
  cur.analytics = analytics;
  renderAnalytics(cur, analytics);
  return analytics;
}

function renderAnalytics(cur, analytics) {
  const complete = analytics.complete !== false;
  const year = analytics.year ?? null;
  const grid = $("#dashboard");
  show($("#results-loading"), false);
  show($("#updating"), !complete);
  $("#results-title").textContent = year ? `${year} in review` : "Overview";
  renderSwitcher(cur.id, analytics.watch_years ?? [], year, (picked) => switchYear(picked));
  renderHeadline($("#headline"), year ? yearStats(analytics) : allTimeStats(analytics));
  const ctx = {
    complete,
    year,
    demo: server.demo,
    select: (filters, title) => openFilms(cur.id, filters, year ? `${title} (${year})` : title),
    yearHref: (y) => viewHref(cur.id, y),
  };
  renderCards(grid, year ? "year" : "all", year ? YEAR : ALL_TIME, analytics, ctx);
  const nothing = complete && !analytics.films && !year; // only a watchlist: one calm note instead of empty cards
  show($("#no-films"), nothing);
  show(grid, !nothing);
  show($("#share"), Boolean(year) && analytics.watches > 0);
  $("#tmdb-data-note").replaceChildren(attribution(server.demo));
  grid.dataset.year = year ? String(year) : "all";
  grid.dataset.complete = String(complete);
}

async function finish(cur) {
  clearTimeout(cur.timer);
  // The session is final; should the statistics lag a moment behind, ask again a few times.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const analytics = await loadAnalytics(cur, { last: true });
    if (!isCurrent(cur) || !cur.final || !analytics || analytics.complete !== false) break;
    await sleep(1000, cur.ctl.signal);
  }
  if (!isCurrent(cur) || !cur.final) return;
  const pending = await loadCheck(cur, { demo: server.demo, onChosen: (film) => matchChosen(cur, film) });
  if (pending && isCurrent(cur) && cur.final) {
    // A film chosen a moment before this final status is still being fetched: follow again.
    await sleep(1000, cur.ctl.signal);
    refollow(cur);
  }
}

/** Follow the session again if its stream has ended (a correction re-opens enrichment). */
function refollow(cur) {
  if (!isCurrent(cur) || !cur.final) return;
  cur.final = false;
  follow(cur);
}

/**
 * The person chose a film (or "not on TMDB") for one of the session's films, here or in a film
 * list. With an id the session is enriching again until a worker has the film; the stream's first
 * event says so, and its final status reloads the statistics and the films to check.
 */
function matchChosen(cur, film) {
  if (!isCurrent(cur)) return;
  noteChosen(film);
  cur.correcting = true;
  refollow(cur);
}

/** For the film lists (views/films.js): a match chosen there. */
export function onMatchChosen(film) {
  if (current) matchChosen(current, film);
}

async function retry() {
  const cur = current;
  if (!cur) return;
  const session = await retryUnmatched(cur);
  if (!session || !isCurrent(cur)) return;
  cur.final = false;
  cur.correcting = false;
  applySession(cur, session);
  $("#progress-card").scrollIntoView({ behavior: "smooth", block: "start" });
  $("#session-title").focus({ preventScroll: true });
  if (!cur.final) follow(cur);
}

async function share(kind) {
  const cur = current;
  if (!cur?.analytics?.year) return;
  const options = { demo: server.demo };
  try {
    if (kind === "png") await downloadPng(cur.analytics, options);
    else downloadSvg(cur.analytics, options);
  } catch {
    alertError("This browser could not draw the image; try the SVG download instead.");
  }
}

export function wireSession() {
  $("#retry-button").addEventListener("click", retry);
  $("#share-svg").addEventListener("click", () => share("svg"));
  $("#share-png").addEventListener("click", () => share("png"));
  // Year links elsewhere on the page (the year-over-year table) switch in place too.
  $("#dashboard").addEventListener("click", (event) => {
    const link = event.target.closest?.("a.year-link");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button) return;
    event.preventDefault();
    switchYear(Number(link.dataset.year));
    $("#results-title").scrollIntoView({ block: "start" });
  });
}
