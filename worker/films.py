"""The unit of enrichment: one film of a session, and what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class Film:
    """A film as the export names it."""

    film_no: int
    name: str
    year: int | None


@dataclass(frozen=True)
class Outcome:
    """A film's final status, with what TMDB answered now (if it was asked) for the shared cache:
    `search` a tmdb_searches row, `movie` a tmdb_movies row."""

    film_no: int
    status: str  # matched | not_found | failed
    tmdb_id: int | None = None
    match_rule: str | None = None
    error: str | None = None
    search: Json | None = None
    movie: Json | None = None

    def as_json(self) -> Json:
        """The result row the record_film_results query reads."""
        return {
            "film_no": self.film_no,
            "status": self.status,
            "tmdb_id": self.tmdb_id,
            "match_rule": self.match_rule,
            "error": self.error,
        }
