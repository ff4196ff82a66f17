// The headline numbers of a view: <dl id="headline"> of <div class="stat"> (dt label, dd value, dd detail).
// A number the upload cannot tell (null: IMDb's rewatches, Netflix's ratings and watchlist) is not shown.

import { h, setChildren } from "../lib/dom.js";
import { dateRange, dec1, monthLabel, num, plural, runtime, signed } from "../lib/format.js";

const watchesOf = (n) => plural(n, "watch", "watches");

function stat([label, value, detail, key]) {
  return h("div", { class: "stat", "data-stat": key ?? "" }, [
    h("dt", { class: "stat-label", text: label }),
    h("dd", { class: "stat-value", text: value }),
    h("dd", { class: "stat-detail", text: detail }),
  ]);
}

export function renderHeadline(container, stats) {
  setChildren(container, stats.filter(Boolean).map(stat));
}

/** The stat, unless the value it shows is one the upload cannot tell. */
const known = (value, entry) => (value === null || value === undefined ? null : entry);

/** "12 first, 3 rewatches", or why there is no such split. */
const split = (a) => (a.rewatches == null ? "rewatches not in this export" : `${num(a.first_watches)} first, ${num(a.rewatches)} rewatches`);

/** All time: what the export holds. */
export function allTimeStats(a) {
  const time = runtime(a.total_runtime_minutes);
  return [
    ["Films", num(a.films), "distinct titles", "films"],
    ["Watches", num(a.watches), split(a), "watches"],
    known(a.rated, ["Rated", num(a.rated), a.films ? `${Math.round((a.rated / a.films) * 100)}% of films` : "", "rated"]),
    known(a.rated, ["Average rating", a.average_rating == null ? "—" : `${dec1(a.average_rating)} ★`, "out of 5", "average_rating"]),
    ["Total runtime", time.big, time.small, "total_runtime"],
    ["Unmatched", num(a.unmatched), a.unmatched ? "see “Check your matches”" : "none", "unmatched"],
    known(a.watchlist, ["Watchlist", num(a.watchlist), "still to watch", "watchlist"]),
    known(a.rewatches, ["Rewatches", num(a.rewatches), "watches of films seen before", "rewatches"]),
    [
      "Longest streak",
      a.longest_streak ? plural(a.longest_streak.days, "day") : "—",
      a.longest_streak ? dateRange(a.longest_streak.start, a.longest_streak.end) : "no diary dates",
      "longest_streak",
    ],
    [
      "Busiest month",
      a.busiest_month ? monthLabel(a.busiest_month.month) : "—",
      a.busiest_month ? watchesOf(a.busiest_month.count) : "no diary dates",
      "busiest_month",
    ],
  ];
}

/** A year: the year's numbers, each against the year before when it had watches. */
export function yearStats(a) {
  const before = a.year_over_year?.find((y) => y.year === a.year - 1);
  const versus = (now, then, unit = "", digits = 0) =>
    before ? `${signed(now - then, digits)}${unit} on ${a.year - 1}` : "";
  const hours = Math.round(a.total_runtime_minutes / 60);
  return [
    ["Films", num(a.films), versus(a.films, before?.films), "films"],
    ["Watches", num(a.watches), split(a), "watches"],
    ["Hours", num(hours), before ? versus(hours, Math.round(before.total_runtime_minutes / 60), " h") : "of film", "hours"],
    known(a.rated, [
      "Average rating",
      a.average_rating == null ? "—" : `${dec1(a.average_rating)} ★`,
      before && a.average_rating != null && before.average_rating != null ? versus(a.average_rating, before.average_rating, " ★", 2) : "out of 5",
      "average_rating",
    ]),
    ["Days with 2+ films", num(a.multi_film_days), "double bills and more", "multi_film_days"],
    [
      "Longest streak",
      a.longest_streak ? plural(a.longest_streak.days, "day") : "—",
      a.longest_streak ? dateRange(a.longest_streak.start, a.longest_streak.end) : "no watches",
      "longest_streak",
    ],
    [
      "Busiest month",
      a.busiest_month ? monthLabel(a.busiest_month.month) : "—",
      a.busiest_month ? watchesOf(a.busiest_month.count) : "no watches",
      "busiest_month",
    ],
    known(a.rated, ["Rated", num(a.rated), a.films ? `${Math.round((a.rated / a.films) * 100)}% of the year's films` : "", "rated"]),
    ["Unmatched", num(a.unmatched), a.unmatched ? "not in TMDB" : "none", "unmatched"],
    known(a.watchlist, ["Watchlist", num(a.watchlist), "added, still to watch", "watchlist"]),
  ];
}
