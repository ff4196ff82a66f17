// The year switcher: All time, then each year with watches, newest first; links the URL carries.

import { $, h, setChildren, show } from "../lib/dom.js";

/** The address of a session's view: all time (year null) or one year. */
export function viewHref(sessionId, year) {
  const query = new URLSearchParams({ session: sessionId });
  if (year) query.set("year", String(year));
  return `/?${query}`;
}

/** Draw the switcher; `pick(year | null)` is called on a click (the link still works without it). */
export function renderSwitcher(sessionId, years, current, pick) {
  const nav = $("#year-switcher");
  const choices = [null, ...[...years].sort((a, b) => b - a)];
  if (current && !choices.includes(current)) choices.splice(1, 0, current); // a year without watches, asked for
  setChildren(
    nav,
    h(
      "ul",
      {},
      choices.map((year) =>
        h("li", {}, [
          h("a", {
            href: viewHref(sessionId, year),
            class: "year-choice",
            "data-year": year ?? "all",
            "aria-current": (year ?? null) === (current ?? null) ? "page" : null,
            text: year ? String(year) : "All time",
            onclick: (event) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button) return; // new tab: let it
              event.preventDefault();
              pick(year);
            },
          }),
        ]),
      ),
    ),
  );
  show(nav, years.length > 0);
}
