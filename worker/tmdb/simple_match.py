"""Choosing a TMDB film for an export title: search by title and year, take the first hit."""

from __future__ import annotations

from worker.films import Film, Outcome
from worker.tmdb.client import TmdbClient
from worker.tmdb.movies import movie_record


class FirstHitMatcher:
    """The simplest correct matcher: the first search result of the title in its year."""

    def __init__(self, client: TmdbClient) -> None:
        self._client = client

    async def resolve(self, film: Film) -> Outcome:
        """Search, then fetch the details of the first hit; no hit is `not_found`."""
        filters = {"year": film.year} if film.year else {}
        results = await self._client.search_movies(film.name, **filters)
        if not results:
            return Outcome(film.film_no, "not_found")
        details = await self._client.movie_details(int(results[0]["id"]))
        if details is None:
            return Outcome(film.film_no, "not_found")
        record = movie_record(details)
        return Outcome(film.film_no, "matched", record["tmdb_id"], "first_search_hit", movie=record)
