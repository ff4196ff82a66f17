"""Movie search as TMDB does it: word-prefix matching, year filters, popularity order, pages."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tmdbdemo.catalogue import Catalogue
from tmdbdemo.films import Film
from tmdbdemo.synthetic import number_for_query, synthetic_film
from tmdbdemo.text import matches, query_words

PAGE_SIZE = 20
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results plus the totals TMDB reports beside it."""

    page: int
    films: tuple[Film, ...]
    total_pages: int
    total_results: int


def search(
    catalogue: Catalogue,
    query: str,
    *,
    year: int | None = None,
    primary_release_year: int | None = None,
    page: int = 1,
    synthetic_films: int = 0,
) -> SearchPage:
    """The films matching `query`, most popular first, page `page` of 20.

    Every query word must start a word of one title (title, original or alternative).
    `primary_release_year` keeps films whose primary date is in that year; `year` keeps films
    with any release in that year. An empty query finds nothing, as on TMDB.
    """
    words = query_words(query)
    found: list[Film] = []
    if words:
        for entry in catalogue.indexed:
            if any(matches(words, title) for title in entry.title_words):
                found.append(entry.film)
        n = number_for_query(" ".join(words), synthetic_films)
        if n is not None:
            found.append(synthetic_film(n))
    kept = [film for film in found if _in_years(film, year, primary_release_year)]
    kept.sort(key=lambda film: (-film.popularity, film.id))
    start = (page - 1) * PAGE_SIZE
    return SearchPage(
        page=page,
        films=tuple(kept[start : start + PAGE_SIZE]),
        total_pages=max(1, math.ceil(len(kept) / PAGE_SIZE)),
        total_results=len(kept),
    )


def _in_years(film: Film, year: int | None, primary_release_year: int | None) -> bool:
    if primary_release_year is not None and film.year != primary_release_year:
        return False
    return year is None or film.released_in(year)
