// Deleting a session, with an inline confirmation (no browser dialog).

import { api } from "../lib/api.js";
import { $, show } from "../lib/dom.js";
import { alertError } from "./messages.js";

export function closeDeleteConfirm() {
  show($("#delete-confirm"), false);
  show($("#delete-button"), true);
}

/** Wire the buttons; `deleted()` runs once the session is gone, `current()` is the session on screen. */
export function wireDelete(current, deleted) {
  $("#delete-button").addEventListener("click", () => {
    show($("#delete-button"), false);
    show($("#delete-confirm"), true);
    $("#delete-no").focus();
  });
  $("#delete-no").addEventListener("click", () => {
    closeDeleteConfirm();
    $("#delete-button").focus();
  });
  $("#delete-yes").addEventListener("click", async () => {
    const cur = current();
    if (!cur) return;
    const yes = $("#delete-yes");
    yes.disabled = true;
    try {
      await api(`/api/sessions/${encodeURIComponent(cur.id)}`, { method: "DELETE", signal: cur.ctl.signal });
    } catch (error) {
      if (cur.ctl.signal.aborted) return;
      alertError(error.message);
      return;
    } finally {
      yes.disabled = false;
    }
    deleted();
  });
}
