"""The unit of enrichment: one film of a session, and what became of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class Film:
    """A film as the export names it, and what the statement that started its job knew of it.

    `chosen_by` says who chose `chosen_tmdb_id`: "manual" (the person), "letterboxd_uri" (a choice
    remembered for the film's Letterboxd URI), "tmdb_id" (the export), "imdb_id" (TMDB's /find for
    the export's IMDb id); such a film needs its details, never a search. A film with an
    `imdb_id` and nothing chosen is looked up with /find, never by its title.
    `answer` is a cached search answer whose film details are missing. `claim` is "own" when the
    film's first fetch is already claimed for this worker (its slot banked), "other" when another
    worker is fetching it, None when nothing is claimed yet."""

    film_no: int
    name: str
    year: int | None
    title_key: str | None = None
    imdb_id: str | None = None
    chosen_by: str | None = None
    chosen_tmdb_id: int | None = None
    answer: Json | None = None
    claim: str | None = None


@dataclass(frozen=True)
class Outcome:
    """A film's final status, with what TMDB answered now (if it was asked) for the shared cache:
    `search` a tmdb_searches row, `movies` tmdb_movies rows."""

    film_no: int
    status: str  # matched | not_found | failed
    tmdb_id: int | None = None
    match_rule: str | None = None
    error: str | None = None
    alternatives: int = 0
    candidates: list[Json] | None = None
    manual_tmdb_id: int | None = None  # the manual choice this outcome is for (guards the write)
    search: Json | None = None
    movies: tuple[Json, ...] = field(default=())
    imdb: Json | None = None  # a tmdb_imdb_ids row: what /find answered for the film's IMDb id

    def as_json(self) -> Json:
        """The result row the record_film_results query reads."""
        return {
            "film_no": self.film_no,
            "status": self.status,
            "tmdb_id": self.tmdb_id,
            "match_rule": self.match_rule,
            "error": self.error,
            "alternatives": self.alternatives,
            "candidates": self.candidates,
            "manual_tmdb_id": self.manual_tmdb_id,
        }
