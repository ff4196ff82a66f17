// Chart cards in a grid: built once per layout, updated in place as new analytics arrive.
//
// A card definition is {key, title, wide?, matched?, empty, ...} and either a bar chart
// ({kind, entries(data, analytics), describe(shown, all), limit, filter?(entry), ...}, drawn by
// charts/bars.js with its table alternative) or {render(body, analytics, ctx), isEmpty(analytics)}
// for lists and tables. ctx: {complete, year, select(filters, title)}; a bar's filter(entry)
// gives the drill-down filters of GET …/films that list the bar's films. A card whose field is
// null (the upload cannot tell it: ratings of a Netflix history, rewatches on IMDb) is hidden.

import { mountChart, unmountChart } from "../charts/bars.js";
import { chartTable } from "../charts/table.js";
import { h, setChildren } from "../lib/dom.js";

const grids = new WeakMap(); // grid -> {layout, cards: Map(key -> {card, body, sub, extra})}

/** Forget a grid's cards (another session or layout is shown). */
export function resetCards(grid) {
  const state = grids.get(grid);
  if (state) for (const { body } of state.cards.values()) unmountChart(body);
  grids.delete(grid);
  grid.replaceChildren();
}

function emptyIcon(waiting) {
  return h("span", { class: "empty-icon", "aria-hidden": "true", text: waiting ? "…" : "—" });
}

function cardOf(grid, state, def) {
  let slot = state.cards.get(def.key);
  if (slot && grid.contains(slot.card)) return slot;
  const headingId = `card-${def.key}`;
  const sub = h("p", { class: "card-sub" });
  const body = h("div", { class: "chart" });
  const extra = h("div", { class: "card-extra" });
  const card = h("article", { class: `card chart-card${def.wide ? " wide" : ""}`, "aria-labelledby": headingId, "data-card": def.key }, [
    h("header", { class: "card-head" }, [h("h3", { id: headingId, text: def.title }), sub]),
    body,
    extra,
  ]);
  grid.append(card);
  slot = { card, body, sub, extra };
  state.cards.set(def.key, slot);
  return slot;
}

/** Build (once per layout) or update the cards of `defs` in `grid` from an analytics answer. */
export function renderCards(grid, layout, defs, analytics, ctx) {
  let state = grids.get(grid);
  if (!state || state.layout !== layout) {
    resetCards(grid);
    state = { layout, cards: new Map() };
    grids.set(grid, state);
  }
  for (const def of defs) {
    const slot = cardOf(grid, state, def);
    const unknown = analytics[def.key] === null;
    slot.card.hidden = unknown;
    if (unknown) {
      unmountChart(slot.body);
      slot.body.replaceChildren();
      slot.extra.replaceChildren();
      continue;
    }
    if (def.render) {
      const empty = def.isEmpty(analytics);
      slot.sub.textContent = def.subtitle ? def.subtitle(analytics, ctx) : "";
      slot.extra.replaceChildren();
      if (empty) showEmpty(slot, def, ctx);
      else def.render(slot.body, analytics, ctx);
      continue;
    }
    renderBars(slot, def, analytics, ctx);
  }
}

function showEmpty(slot, def, ctx) {
  unmountChart(slot.body);
  const waiting = def.matched && !ctx.complete;
  setChildren(slot.body, [
    h("div", { class: `empty${waiting ? " waiting" : ""}`, "data-empty-chart": def.key }, [
      emptyIcon(waiting),
      h("p", { text: waiting ? "Fills in as films are matched…" : def.empty }),
    ]),
  ]);
}

function renderBars(slot, def, analytics, ctx) {
  const data = Array.isArray(analytics[def.key]) ? analytics[def.key] : [];
  const all = def.entries(data, analytics);
  const shown = def.limit ? all.slice(0, def.limit) : all;
  const empty = shown.length === 0 || (def.isEmpty && def.isEmpty(data));
  // The API may cut long rankings itself, so "of N" would not always be the true total.
  slot.sub.textContent = !empty && def.limit && all.length > def.limit ? `Top ${def.limit}` : def.note ?? "";
  slot.extra.replaceChildren();
  if (empty) {
    showEmpty(slot, def, ctx);
    return;
  }
  const onSelect = def.filter
    ? (entry) => ctx.select({ ...def.filter(entry, analytics), ...(ctx.year ? { watched_year: String(ctx.year) } : {}) }, `${def.title}: ${entry.label}`)
    : null;
  mountChart(slot.body, {
    key: def.key,
    title: def.title,
    desc: def.describe(shown, all),
    kind: def.kind,
    axis: def.axis,
    steps: def.steps,
    labelOf: def.labelOf,
    limit: def.limit,
    max: def.max,
    valueText: def.valueText,
    showValues: def.showValues,
    entries: shown,
    onSelect,
  });
  slot.extra.append(
    chartTable({
      title: def.title,
      entries: shown,
      valueHeading: def.valueHeading ?? "Films",
      valueText: def.valueText ?? ((e) => String(e.value)),
      onSelect,
    }),
  );
}
