"""Housekeeping, done by the workers: expired sessions, finished jobs and stale rows are purged.

Every worker runs the loop; an advisory lock per transaction lets only one of them work at a
time. Expired sessions go in batches (one short transaction each, the session rows locked first,
then what they hold, by cascade) for at most a time budget per round; while a backlog remains the
next round comes at once instead of after the usual interval, so purging keeps pace with a steady
arrival of sessions without ever holding locks or a connection for long. Every purge reads an
index range (sessions by created_at, jobs by finished_at, cache rows by expires_at).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from common.sqlfiles import Queries

log = logging.getLogger("worker.housekeeping")
Pool = AsyncConnectionPool[AsyncConnection[DictRow]]
INTERVAL_SECONDS = 30.0
SESSIONS_PER_BATCH = 100
STALE_ROWS_PER_ROUND = 10_000  # of each kind of stale cache row
ROUND_BUDGET_SECONDS = 2.0  # of deleting per round; a backlog is worked off round after round
BACKLOG_PAUSE_SECONDS = 0.2  # between rounds while a backlog remains: room for everyone else


@dataclass(frozen=True)
class Purged:
    """What one round removed; `ran` is False when another worker held the lock; `more` when
    expired sessions were left for the next round."""

    ran: bool
    sessions: int = 0
    jobs: int = 0
    more: bool = False


async def housekeeping_round(
    pool: Pool, queries: Queries, retention_days: int, budget: float = ROUND_BUDGET_SECONDS
) -> Purged:
    """One round: finished jobs and stale rows, then expired sessions in batches within `budget`."""
    async with pool.connection() as conn, conn.transaction():
        if not await _locked(conn, queries):
            return Purged(ran=False)
        jobs = (await conn.execute(queries["purge_finished_jobs"], {"batch": STALE_ROWS_PER_ROUND})).rowcount
        cursor = await conn.execute(queries["purge_stale_rows"], {"batch": STALE_ROWS_PER_ROUND})
        stale = await cursor.fetchone()
    backlog = jobs >= STALE_ROWS_PER_ROUND or (
        stale is not None and max(stale.values()) >= STALE_ROWS_PER_ROUND
    )
    sessions, more = 0, False
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        async with pool.connection() as conn, conn.transaction():
            if not await _locked(conn, queries):
                break
            cursor = await conn.execute(
                queries["purge_expired_sessions"],
                {"retention_days": retention_days, "batch": SESSIONS_PER_BATCH},
            )
            deleted = len(await cursor.fetchall())
        sessions += deleted
        more = deleted == SESSIONS_PER_BATCH
        if not more:
            break
    more = more or backlog
    if sessions or jobs:
        log.info("housekeeping", extra={"sessions_purged": sessions, "jobs_purged": jobs, "more": more})
    return Purged(ran=True, sessions=sessions, jobs=jobs, more=more)


async def _locked(conn: AsyncConnection[DictRow], queries: Queries) -> bool:
    row = await (await conn.execute(queries["try_housekeeping_lock"])).fetchone()
    return bool(row and row["locked"])


async def housekeeping_loop(
    pool: Pool, queries: Queries, retention_days: int, stop: asyncio.Event, alive: Callable[[], None]
) -> None:
    """Run a round about every 30 s (jittered, so workers do not collide), at once again while a
    backlog remains, until `stop`; `alive` is called after each round, done or failed."""
    pause = INTERVAL_SECONDS * random.uniform(0.5, 1.5)  # noqa: S311
    while not stop.is_set():
        alive()
        try:
            await asyncio.wait_for(stop.wait(), pause)
            return
        except TimeoutError:
            pass
        pause = INTERVAL_SECONDS * random.uniform(0.5, 1.5)  # noqa: S311
        try:
            purged = await housekeeping_round(pool, queries, retention_days)
        except (psycopg.Error, PoolTimeout) as problem:
            log.warning("housekeeping failed; trying again later", extra={"error": type(problem).__name__})
            continue
        if purged.more:
            pause = BACKLOG_PAUSE_SECONDS
