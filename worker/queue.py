"""The worker's side of the queue: claiming jobs, leases, results, and ending jobs and sessions.

Each method borrows a pooled connection for one short transaction; nothing is held across TMDB
calls. Every write is guarded by `locked_by = this worker`, so a worker that lost a job (lease
expired, claimed by another) cannot overwrite anything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from common.sqlfiles import Queries
from worker.errors import JobLost
from worker.films import Film, Outcome
from worker.tmdb.matching import MATCHER_VERSION

Pool = AsyncConnectionPool[AsyncConnection[DictRow]]
ANY_CHUNK = 2**31 - 1


@dataclass(frozen=True)
class CacheResult:
    """Films finished from the cache; `finished` when that was the whole job."""

    resolved: set[int]
    finished: bool = False
    session_status: str | None = None


@dataclass(frozen=True)
class Job:
    """A claimed job: a range of one session's films."""

    id: int
    session_id: uuid.UUID
    chunk_no: int
    first_film: int
    last_film: int
    attempts: int
    max_attempts: int
    fresh_lookups: bool = False


class JobStore:
    """Queue operations of one worker."""

    def __init__(self, pool: Pool, queries: Queries, worker_id: uuid.UUID, lease_seconds: float) -> None:
        self._pool = pool
        self._q = queries
        self.worker_id = worker_id
        self._lease = lease_seconds

    def _params(self, job: Job, **extra: Any) -> dict[str, Any]:
        return {
            "job_id": job.id,
            "session_id": job.session_id,
            "first_film": job.first_film,
            "last_film": job.last_film,
            "worker_id": self.worker_id,
            **extra,
        }

    async def register(self, host: str, pid: int, tmdb_demo: bool) -> None:
        """Add this worker to the registry behind the worker_status view."""
        async with self._pool.connection() as conn:
            await conn.execute(
                self._q["register_worker"],
                {
                    "worker_id": self.worker_id,
                    "host": host,
                    "pid": pid,
                    "lease_seconds": max(1, round(self._lease)),
                    "tmdb_demo": tmdb_demo,
                },
            )

    async def unregister(self) -> None:
        """Leave the registry."""
        async with self._pool.connection() as conn:
            await conn.execute(self._q["unregister_worker"], {"worker_id": self.worker_id})

    async def claim(self, limit: int, max_chunk: int = ANY_CHUNK) -> list[Job]:
        """Claim up to `limit` runnable jobs (only first chunks when max_chunk is 0)."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                self._q["claim_jobs"],
                {
                    "worker_id": self.worker_id,
                    "limit": limit,
                    "max_chunk": max_chunk,
                    "lease_seconds": self._lease,
                },
            )
            return [Job(**row) for row in await cursor.fetchall()]

    async def heartbeat(self, job_ids: list[int]) -> set[int]:
        """Renew leases; returns the ids still held (a missing id was lost to another worker)."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                self._q["heartbeat"],
                {"worker_id": self.worker_id, "job_ids": job_ids, "lease_seconds": self._lease},
            )
            return {row["id"] for row in await cursor.fetchall()}

    async def pending_films(self, job: Job) -> list[Film]:
        """The job's films that have no final status yet."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute(self._q["pending_films"], self._params(job))
            return [Film(**row) for row in await cursor.fetchall()]

    async def record(self, job: Job, outcomes: list[Outcome]) -> None:
        """Store a batch of outcomes, and what TMDB answered for them, in one transaction.

        The cache rows go first, so a worker waiting for one of these fetches finds the answer
        as soon as the fetch claim is released."""
        movies = list({m["tmdb_id"]: m for o in outcomes for m in o.movies}.values())
        searches = list(
            {(o.search["title_key"], o.search["year"]): o.search for o in outcomes if o.search}.values()
        )
        async with self._pool.connection() as conn:
            if movies:
                await conn.execute(self._q["upsert_movies"], {"movies": Jsonb(movies)})
            if searches or movies:
                await conn.execute(
                    self._q["store_searches"],
                    {
                        "searches": Jsonb(searches),
                        "movie_keys": [f"movie:{m['tmdb_id']}" for m in movies],
                        "worker_id": self.worker_id,
                        "matcher_version": MATCHER_VERSION,
                    },
                )
            await conn.execute(
                self._q["record_film_results"],
                {"session_id": job.session_id, "results": Jsonb([o.as_json() for o in outcomes])},
            )

    async def resolve_from_cache(self, job: Job, keys: list[dict[str, object]]) -> CacheResult:
        """Finish the films TMDB already answered for, set-wise and without a request.

        When that leaves nothing pending, the job is finished in the same transaction (a fully
        cached upload costs one transaction per job)."""
        async with self._pool.connection() as conn:
            await conn.execute(self._q["lock_session"], self._params(job))
            cursor = await conn.execute(
                self._q["resolve_from_cache"],
                {
                    "session_id": job.session_id,
                    "films": Jsonb(keys),
                    "fresh_lookups": job.fresh_lookups,
                    "matcher_version": MATCHER_VERSION,
                },
            )
            resolved = {row["film_no"] for row in await cursor.fetchall()}
            if len(resolved) < len(keys):
                return CacheResult(resolved)
            return CacheResult(resolved, finished=True, session_status=await self._finish(conn, job))

    async def finish(self, job: Job) -> str | None:
        """Mark the job succeeded; returns the session's final status if this was its last job."""
        async with self._pool.connection() as conn:
            await conn.execute(self._q["lock_session"], self._params(job))
            return await self._finish(conn, job)

    async def _finish(self, conn: AsyncConnection[DictRow], job: Job) -> str | None:
        cursor = await conn.execute(self._q["finish_job"], self._params(job))
        if await cursor.fetchone() is None:
            raise JobLost(f"job {job.id} is no longer held by this worker")
        return await self._complete_session(conn, job)

    async def retry(self, job: Job, error: str, delay_seconds: float) -> str:
        """Put the job back with a backoff, or fail it for good when its attempts are used up.

        Returns the job's new status ("queued" or "failed")."""
        async with self._pool.connection() as conn:
            await conn.execute(self._q["lock_session"], self._params(job))
            cursor = await conn.execute(
                self._q["retry_job"], self._params(job, error=error, delay_seconds=delay_seconds)
            )
            row = await cursor.fetchone()
            if row is None:
                raise JobLost(f"job {job.id} is no longer held by this worker")
            if row["status"] == "failed":
                await conn.execute(self._q["fail_pending_films"], self._params(job, error=error))
                await self._complete_session(conn, job)
            return str(row["status"])

    async def fail(self, job: Job, error: str) -> None:
        """Fail the job and its pending films now, without further attempts."""
        async with self._pool.connection() as conn:
            await conn.execute(self._q["lock_session"], self._params(job))
            cursor = await conn.execute(self._q["fail_job"], self._params(job, error=error))
            if await cursor.fetchone() is None:
                raise JobLost(f"job {job.id} is no longer held by this worker")
            await conn.execute(self._q["fail_pending_films"], self._params(job, error=error))
            await self._complete_session(conn, job)

    async def release(self, job_ids: list[int]) -> int:
        """Hand unfinished jobs back to the queue (shutdown); returns how many were released."""
        if not job_ids:
            return 0
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                self._q["release_jobs"], {"worker_id": self.worker_id, "job_ids": job_ids}
            )
            row = await cursor.fetchone()
            return int(row["released"]) if row else 0

    async def _complete_session(self, conn: AsyncConnection[DictRow], job: Job) -> str | None:
        cursor = await conn.execute(self._q["complete_session_if_done"], self._params(job))
        row = await cursor.fetchone()
        return str(row["status"]) if row else None
