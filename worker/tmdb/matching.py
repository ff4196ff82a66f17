"""Choosing the TMDB film an export title means, or none: never a wrong guess.

The export gives a title and (usually) a year. TMDB is searched with `primary_release_year` first,
then with `year` (any release that year: festival premieres), then without a year. A candidate must
carry the same title (normalised, or its original title) and a year close enough; among those the
nearest year wins, then popularity. A title that matches only as a prefix ("Birdman" for "Birdman
or (The Unexpected Virtue of Ignorance)") or nearly ("Three Colours: Red") is accepted only with
the exact year. Each choice records the rule that made it (films.match_rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from worker.tmdb.client import TmdbClient
from worker.tmdb.titles import release_year, title_key

Json = dict[str, Any]
FESTIVAL_SHIFT = 2  # years a `year` search may be away from the film's primary release
NEAR_YEAR = 1  # years an unfiltered search may be away
SIMILAR = 0.9  # spelling similarity accepted with an exact year


@dataclass(frozen=True)
class Choice:
    """The TMDB film chosen for a title, and why."""

    tmdb_id: int
    rule: str


def _titles(result: Json) -> set[str]:
    return {title_key(str(result.get(field) or "")) for field in ("title", "original_title")} - {""}


def _distance(result: Json, year: int | None) -> int:
    found = release_year(result)
    if year is None:
        return 0
    return abs(found - year) if found is not None else 9999


def _popularity(result: Json) -> float:
    value = result.get("popularity")
    return float(value) if isinstance(value, int | float) else 0.0


def best_match(results: list[Json], key: str, year: int | None, max_distance: int) -> Json | None:
    """The result with the same title within `max_distance` years: nearest year, then most popular."""
    same_title = [r for r in results if key in _titles(r) and _distance(r, year) <= max_distance]
    return min(same_title, key=lambda r: (_distance(r, year), -_popularity(r)), default=None)


def close_match(results: list[Json], key: str, year: int) -> tuple[Json, str] | None:
    """A result of exactly `year` whose title extends the export's, or is spelled nearly alike."""
    exact_year = [r for r in results if _distance(r, year) == 0]
    prefixed = [
        r for r in exact_year if any(t.startswith(key + " ") or key.startswith(t + " ") for t in _titles(r))
    ]
    if prefixed:
        return max(prefixed, key=_popularity), "title_prefix_primary_year"
    similar = [
        r for r in exact_year if any(SequenceMatcher(None, key, t).ratio() >= SIMILAR for t in _titles(r))
    ]
    if similar:
        return max(similar, key=_popularity), "similar_title_primary_year"
    return None


class Matcher:
    """Runs the search steps against TMDB until one yields a plausible film."""

    def __init__(self, client: TmdbClient) -> None:
        self._client = client

    async def choose(self, name: str, year: int | None) -> Choice | None:
        """The TMDB film for (name, year), or None when no candidate is plausible."""
        key = title_key(name)
        if not key:
            return None
        if year is None:
            found = best_match(await self._client.search_movies(name), key, None, 0)
            return Choice(int(found["id"]), "title_without_year") if found else None
        results = await self._client.search_movies(name, primary_release_year=year)
        if found := best_match(results, key, year, 0):
            return Choice(int(found["id"]), "title_primary_year")
        if close := close_match(results, key, year):
            return Choice(int(close[0]["id"]), close[1])
        results = await self._client.search_movies(name, year=year)
        if found := best_match(results, key, year, FESTIVAL_SHIFT):
            return Choice(int(found["id"]), "title_release_year")
        results = await self._client.search_movies(name)
        if found := best_match(results, key, year, NEAR_YEAR):
            return Choice(int(found["id"]), "title_near_year")
        return None
