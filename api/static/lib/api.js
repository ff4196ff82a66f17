// Talking to the reelstats API: the bearer token, error sentences, the upload, the event stream.

import { readEvents } from "./sse.js";

const TOKEN_KEY = "reelstats.api-token";
export const NETWORK_MESSAGE =
  "Could not reach the reelstats server. Check your connection (or that the server is running) and try again.";

/** An API answer that is not a success; `message` is a sentence fit to show as it is. */
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

let token = readToken();
let askForToken = null; // set by the page: (rejected: boolean) => Promise<string>
let pendingAsk = null;

function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return "";
  }
}

function authHeaders() {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The page tells us how to ask the person for a token: a function returning a Promise<string>. */
export function onTokenNeeded(ask) {
  askForToken = ask;
}

/**
 * A request sent with token `sent` was answered 401. If a newer token has arrived since, just retry;
 * else ask the person (once for every request waiting) and keep the answer for this tab.
 */
async function obtainToken(sent) {
  if (token && token !== sent) return token;
  if (!askForToken) throw new ApiError("This server needs an API token.", 401);
  if (!pendingAsk) {
    const rejected = Boolean(sent);
    pendingAsk = askForToken(rejected).then((value) => {
      token = value.trim();
      try {
        sessionStorage.setItem(TOKEN_KEY, token);
      } catch {
        /* storage may be disabled: the token still lives in memory for this page */
      }
      return token;
    });
    const clear = () => {
      pendingAsk = null;
    };
    pendingAsk.then(clear, clear);
  }
  return pendingAsk;
}

/** The sentence to show for a failed response: the API's `{"error": ...}` or a plain fallback. */
async function errorOf(response) {
  let message = "";
  try {
    const body = await response.json();
    if (body && typeof body.error === "string") message = body.error;
  } catch {
    /* not JSON: fall through */
  }
  if (!message) {
    message =
      response.status >= 500
        ? `The server had a problem (HTTP ${response.status}). Please try again in a moment.`
        : `The server refused the request (HTTP ${response.status}).`;
  }
  return new ApiError(message, response.status);
}

/**
 * fetch() with the token; a 401 asks for a token and retries. Resolves to the parsed JSON (null for
 * 204), or to the Response itself with `{raw: true}`. Rejects with ApiError (status 0 = network).
 */
export async function api(path, { method = "GET", body, headers = {}, signal, raw = false } = {}) {
  for (;;) {
    const sent = token;
    let response;
    try {
      response = await fetch(path, { method, body, signal, headers: { ...headers, ...authHeaders() } });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError(NETWORK_MESSAGE, 0);
    }
    if (response.status === 401) {
      await obtainToken(sent);
      continue;
    }
    if (!response.ok) throw await errorOf(response);
    if (raw) return response;
    if (response.status === 204) return null;
    return response.json();
  }
}

/**
 * POST the files as multipart/form-data (one part named `files` each) to /api/sessions with
 * XMLHttpRequest, for upload progress. `entries` are {file, path}. Resolves to the session JSON.
 */
export async function uploadFiles(entries, { onProgress, signal } = {}) {
  const form = new FormData();
  for (const { file, path } of entries) form.append("files", file, path || file.webkitRelativePath || file.name);
  for (;;) {
    const sent = token;
    const { status, text } = await new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/sessions");
      for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : 0);
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new ApiError(NETWORK_MESSAGE, 0));
      xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
      signal?.addEventListener("abort", () => xhr.abort(), { once: true });
      xhr.send(form);
    });
    if (status === 401) {
      await obtainToken(sent);
      continue;
    }
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* handled below */
    }
    if (status >= 200 && status < 300 && body) return body;
    if (body && typeof body.error === "string") throw new ApiError(body.error, status);
    if (status === 413) throw new ApiError("The upload is larger than this server accepts.", status);
    throw new ApiError(`The upload failed (HTTP ${status}). Please try again.`, status);
  }
}

/**
 * Follow /api/sessions/{id}/events: call `onSession` with every `progress` event's session JSON.
 * Resolves when the stream ends (normally after a final status); rejects with ApiError, or with an
 * AbortError when `signal` aborts or when nothing (not even a heartbeat, sent every 15 s) arrived
 * for `idleMs`: a connection that died silently is given up so that the caller reconnects.
 */
export async function streamEvents(sessionId, onSession, signal, { idleMs = 45000 } = {}) {
  const ctl = new AbortController();
  const abort = () => ctl.abort();
  signal?.addEventListener("abort", abort, { once: true });
  let timer = 0;
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(abort, idleMs);
  };
  try {
    const response = await api(`/api/sessions/${encodeURIComponent(sessionId)}/events`, {
      headers: { Accept: "text/event-stream" },
      signal: ctl.signal,
      raw: true,
    });
    alive();
    for await (const event of readEvents(response, alive)) {
      if (event.event !== "progress") continue;
      let session;
      try {
        session = JSON.parse(event.data);
      } catch {
        continue;
      }
      onSession(session);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}
