// The bar charts of the statistics, keyed by the analytics field each draws. `limit` is the
// top-N cut (null: every entry), also the svg's data-limit, so that a test can compare bars and
// data; `filter(entry)` gives the drill-down filters that list a bar's films.

import { dec1, monthIndex, monthLabel, monthShortName, num, plural, stars, weekdayName } from "../lib/format.js";

const films = (n) => plural(n, "film");
const watches = (n) => plural(n, "watch", "watches");
const sum = (entries) => entries.reduce((total, e) => total + e.value, 0);

/** A ranking [{name, count}] as bars. */
const ranked = (what, param) => ({
  kind: "horizontal",
  entries: (data) => data.map((e) => ({ label: e.name, key: e.name, value: e.count, tip: `${e.name}: ${films(e.count)}` })),
  valueText: (e) => num(e.value),
  describe: (shown) => (shown.length ? `${what}: ${shown[0].label} leads with ${films(shown[0].value)}.` : ""),
  filter: (e) => ({ [param]: e.key }),
  matched: true,
});

/** People ranked by their average rating [{name, average, count}]. */
const byRating = (what, param) => ({
  kind: "horizontal",
  max: 5,
  entries: (data) =>
    data.map((e) => ({
      label: e.name,
      key: e.name,
      value: e.average,
      count: e.count,
      tip: `${e.name}: ${dec1(e.average)} ★ average over ${films(e.count)}`,
    })),
  valueText: (e) => `${dec1(e.value)} ★ · ${num(e.count)}`,
  valueHeading: "Average (films)",
  describe: (shown) => (shown.length ? `${what} with at least three rated films: ${shown[0].label} is rated highest, ${dec1(shown[0].value)} stars on average.` : ""),
  filter: (e) => ({ [param]: e.key }),
  note: "At least 3 rated films",
  matched: true,
});

/** Every month of a year view (zeros too), else the months with watches. */
function months(data, analytics) {
  if (!analytics.year) return data;
  const counts = new Map(data.map((e) => [e.month, e.count]));
  return Array.from({ length: 12 }, (_, i) => {
    const month = `${analytics.year}-${String(i + 1).padStart(2, "0")}`;
    return { month, count: counts.get(month) ?? 0 };
  });
}

export const WATCHES_BY_MONTH = {
  key: "watches_by_month",
  title: "Watches by month",
  wide: true,
  limit: null,
  kind: "vertical",
  axis: "linear",
  steps: [1, 2, 3, 6, 12, 24, 36, 60],
  labelOf: (pos) => `${Math.floor(pos / 12)}-${String((pos % 12) + 1).padStart(2, "0")}`,
  entries: (data, analytics) =>
    months(data, analytics).map((e) => ({
      label: e.month,
      key: e.month,
      value: e.count,
      pos: monthIndex(e.month),
      tip: `${e.month} (${monthLabel(e.month)}): ${watches(e.count)}`,
    })),
  isEmpty: (data) => data.every((e) => !e.count),
  describe: (shown) => (shown.length ? `${watches(sum(shown))} from ${shown[0].label} to ${shown.at(-1).label}.` : ""),
  filter: (e) => ({ watched_month: e.key }),
  valueHeading: "Watches",
  empty: "No diary dates in this export",
};

/** A year view's months: all twelve, named. */
export const YEAR_MONTHS = {
  ...WATCHES_BY_MONTH,
  axis: null,
  wide: false,
  entries: (data, analytics) =>
    months(data, analytics).map((e) => ({
      label: monthShortName(Number(e.month.slice(5, 7))),
      key: e.month,
      value: e.count,
      tip: `${monthLabel(e.month)}: ${watches(e.count)}`,
    })),
  describe: (shown) => {
    const top = shown.reduce((a, b) => (b.value > a.value ? b : a), shown[0]);
    return top ? `${watches(sum(shown))} in the year; the busiest month was ${top.tip.split(":")[0]}.` : "";
  },
};

export const WATCHES_BY_WEEKDAY = {
  key: "watches_by_weekday",
  title: "Watches by weekday",
  limit: null,
  kind: "vertical",
  entries: (data) =>
    data.map((e) => ({ label: weekdayName(e.weekday, true), key: e.weekday, value: e.count, tip: `${weekdayName(e.weekday)}: ${watches(e.count)}` })),
  isEmpty: (data) => data.every((e) => !e.count),
  describe: (shown) => {
    const top = shown.reduce((a, b) => (b.value > a.value ? b : a), shown[0]);
    return top ? `Most watches fall on a ${top.tip.split(":")[0]}: ${watches(top.value)}.` : "";
  },
  filter: (e) => ({ weekday: String(e.key) }),
  valueHeading: "Watches",
  empty: "No diary dates in this export",
};

export const YEARS = {
  key: "years",
  title: "Watches by year",
  limit: null,
  kind: "vertical",
  entries: (data) => data.map((e) => ({ label: String(e.year), key: e.year, value: e.count, tip: `${e.year}: ${watches(e.count)}` })),
  describe: (shown) => (shown.length ? `${watches(sum(shown))} from ${shown[0].label} to ${shown.at(-1).label}.` : ""),
  filter: (e) => ({ watched_year: String(e.key) }),
  valueHeading: "Watches",
  empty: "No diary dates in this export",
};

export const WATCHES_BY_WEEK = {
  key: "watches_by_week",
  title: "Watches by week",
  wide: true,
  limit: null,
  kind: "vertical",
  showValues: false,
  entries: (data) =>
    data.map((e) => ({ label: e.week.slice(-3), key: e.week, value: e.count, tip: `${e.week} (from ${e.start}): ${watches(e.count)}` })),
  isEmpty: (data) => data.every((e) => !e.count),
  describe: (shown) => {
    const top = shown.reduce((a, b) => (b.value > a.value ? b : a), shown[0]);
    return top ? `The busiest week was ${top.key}, with ${watches(top.value)}.` : "";
  },
  filter: (e) => ({ watched_week: e.key }),
  valueHeading: "Watches",
  empty: "No watches this year",
};

export const RATINGS = {
  key: "ratings",
  title: "Ratings",
  limit: null,
  kind: "vertical",
  isEmpty: (data) => data.every((e) => !e.count),
  entries: (data) => data.map((e) => ({ label: stars(e.rating), key: e.rating, value: e.count, tip: `${stars(e.rating)}: ${films(e.count)}` })),
  describe: (shown) => {
    const top = shown.reduce((a, b) => (b.value > a.value ? b : a), shown[0]);
    return top ? `Most films are rated ${top.label}: ${films(top.value)}.` : "";
  },
  filter: (e) => ({ rating: String(e.key) }),
  empty: "No ratings in this export",
};

export const DECADES = {
  key: "decades",
  title: "Decades",
  limit: null,
  kind: "vertical",
  entries: (data) => data.map((e) => ({ label: `${e.decade}s`, key: e.decade, value: e.count, tip: `${e.decade}s: ${films(e.count)}` })),
  describe: (shown) => (shown.length ? `Films from the ${shown[0].label} to the ${shown.at(-1).label}.` : ""),
  filter: (e) => ({ decade: String(e.key) }),
  empty: "No release years in this export",
  matched: true,
};

export const RELEASE_YEARS = {
  key: "release_years",
  title: "Release years",
  wide: true,
  limit: null,
  kind: "vertical",
  axis: "linear",
  steps: [1, 2, 5, 10, 20, 25, 50],
  labelOf: (pos) => String(pos),
  showValues: false,
  entries: (data) => data.map((e) => ({ label: String(e.year), key: e.year, value: e.count, pos: e.year, tip: `${e.year}: ${films(e.count)}` })),
  describe: (shown) => (shown.length ? `Films released from ${shown[0].label} to ${shown.at(-1).label}.` : ""),
  filter: (e) => ({ release_year: String(e.key) }),
  empty: "No release dates for these films",
  matched: true,
};

export const GENRES = { key: "genres", title: "Genres", limit: 12, ...ranked("Genres", "genre"), empty: "No genres for these films" };

export const AVERAGE_RATING_BY_GENRE = {
  key: "average_rating_by_genre",
  title: "Average rating by genre",
  limit: 12,
  kind: "horizontal",
  max: 5,
  entries: (data) =>
    data.map((e) => ({ label: e.name, key: e.name, value: e.average, count: e.count, tip: `${e.name}: ${dec1(e.average)} ★ average over ${films(e.count)}` })),
  valueText: (e) => `${dec1(e.value)} ★ · ${num(e.count)}`,
  valueHeading: "Average (films)",
  describe: (shown) => (shown.length ? `${shown[0].label} is rated highest, ${dec1(shown[0].value)} stars on average.` : ""),
  filter: (e) => ({ genre: e.key }),
  empty: "No rated films to average",
  matched: true,
};

export const TOP_DIRECTORS = { key: "top_directors", title: "Top directors", limit: 10, ...ranked("Directors", "director"), empty: "No directors for these films" };

export const TOP_DIRECTORS_BY_HOURS = {
  key: "top_directors_by_hours",
  title: "Directors by hours watched",
  limit: 10,
  kind: "horizontal",
  entries: (data) =>
    data.map((e) => ({ label: e.name, key: e.name, value: e.hours, count: e.count, tip: `${e.name}: ${dec1(e.hours)} hours over ${films(e.count)}` })),
  valueText: (e) => `${dec1(e.value)} h`,
  valueHeading: "Hours",
  describe: (shown) => (shown.length ? `${shown[0].label} leads with ${dec1(shown[0].value)} hours.` : ""),
  filter: (e) => ({ director: e.key }),
  empty: "No runtimes for these films",
  matched: true,
};

export const TOP_ACTORS = { key: "top_actors", title: "Top actors", limit: 10, ...ranked("Actors", "actor"), empty: "No cast for these films" };
export const COUNTRIES = { key: "countries", title: "Countries", limit: 10, ...ranked("Countries", "country"), empty: "No production countries for these films" };
export const LANGUAGES = { key: "languages", title: "Languages", limit: 10, ...ranked("Languages", "language"), empty: "No spoken languages for these films" };

export const TOP_DIRECTORS_BY_RATING = {
  key: "top_directors_by_rating",
  title: "Directors you rate highest",
  limit: 10,
  ...byRating("Directors", "director"),
  empty: "No director has three rated films yet",
};

export const TOP_ACTORS_BY_RATING = {
  key: "top_actors_by_rating",
  title: "Actors you rate highest",
  limit: 10,
  ...byRating("Actors", "actor"),
  empty: "No actor has three rated films yet",
};

export const AVERAGE_RATING_BY_DECADE = {
  key: "average_rating_by_decade",
  title: "Average rating by decade",
  limit: null,
  kind: "horizontal",
  max: 5,
  entries: (data) =>
    data.map((e) => ({ label: `${e.decade}s`, key: e.decade, value: e.average, count: e.count, tip: `${e.decade}s: ${dec1(e.average)} ★ average over ${films(e.count)}` })),
  valueText: (e) => `${dec1(e.value)} ★ · ${num(e.count)}`,
  valueHeading: "Average (films)",
  describe: (shown) => (shown.length ? "Average rating of the films of each decade, out of 5 stars." : ""),
  empty: "No rated films to average",
  matched: true,
};

const RUNTIME_NAMES = { short: "Short (up to 40 min)", feature: "Feature (41–149 min)", long: "Long (2½ h or more)" };

export const RUNTIME_SPREAD = {
  key: "runtime_spread",
  title: "Runtimes",
  limit: null,
  kind: "horizontal",
  entries: (data) => data.map((e) => ({ label: RUNTIME_NAMES[e.bucket] ?? e.bucket, key: e.bucket, value: e.count, tip: `${RUNTIME_NAMES[e.bucket] ?? e.bucket}: ${films(e.count)}` })),
  isEmpty: (data) => data.every((e) => !e.count),
  valueText: (e) => num(e.value),
  describe: (shown) => `${shown.map((e) => `${e.label}: ${films(e.value)}`).join("; ")}.`,
  filter: (e) => ({ runtime: e.key }),
  empty: "No runtimes for these films",
  matched: true,
};
