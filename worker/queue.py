"""The worker's side of the queue: the statement that starts jobs, leases, and the registry.

`start` is the one round trip from a wake-up to the first TMDB request (sql/queries/start.sql):
it claims jobs, finishes what the cache knows, and claims and books the first fetches.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from psycopg import AsyncRawCursor
from psycopg.rows import dict_row

from common.sqlfiles import Queries, positional
from worker.connections import Pool
from worker.films import Film
from worker.tmdb.cache import CLAIM_SECONDS
from worker.tmdb.matching import MATCHER_VERSION
from worker.tmdb.ratelimit import BURST

ANY_CHUNK = 2**31 - 1
SPARE_CANDIDATES = 8  # read beyond the limit, for when a candidate's session is busy


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


@dataclass(frozen=True)
class Started:
    """What one start statement did: the jobs it claimed with their films left to fetch (jobs
    finished from the cache have none and are done), sessions it finished, the request slots it
    booked for the fetches it claimed, and when to look for work again."""

    jobs: list[Job]
    films: dict[int, list[Film]]
    done: list[Job]
    finished_sessions: dict[str, str]
    from_cache: int
    slots: tuple[float, int, float] | None  # (first slot, count, database clock), epoch seconds
    paused_until: float | None
    rejected: bool
    more: bool
    next_run_after: float | None
    took: float = field(default=0.0)


def _job(row: dict[str, Any]) -> Job:
    return Job(
        id=int(row["id"]),
        session_id=uuid.UUID(str(row["session_id"])),
        chunk_no=int(row["chunk_no"]),
        first_film=int(row["first_film"]),
        last_film=int(row["last_film"]),
        attempts=int(row["attempts"]),
        max_attempts=int(row["max_attempts"]),
        fresh_lookups=bool(row["fresh_lookups"]),
    )


def _film(row: dict[str, Any]) -> Film:
    return Film(
        film_no=int(row["film_no"]),
        name=str(row["name"]),
        year=row["year"],
        title_key=row["title_key"],
        imdb_id=row["imdb_id"],
        chosen_by=row["chosen_by"],
        chosen_tmdb_id=row["chosen_tmdb_id"],
        answer=row["answer"],
        claim=row["claim"],
    )


class JobStore:
    """Queue operations of one worker: `pool` for starting jobs, `control` for the registry and
    leases (a small pool of its own, so heartbeats never wait behind the lanes)."""

    def __init__(
        self, pool: Pool, control: Pool, queries: Queries, worker_id: uuid.UUID, lease_seconds: float
    ) -> None:
        self._pool = pool
        self._control = control
        self._q = queries
        self._start = positional(queries["start_jobs"])  # the hot path: converted once, not per call
        self.worker_id = worker_id
        self._lease = lease_seconds

    async def register(self, host: str, pid: int, tmdb_demo: bool) -> None:
        """Add this worker to the registry behind the worker_status view."""
        async with self._control.connection() as conn:
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
        async with self._control.connection() as conn:
            await conn.execute(self._q["unregister_worker"], {"worker_id": self.worker_id})

    async def start(
        self,
        *,
        limit: int,
        running: list[int],
        first_requests: int,
        rate: float,
        fingerprint: str,
        max_chunk: int = ANY_CHUNK,
    ) -> Started:
        """Claim up to `limit` runnable jobs (only first chunks when max_chunk is 0) and start
        them, in one statement (see sql/queries/start.sql)."""
        sent = time.time()
        async with self._pool.connection() as conn:
            cursor = AsyncRawCursor(conn, row_factory=dict_row)
            await cursor.execute(
                self._start.sql,
                self._start.values(
                    {
                        "worker_id": self.worker_id,
                        "limit": limit,
                        "spare": SPARE_CANDIDATES,
                        "max_chunk": max_chunk,
                        "running": running,
                        "lease_seconds": self._lease,
                        "matcher_version": MATCHER_VERSION,
                        "first_requests": first_requests,
                        "claim_seconds": CLAIM_SECONDS,
                        "rate": rate,
                        "burst": BURST,
                        "fingerprint": fingerprint,
                    }
                ),
            )
            row = await cursor.fetchone()
        took = time.time() - sent
        assert row is not None  # the statement always returns its one row
        jobs = [_job(job) for job in row["jobs"]]
        done_ids = {int(job["id"]) for job in row["jobs"] if job["status"] == "succeeded"}
        films: dict[int, list[Film]] = {}
        for film in row["films"]:
            films.setdefault(int(film["job_id"]), []).append(_film(film))
        slots = None
        if row["reserved"]:
            # The database's clock was read as the statement ended, a moment before the answer
            # left: slots are placed relative to it, so no clock offset between hosts matters.
            # (Not half the round trip: the statement may have waited for the schedule's lock.)
            slots = (float(row["first_slot"]), int(row["reserved"]), float(row["database_now"]))
        return Started(
            jobs=[job for job in jobs if job.id not in done_ids],
            films=films,
            done=[job for job in jobs if job.id in done_ids],
            finished_sessions=dict(row["finished_sessions"]),
            from_cache=int(row["from_cache"]),
            slots=slots,
            paused_until=row["paused_until"],
            rejected=bool(row["rejected"]),
            more=bool(row["more"]),
            next_run_after=row["next_run_after"],
            took=took,
        )

    async def heartbeat(
        self, job_ids: list[int], problem: str | None, room: int
    ) -> tuple[set[int], set[int]]:
        """Renew leases and say whether this worker is healthy (`problem` None) and how many jobs
        it could take (`room`); returns the ids still held, and those that still exist (a missing
        one was deleted with its session)."""
        async with self._control.connection() as conn:
            cursor = await conn.execute(
                self._q["heartbeat"],
                {
                    "worker_id": self.worker_id,
                    "job_ids": job_ids,
                    "lease_seconds": self._lease,
                    "healthy": problem is None,
                    "problem": problem,
                    "room": room,
                },
            )
            rows = await cursor.fetchall()
        return {row["id"] for row in rows if row["held"]}, {row["id"] for row in rows}

    async def fleet_with_room(self) -> list[uuid.UUID]:
        """The live workers with room for a job at their last heartbeat."""
        async with self._control.connection() as conn:
            cursor = await conn.execute(self._q["fleet_with_room"])
            return [row["id"] for row in await cursor.fetchall()]

    async def pass_on_wake(self, payload: str) -> None:
        """Hand a notification meant for this worker to the whole fleet."""
        async with self._control.connection() as conn:
            await conn.execute(self._q["pass_on_wake"], {"payload": payload})

    async def release(self, job_ids: list[int]) -> int:
        """Hand unfinished jobs back to the queue at once; returns how many were released."""
        if not job_ids:
            return 0
        async with self._control.connection() as conn:
            cursor = await conn.execute(
                self._q["release_jobs"], {"worker_id": self.worker_id, "job_ids": job_ids}
            )
            row = await cursor.fetchone()
            return int(row["released"]) if row else 0
