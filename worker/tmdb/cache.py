"""The shared TMDB cache as the resolver sees it at a request slot: the cached answer, or the
claim to fetch it (tmdb_fetches), in one round trip."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from common.sqlfiles import Queries
from worker.connections import Pool

Json = dict[str, Any]
CLAIM_SECONDS = 30.0  # a fetch not finished by then (its worker died) may be taken over


@dataclass(frozen=True)
class FetchState:
    """What the cache holds for a key (`cached`), else whether this worker may fetch it now."""

    cached: Json | None
    claimed: bool


class TmdbCache:
    """Look-ups of tmdb_searches / tmdb_movies combined with claims in tmdb_fetches."""

    def __init__(self, pool: Pool, queries: Queries, worker_id: uuid.UUID) -> None:
        self._pool = pool
        self._q = queries
        self._worker_id = worker_id

    async def _state(self, name: str, params: dict[str, Any]) -> FetchState:
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                self._q[name], {**params, "worker_id": self._worker_id, "seconds": CLAIM_SECONDS}
            )
            row = await cursor.fetchone()
        assert row is not None  # the query always returns its one row
        return FetchState(row["cached"], bool(row["claimed"]))

    async def search_or_claim(
        self, fetch_key: str, title_key: str, year: int, matcher_version: int, fresh: bool
    ) -> FetchState:
        """The cached answer of this matcher version for a search key ({"tmdb_id", "match_rule",
        "alternatives", "candidates"}), else the claim to search (`fresh` skips "not found")."""
        return await self._state(
            "search_or_claim",
            {
                "fetch_key": fetch_key,
                "title_key": title_key,
                "year": year,
                "matcher_version": matcher_version,
                "fresh": fresh,
            },
        )

    async def imdb_or_claim(self, fetch_key: str, imdb_id: str, fresh: bool) -> FetchState:
        """What /find answered for an IMDb id ({"tmdb_id"}: null when TMDB has no such film),
        else the claim to ask (`fresh` skips a cached "none")."""
        return await self._state(
            "imdb_or_claim", {"fetch_key": fetch_key, "imdb_id": imdb_id, "fresh": fresh}
        )

    async def movie_or_claim(self, fetch_key: str, tmdb_id: int) -> FetchState:
        """A film's fresh cached details (a movie record), else the claim to fetch them."""
        return await self._state("movie_or_claim", {"fetch_key": fetch_key, "tmdb_id": tmdb_id})

    async def release(self, fetch_key: str) -> None:
        """Give up a claim whose fetch failed."""
        async with self._pool.connection() as conn:
            await conn.execute(
                self._q["release_fetch"], {"fetch_key": fetch_key, "worker_id": self._worker_id}
            )
