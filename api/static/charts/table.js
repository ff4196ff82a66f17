// A chart's text alternative: its entries as a table, each label a button that lists the entry's
// films when the chart can be drilled into. Folded away under "Table" so it costs no space.

import { h } from "../lib/dom.js";

/**
 * entries: [{label, value, tip}] as the chart draws them; valueText(entry) formats the value.
 * onSelect(entry), when given, makes each label a button.
 */
export function chartTable({ title, entries, valueHeading = "Count", valueText = (e) => String(e.value), onSelect }) {
  const rows = entries.map((entry) =>
    h("tr", {}, [
      h("th", { scope: "row" }, [
        onSelect
          ? h("button", {
              type: "button",
              class: "link-button",
              text: entry.label,
              "aria-label": `${entry.tip}. List these films`,
              onclick: () => onSelect(entry),
            })
          : entry.label,
      ]),
      h("td", { text: valueText(entry) }),
    ]),
  );
  return h("details", { class: "chart-table" }, [
    h("summary", { text: "Table" }),
    h("table", {}, [
      h("caption", { class: "visually-hidden", text: title }),
      h("thead", {}, [h("tr", {}, [h("th", { scope: "col", text: "Entry" }), h("th", { scope: "col", text: valueHeading })])]),
      h("tbody", {}, rows),
    ]),
  ]);
}
