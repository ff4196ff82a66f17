// The statistics: headline numbers and one card per chart, from /api/sessions/{id}/analytics.

import { mountChart, unmountChart } from "./charts.js";
import { h, setChildren } from "./dom.js";
import { dateRange, dec1, monthIndex, monthLabel, num, plural, runtime, stars } from "./format.js";

const films = (n) => plural(n, "film");
const watches = (n) => plural(n, "watch", "watches");

/** A ranking [{name, count}] as bars. */
const ranked = (what) => ({
  kind: "horizontal",
  entries: (data) => data.map((e) => ({ label: e.name, value: e.count, tip: `${e.name}: ${films(e.count)}` })),
  valueText: (e) => num(e.value),
  describe: (shown, all) =>
    shown.length ? `${what}: ${shown[0].label} leads with ${films(shown[0].value)}.` : "",
});

/**
 * The charts, in page order. `limit` is the top-N cut (null: every entry is drawn); it is also the
 * svg's data-limit attribute, so a test can compare the bars with the API's data.
 */
export const CHARTS = [
  {
    key: "watches_by_month",
    title: "Watches by month",
    wide: true,
    limit: null,
    kind: "vertical",
    axis: "linear",
    steps: [1, 2, 3, 6, 12, 24, 36, 60],
    labelOf: (pos) => `${Math.floor(pos / 12)}-${String((pos % 12) + 1).padStart(2, "0")}`,
    entries: (data) =>
      data.map((e) => ({
        label: e.month,
        value: e.count,
        pos: monthIndex(e.month),
        tip: `${e.month} (${monthLabel(e.month)}): ${watches(e.count)}`,
      })),
    describe: (shown) => (shown.length ? `${watches(sum(shown))} from ${shown[0].label} to ${shown.at(-1).label}.` : ""),
    empty: "No diary dates in this export",
  },
  {
    key: "ratings",
    title: "Ratings",
    limit: null,
    kind: "vertical",
    isEmpty: (data) => data.every((e) => !e.count),
    entries: (data) => data.map((e) => ({ label: stars(e.rating), value: e.count, tip: `${stars(e.rating)}: ${films(e.count)}` })),
    describe: (shown) => {
      const top = shown.reduce((a, b) => (b.value > a.value ? b : a), shown[0]);
      return top ? `Most films are rated ${top.label}: ${films(top.value)}.` : "";
    },
    empty: "No ratings in this export",
  },
  {
    key: "decades",
    title: "Decades",
    limit: null,
    kind: "vertical",
    entries: (data) => data.map((e) => ({ label: `${e.decade}s`, value: e.count, tip: `${e.decade}s: ${films(e.count)}` })),
    describe: (shown) => (shown.length ? `Films from the ${shown[0].label} to the ${shown.at(-1).label}.` : ""),
    empty: "No release years in this export",
    matched: true,
  },
  {
    key: "release_years",
    title: "Release years",
    wide: true,
    limit: null,
    kind: "vertical",
    axis: "linear",
    steps: [1, 2, 5, 10, 20, 25, 50],
    labelOf: (pos) => String(pos),
    showValues: false,
    entries: (data) => data.map((e) => ({ label: String(e.year), value: e.count, pos: e.year, tip: `${e.year}: ${films(e.count)}` })),
    describe: (shown) => (shown.length ? `Films released from ${shown[0].label} to ${shown.at(-1).label}.` : ""),
    empty: "No release dates for these films",
    matched: true,
  },
  { key: "genres", title: "Genres", limit: 12, ...ranked("Genres"), empty: "No genres for these films", matched: true },
  {
    key: "average_rating_by_genre",
    title: "Average rating by genre",
    limit: 12,
    kind: "horizontal",
    max: 5,
    entries: (data) =>
      data.map((e) => ({
        label: e.name,
        value: e.average,
        count: e.count,
        tip: `${e.name}: ${dec1(e.average)} ★ average over ${films(e.count)}`,
      })),
    valueText: (e) => `${dec1(e.value)} ★ · ${num(e.count)}`,
    describe: (shown) => (shown.length ? `${shown[0].label} is rated highest, ${dec1(shown[0].value)} stars on average.` : ""),
    empty: "No rated films to average",
    matched: true,
  },
  { key: "top_directors", title: "Top directors", limit: 10, ...ranked("Directors"), empty: "No directors for these films", matched: true },
  {
    key: "top_directors_by_hours",
    title: "Directors by hours watched",
    limit: 10,
    kind: "horizontal",
    entries: (data) =>
      data.map((e) => ({
        label: e.name,
        value: e.hours,
        count: e.count,
        tip: `${e.name}: ${dec1(e.hours)} hours over ${films(e.count)}`,
      })),
    valueText: (e) => `${dec1(e.value)} h`,
    describe: (shown) => (shown.length ? `${shown[0].label} leads with ${dec1(shown[0].value)} hours.` : ""),
    empty: "No runtimes for these films",
    matched: true,
  },
  { key: "top_actors", title: "Top actors", limit: 10, ...ranked("Actors"), empty: "No cast for these films", matched: true },
  { key: "countries", title: "Countries", limit: 10, ...ranked("Countries"), empty: "No production countries for these films", matched: true },
  { key: "languages", title: "Languages", limit: 10, ...ranked("Languages"), empty: "No spoken languages for these films", matched: true },
  {
    key: "average_rating_by_decade",
    title: "Average rating by decade",
    limit: null,
    kind: "horizontal",
    max: 5,
    entries: (data) =>
      data.map((e) => ({
        label: `${e.decade}s`,
        value: e.average,
        count: e.count,
        tip: `${e.decade}s: ${dec1(e.average)} ★ average over ${films(e.count)}`,
      })),
    valueText: (e) => `${dec1(e.value)} ★ · ${num(e.count)}`,
    describe: (shown) => (shown.length ? "Average rating of the films of each decade, out of 5 stars." : ""),
    empty: "No rated films to average",
    matched: true,
  },
];

function sum(entries) {
  return entries.reduce((total, e) => total + e.value, 0);
}

/** The headline numbers as [label, value, detail]. */
function headline(a) {
  const time = runtime(a.total_runtime_minutes);
  return [
    ["Films", num(a.films), "distinct titles"],
    ["Watches", num(a.watches), "logged viewings"],
    ["Rated", num(a.rated), a.films ? `${Math.round((a.rated / a.films) * 100)}% of films` : ""],
    ["Average rating", a.average_rating == null ? "—" : `${dec1(a.average_rating)} ★`, "out of 5"],
    ["Total runtime", time.big, time.small],
    ["Unmatched", num(a.unmatched), a.unmatched ? "see the list below" : "none"],
    ["Watchlist", num(a.watchlist), "still to watch"],
    ["Rewatches", num(a.rewatches), "diary rewatches"],
    [
      "Longest streak",
      a.longest_streak ? plural(a.longest_streak.days, "day") : "—",
      a.longest_streak ? dateRange(a.longest_streak.start, a.longest_streak.end) : "no diary dates",
    ],
    [
      "Busiest month",
      a.busiest_month ? monthLabel(a.busiest_month.month) : "—",
      a.busiest_month ? watches(a.busiest_month.count) : "no diary dates",
    ],
  ];
}

export function renderHeadline(container, analytics) {
  setChildren(
    container,
    headline(analytics).map(([label, value, detail]) =>
      h("div", { class: "stat" }, [
        h("dt", { class: "stat-label", text: label }),
        h("dd", { class: "stat-value", text: value }),
        h("dd", { class: "stat-detail", text: detail }),
      ]),
    ),
  );
}

const cards = new Map(); // key -> {card, body, sub}

/** Build (once) or update every chart card in `grid` from an analytics answer. */
export function renderCharts(grid, analytics) {
  const enriching = !analytics.complete;
  for (const chart of CHARTS) {
    let slot = cards.get(chart.key);
    if (!slot || !grid.contains(slot.card)) {
      const headingId = `card-${chart.key}`;
      const sub = h("p", { class: "card-sub" });
      const body = h("div", { class: "chart" });
      const card = h("article", { class: `card chart-card${chart.wide ? " wide" : ""}`, "aria-labelledby": headingId }, [
        h("header", { class: "card-head" }, [h("h3", { id: headingId, text: chart.title }), sub]),
        body,
      ]);
      grid.append(card);
      slot = { card, body, sub };
      cards.set(chart.key, slot);
    }
    const data = Array.isArray(analytics[chart.key]) ? analytics[chart.key] : [];
    const all = chart.entries(data);
    const shown = chart.limit ? all.slice(0, chart.limit) : all;
    const empty = shown.length === 0 || (chart.isEmpty && chart.isEmpty(data));
    // The API may cut long rankings itself, so "of N" would not always be the true total.
    slot.sub.textContent = !empty && chart.limit && all.length > chart.limit ? `Top ${num(chart.limit)}` : "";
    if (empty) {
      unmountChart(slot.body);
      const waiting = chart.matched && enriching;
      setChildren(slot.body, [
        h("div", { class: `empty${waiting ? " waiting" : ""}`, "data-empty-chart": chart.key }, [
          emptyIcon(waiting),
          h("p", { text: waiting ? "Fills in as films are matched…" : chart.empty }),
        ]),
      ]);
      continue;
    }
    mountChart(slot.body, {
      key: chart.key,
      title: chart.title,
      desc: chart.describe(shown, all),
      kind: chart.kind,
      axis: chart.axis,
      steps: chart.steps,
      labelOf: chart.labelOf,
      limit: chart.limit,
      max: chart.max,
      valueText: chart.valueText,
      showValues: chart.showValues,
      entries: shown,
    });
  }
}

function emptyIcon(waiting) {
  return h("span", { class: "empty-icon", "aria-hidden": "true", text: waiting ? "…" : "—" });
}

/** Forget the cards (a new session is shown). */
export function resetCharts(grid) {
  for (const { body } of cards.values()) unmountChart(body);
  cards.clear();
  grid.replaceChildren();
}
