// TMDB's attribution, shown wherever TMDB data appears (SPEC: "The page"), and links to its films.

import { h } from "./dom.js";

export const TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB.";

/** A small note for a section that shows TMDB data. */
export function attribution(demo = false) {
  return h("p", { class: "tmdb-note" }, [
    demo ? "Film data: the bundled demo catalogue (facts from TMDB). " : "Film data from TMDB. ",
    TMDB_NOTICE,
  ]);
}

/** The film's page on TMDB. */
export const tmdbFilmUrl = (tmdbId) => `https://www.themoviedb.org/movie/${encodeURIComponent(tmdbId)}`;

/** A link to the film's TMDB page (a new tab); `text` goes in as text. */
export function tmdbLink(tmdbId, text, attrs = {}) {
  return h("a", { href: tmdbFilmUrl(tmdbId), target: "_blank", rel: "noopener noreferrer", ...attrs, text });
}

/** "Crash (1996)" from a TMDB title and release date (either may be missing). */
export function titleWithYear(title, releaseDate, fallback = "") {
  const year = /^\d{4}/.test(releaseDate ?? "") ? releaseDate.slice(0, 4) : "";
  const name = title || fallback;
  return year ? `${name} (${year})` : name;
}
