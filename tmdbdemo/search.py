"""Movie search as TMDB does it: word-prefix matching, year filters, relevance order, pages.

Every query word must start a word of one of a film's titles (title, original or alternative).
Results come in TMDB's relevance order: a film with a title exactly the query first, then by how
much of a title the query covers (shorter titles first), then by popularity; the `ranking`
switch "popularity" orders by popularity alone, as a harsher test of a client's paging.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tmdbdemo.catalogue import Catalogue, Indexed
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
    ranking: str = "relevance",
) -> SearchPage:
    """The films matching `query` in `ranking` order, page `page` of 20.

    `primary_release_year` keeps films whose primary date is in that year; `year` keeps films
    with any release in that year. An empty query finds nothing, as on TMDB.
    """
    words = query_words(query)
    found: list[tuple[tuple[float, ...], Film]] = []
    if words:
        for entry in catalogue.candidates(words):
            if any(matches(words, title) for title in entry.title_words):
                found.append((_order(entry, words, ranking), entry.film))
        n = number_for_query(" ".join(words), synthetic_films)
        if n is not None:
            film = synthetic_film(n)
            found.append(((0.0, -1.0, -film.popularity, film.id), film))
    kept = sorted(
        (item for item in found if _in_years(item[1], year, primary_release_year)), key=lambda item: item[0]
    )
    start = (page - 1) * PAGE_SIZE
    return SearchPage(
        page=page,
        films=tuple(film for _, film in kept[start : start + PAGE_SIZE]),
        total_pages=max(1, math.ceil(len(kept) / PAGE_SIZE)),
        total_results=len(kept),
    )


def _order(entry: Indexed, words: tuple[str, ...], ranking: str) -> tuple[float, ...]:
    film = entry.film
    if ranking == "popularity":
        return (-film.popularity, film.id)
    titles = zip(entry.title_forms, entry.title_words, strict=True)
    matched = [form for form, title in titles if matches(words, title)]
    exact = words in matched
    coverage = max((len(words) / len(form) for form in matched if form), default=0.0)
    return (0.0 if exact else 1.0, -min(coverage, 1.0), -film.popularity, film.id)


def _in_years(film: Film, year: int | None, primary_release_year: int | None) -> bool:
    if primary_release_year is not None and film.year != primary_release_year:
        return False
    return year is None or film.released_in(year)
