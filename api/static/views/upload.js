// The upload view: a drop zone and file picker for an export (Letterboxd, IMDb, Trakt, Netflix):
// its zip, its CSV or JSON files, or the unzipped folder.

import { uploadFiles } from "../lib/api.js";
import { $, show } from "../lib/dom.js";
import { megabytes, num, plural } from "../lib/format.js";
import { alertError, clearMessages } from "./messages.js";

export const server = { demo: false, maxMb: 50 };
const EXPORT_FILE = /\.(csv|zip|json)$/i;
let onUploaded = () => {};

function setUploading(busy, text = "Uploading…") {
  const zone = $("#dropzone");
  zone.classList.toggle("busy", busy);
  zone.setAttribute("aria-disabled", busy ? "true" : "false");
  show($("#upload-state"), busy);
  $("#upload-text").textContent = text;
}

function openPicker() {
  if ($("#dropzone").classList.contains("busy")) return;
  $("#file-input").click();
}

async function startUpload(entries) {
  clearMessages();
  const zone = $("#dropzone");
  if (!entries.length || zone.classList.contains("busy")) return;
  const size = entries.reduce((total, e) => total + e.file.size, 0);
  const limit = server.maxMb * 1024 * 1024;
  if (size > limit) {
    const what =
      entries.length === 1 ? `${entries[0].path} is ${megabytes(size)}` : `These ${entries.length} files add up to ${megabytes(size)}`;
    alertError(`${what}, but this server accepts uploads of at most ${num(server.maxMb)} MB. Upload the export zip, or fewer files at a time.`);
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
    onUploaded(session);
  } catch (error) {
    setUploading(false);
    if (error.name === "AbortError") return;
    alertError(error.message);
    zone.focus();
  } finally {
    $("#file-input").value = "";
  }
}

/** Files dropped: plain files, or whole folders (the unzipped export) walked for their CSV and JSON files. */
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
      if (EXPORT_FILE.test(entry.name)) out.push({ file: await fileOf(entry), path: prefix + entry.name });
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

/** Wire the drop zone and picker; `uploaded(session)` is called with each stored session. */
export function wireUpload(uploaded) {
  onUploaded = uploaded;
  const zone = $("#dropzone");
  const input = $("#file-input");
  zone.addEventListener("click", openPicker);
  zone.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openPicker();
    }
  });
  input.addEventListener("change", () => {
    const entries = [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
    startUpload(entries);
  });
  let depth = 0;
  zone.addEventListener("dragenter", (event) => {
    event.preventDefault();
    depth += 1;
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  zone.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", async (event) => {
    event.preventDefault();
    depth = 0;
    zone.classList.remove("dragging");
    try {
      const entries = await droppedEntries(event.dataTransfer);
      if (!entries.length) {
        alertError("That drop held no .zip, .csv or .json file. Drop your export's zip, or its CSV or JSON files.");
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

/** Show the upload view (and forget the session on screen). */
export function showUploadView() {
  history.replaceState(null, "", "/");
  document.title = "reelstats — your films in numbers";
  show($("#session-view"), false);
  show($("#new-upload"), false);
  show($("#upload-view"), true);
}
