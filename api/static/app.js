// reelstats web page: upload an export, follow its enrichment, show the statistics.
//
// One module per view or part of one, wired here:
//   views/upload.js   the upload view          views/session.js   a session: progress, statistics
//   views/progress.js the progress card         views/switcher.js  All time / each year
//   views/headline.js headline numbers          views/cards.js     chart cards (layouts.js: which)
//   views/chartdefs.js the bar charts           views/lists.js     lists, tables, the calendar
//   views/films.js    drill-down film lists     views/share.js     a year's summary as an image
//   views/check.js    "Check your matches"      views/matcher.js   correcting one film's match
//   views/remove.js   deleting a session
//   views/auth.js     the API token prompt      views/messages.js  alert and notice lines
// Shared: lib/ (api, sse, dom, format, tmdb) and charts/ (bars, calendar, table).

import { api } from "./lib/api.js";
import { $, show } from "./lib/dom.js";
import { num } from "./lib/format.js";
import { TMDB_NOTICE } from "./lib/tmdb.js";
import { wireAuth } from "./views/auth.js";
import { wireFilms } from "./views/films.js";
import { clearMessages, notify } from "./views/messages.js";
import { wireDelete } from "./views/remove.js";
import { currentSession, leaveSession, onMatchChosen, openSession, switchYear, wireSession } from "./views/session.js";
import { server, showUploadView, wireUpload } from "./views/upload.js";

/** Server facts: demo catalogue, upload limit. */
async function loadInfo() {
  try {
    const answer = await api("/api/info");
    server.demo = Boolean(answer.demo_catalogue);
    if (Number(answer.max_upload_mb) > 0) server.maxMb = Number(answer.max_upload_mb);
  } catch {
    return; // an older server without /api/info: keep the defaults
  }
  show($("#demo-banner"), server.demo);
  $("#max-mb").textContent = num(server.maxMb);
  $("#source-name").textContent = server.demo ? "the bundled demo catalogue (facts from TMDB)" : "TMDB";
}

/** The session and year of the address; a year that is not one is passed on for the API to refuse. */
function route() {
  const query = new URLSearchParams(location.search);
  const raw = query.get("year");
  return { id: query.get("session"), year: raw === null ? null : /^\d{4}$/.test(raw) ? Number(raw) : raw };
}

function toUpload() {
  leaveSession();
  showUploadView();
}

function main() {
  $("#tmdb-notice").textContent = TMDB_NOTICE;
  wireAuth();
  wireFilms({ demo: () => server.demo, onChosen: onMatchChosen });
  wireSession();
  wireUpload((session) => {
    openSession(session.id, { initial: session });
    $("#session-title").focus();
  });
  wireDelete(currentSession, () => {
    toUpload();
    notify("The session and the files uploaded with it were deleted.");
    $("#dropzone").focus();
  });
  $("#new-upload").addEventListener("click", () => {
    clearMessages();
    toUpload();
    $("#dropzone").focus();
  });
  $("#brand-link").addEventListener("click", (event) => {
    if (!currentSession()) return;
    event.preventDefault();
    clearMessages();
    toUpload();
  });
  // Back and forward between years (and sessions) of this page.
  window.addEventListener("popstate", () => {
    const { id, year } = route();
    const cur = currentSession();
    if (id && cur && cur.id === id) switchYear(year, { push: false });
    else if (id) openSession(id, { year });
    else toUpload();
  });
  loadInfo();
  const { id, year } = route();
  if (id) openSession(id, { year });
  else showUploadView();
}

main();
