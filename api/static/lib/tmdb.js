// TMDB's attribution, shown wherever TMDB data appears (SPEC: "The page").

import { h } from "./dom.js";

export const TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB.";

/** A small note for a section that shows TMDB data. */
export function attribution(demo = false) {
  return h("p", { class: "tmdb-note" }, [
    demo ? "Film data: the bundled demo catalogue (facts from TMDB). " : "Film data from TMDB. ",
    TMDB_NOTICE,
  ]);
}
