// Which cards each view shows, in page order: all time, and a year in review.

import * as bar from "./chartdefs.js";
import * as more from "./lists.js";

export const ALL_TIME = [
  bar.WATCHES_BY_MONTH,
  bar.YEARS,
  bar.WATCHES_BY_WEEKDAY,
  bar.RATINGS,
  bar.DECADES,
  bar.RELEASE_YEARS,
  bar.GENRES,
  bar.AVERAGE_RATING_BY_GENRE,
  bar.TOP_DIRECTORS,
  bar.TOP_DIRECTORS_BY_HOURS,
  bar.TOP_ACTORS,
  bar.TOP_DIRECTORS_BY_RATING,
  bar.COUNTRIES,
  bar.TOP_ACTORS_BY_RATING,
  bar.LANGUAGES,
  bar.AVERAGE_RATING_BY_DECADE,
  bar.RUNTIME_SPREAD,
  more.MOST_REWATCHED,
  more.BEST_RATED,
  more.MILESTONES,
  more.VERSUS_TMDB,
  more.YEAR_OVER_YEAR,
];

/** "Year in review": the year's rhythm first, then what it was made of. */
export const YEAR = [
  more.MILESTONES,
  more.MOST_REWATCHED,
  bar.WATCHES_BY_WEEKDAY,
  bar.YEAR_MONTHS,
  bar.WATCHES_BY_WEEK,
  more.CALENDAR,
  more.BEST_RATED,
  bar.GENRES,
  bar.RATINGS,
  bar.DECADES,
  bar.TOP_DIRECTORS,
  bar.TOP_ACTORS,
  bar.COUNTRIES,
  bar.LANGUAGES,
  bar.AVERAGE_RATING_BY_GENRE,
  bar.TOP_DIRECTORS_BY_HOURS,
  bar.TOP_DIRECTORS_BY_RATING,
  bar.TOP_ACTORS_BY_RATING,
  bar.RUNTIME_SPREAD,
  more.VERSUS_TMDB,
  bar.RELEASE_YEARS,
];
