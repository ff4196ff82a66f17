"""Writing what became of a job's films, and ending jobs and sessions.

Each method is one short transaction on a pooled connection; nothing is held across TMDB calls.
Every write is guarded by `locked_by = this worker` or by the film still waiting for exactly this
outcome, so a worker that lost a job (lease expired, claimed by another) cannot overwrite
anything. The session row is always locked first, then jobs, then films, then cache rows in key
order: the one order every writer keeps, so a session deleted during its enrichment, or a stale
and a new holder of one chunk, cannot deadlock.
"""

from __future__ import annotations

import uuid

from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from common.sqlfiles import Queries
from worker.connections import Pool
from worker.errors import JobLost, SessionGone
from worker.films import Outcome
from worker.queue import Job
from worker.tmdb.matching import MATCHER_VERSION


class ResultStore:
    """Result and end-of-job writes of one worker."""

    def __init__(self, pool: Pool, queries: Queries, worker_id: uuid.UUID) -> None:
        self._pool = pool
        self._q = queries
        self.worker_id = worker_id

    def _params(self, job: Job, **extra: object) -> dict[str, object]:
        return {
            "job_id": job.id,
            "session_id": job.session_id,
            "first_film": job.first_film,
            "last_film": job.last_film,
            "worker_id": self.worker_id,
            **extra,
        }

    async def record(self, job: Job, outcomes: list[Outcome]) -> None:
        """Store a batch of outcomes, and what TMDB answered for them, in one transaction: the
        films (session row first), then the cache rows in key order, which also releases the
        batch's fetch claims, so a worker waiting for one of them finds the answer at commit."""
        movies = sorted(
            {m["tmdb_id"]: m for o in outcomes for m in o.movies}.values(), key=lambda m: m["tmdb_id"]
        )
        searches = sorted(
            {(o.search["title_key"], o.search["year"]): o.search for o in outcomes if o.search}.values(),
            key=lambda row: (row["title_key"], row["year"]),
        )
        async with self._pool.connection() as conn, conn.transaction():
            cursor = await conn.execute(
                self._q["record_film_results"],
                {"session_id": job.session_id, "results": Jsonb([o.as_json() for o in outcomes])},
            )
            row = await cursor.fetchone()
            if row is None or not row["session_exists"]:
                raise SessionGone(f"the session of job {job.id} was deleted")
            if movies:
                await conn.execute(self._q["upsert_movies"], {"movies": Jsonb(movies)})
            imdb = sorted((o.imdb for o in outcomes if o.imdb), key=lambda row: row["imdb_id"])
            if imdb:
                await conn.execute(
                    self._q["store_imdb_ids"], {"answers": Jsonb(imdb), "worker_id": self.worker_id}
                )
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

    async def _lock_session(self, conn: AsyncConnection[DictRow], job: Job) -> None:
        cursor = await conn.execute(self._q["lock_session"], self._params(job))
        if await cursor.fetchone() is None:
            raise SessionGone(f"the session of job {job.id} was deleted")

    async def finish(self, job: Job) -> str | None:
        """Mark the job succeeded; returns the session's final status if this was its last job."""
        async with self._pool.connection() as conn, conn.transaction():
            await self._lock_session(conn, job)
            return await self._finish(conn, job)

    async def _finish(self, conn: AsyncConnection[DictRow], job: Job) -> str | None:
        cursor = await conn.execute(self._q["finish_job"], self._params(job))
        if await cursor.fetchone() is None:
            raise JobLost(f"job {job.id} is no longer held by this worker")
        return await self._complete_session(conn, job)

    async def retry(self, job: Job, error: str, delay_seconds: float) -> str:
        """Put the job back with a backoff, or fail it for good when its attempts are used up.

        Returns the job's new status ("queued" or "failed")."""
        async with self._pool.connection() as conn, conn.transaction():
            await self._lock_session(conn, job)
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
        async with self._pool.connection() as conn, conn.transaction():
            await self._lock_session(conn, job)
            cursor = await conn.execute(self._q["fail_job"], self._params(job, error=error))
            if await cursor.fetchone() is None:
                raise JobLost(f"job {job.id} is no longer held by this worker")
            await conn.execute(self._q["fail_pending_films"], self._params(job, error=error))
            await self._complete_session(conn, job)

    async def _complete_session(self, conn: AsyncConnection[DictRow], job: Job) -> str | None:
        cursor = await conn.execute(self._q["complete_session_if_done"], self._params(job))
        row = await cursor.fetchone()
        return str(row["status"]) if row else None
