"""The shared TMDB cache as the resolver sees it: look-ups, and claims on fetches in flight."""

from __future__ import annotations

import uuid
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg_pool import AsyncConnectionPool

from common.sqlfiles import Queries

Pool = AsyncConnectionPool[AsyncConnection[DictRow]]
Json = dict[str, Any]
CLAIM_SECONDS = 30.0  # a fetch not finished by then (its worker died) may be taken over


class TmdbCache:
    """Reads of tmdb_searches / tmdb_movies and claims in tmdb_fetches, one short query each."""

    def __init__(self, pool: Pool, queries: Queries, worker_id: uuid.UUID) -> None:
        self._pool = pool
        self._q = queries
        self._worker_id = worker_id

    async def _one(self, name: str, params: dict[str, Any]) -> Json | None:
        async with self._pool.connection() as conn:
            cursor = await conn.execute(self._q[name], params)
            return await cursor.fetchone()

    async def search(self, title_key: str, year: int, matcher_version: int) -> Json | None:
        """The fresh cached outcome of a search key made by this matcher version, if any:
        {"tmdb_id", "match_rule", "alternatives", "candidates"}."""
        return await self._one(
            "cached_search", {"title_key": title_key, "year": year, "matcher_version": matcher_version}
        )

    async def movie(self, tmdb_id: int) -> Json | None:
        """Fresh cached details of a film, if any."""
        return await self._one("cached_movie", {"tmdb_id": tmdb_id})

    async def claim(self, fetch_key: str) -> bool:
        """True when this worker may fetch `fetch_key` now (nobody else is fetching it)."""
        row = await self._one(
            "claim_fetch", {"fetch_key": fetch_key, "worker_id": self._worker_id, "seconds": CLAIM_SECONDS}
        )
        return row is not None

    async def release(self, fetch_key: str) -> None:
        """Give up a claim whose fetch failed."""
        async with self._pool.connection() as conn:
            await conn.execute(
                self._q["release_fetch"], {"fetch_key": fetch_key, "worker_id": self._worker_id}
            )
