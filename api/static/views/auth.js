// The API token prompt: shown when any /api/* call answers 401, the answer kept for this tab.

import { onTokenNeeded } from "../lib/api.js";
import { $, show } from "../lib/dom.js";

export function wireAuth() {
  const card = $("#auth");
  const form = $("#auth-form");
  const input = $("#auth-token");
  const error = $("#auth-error");
  onTokenNeeded(
    (rejected) =>
      new Promise((resolve) => {
        show(card, true);
        error.textContent = rejected ? "That token was not accepted. Check it and try again." : "";
        input.setAttribute("aria-invalid", rejected ? "true" : "false");
        input.value = "";
        card.scrollIntoView({ block: "nearest" });
        input.focus();
        form.onsubmit = (event) => {
          event.preventDefault();
          const value = input.value.trim();
          if (!value) {
            error.textContent = "Enter the token to continue.";
            input.setAttribute("aria-invalid", "true");
            input.focus();
            return;
          }
          form.onsubmit = null;
          show(card, false);
          resolve(value);
        };
      }),
  );
}
