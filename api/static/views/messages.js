// The page's two message lines: an alert (role=alert) for errors, a notice (role=status) for news.

import { $ } from "../lib/dom.js";

const alertLine = () => $("#alert");
const noticeLine = () => $("#notice");

export function alertError(message) {
  noticeLine().textContent = "";
  alertLine().textContent = message;
}

export function notify(message) {
  alertLine().textContent = "";
  noticeLine().textContent = message;
}

export function clearMessages() {
  alertLine().textContent = "";
  noticeLine().textContent = "";
}
