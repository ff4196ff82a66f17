"""Housekeeping, done by the workers: expired sessions, finished jobs and stale rows are purged.

Every worker runs the loop; an advisory lock per transaction lets only one of them work at a
time. Sessions are deleted one per transaction, so no purge holds locks for long.
"""

from __future__ import annotations

import asyncio
import logging
import random
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
SESSIONS_PER_ROUND = 50


@dataclass(frozen=True)
class Purged:
    """What one round removed; `ran` is False when another worker held the lock."""

    ran: bool
    sessions: int = 0
    jobs: int = 0


async def housekeeping_round(pool: Pool, queries: Queries, retention_days: int) -> Purged:
    """One round: finished jobs and stale rows, then expired sessions one by one."""
    async with pool.connection() as conn:
        if not await _locked(conn, queries):
            return Purged(ran=False)
        jobs = (await conn.execute(queries["purge_finished_jobs"])).rowcount
        await conn.execute(queries["purge_stale_rows"])
    sessions = 0
    while sessions < SESSIONS_PER_ROUND:
        async with pool.connection() as conn:
            if not await _locked(conn, queries):
                break
            cursor = await conn.execute(
                queries["purge_one_expired_session"], {"retention_days": retention_days}
            )
            if await cursor.fetchone() is None:
                break
        sessions += 1
    if sessions or jobs:
        log.info("housekeeping", extra={"sessions_purged": sessions, "jobs_purged": jobs})
    return Purged(ran=True, sessions=sessions, jobs=jobs)


async def _locked(conn: AsyncConnection[DictRow], queries: Queries) -> bool:
    row = await (await conn.execute(queries["try_housekeeping_lock"])).fetchone()
    return bool(row and row["locked"])


async def housekeeping_loop(
    pool: Pool, queries: Queries, retention_days: int, stop: asyncio.Event, alive: Callable[[], None]
) -> None:
    """Run a round about every 30 s (jittered, so workers do not collide) until `stop`; `alive`
    is called after each round, done or failed, for the worker's health."""
    while not stop.is_set():
        alive()
        try:
            await asyncio.wait_for(stop.wait(), INTERVAL_SECONDS * random.uniform(0.5, 1.5))  # noqa: S311
            return
        except TimeoutError:
            pass
        try:
            await housekeeping_round(pool, queries, retention_days)
        except (psycopg.Error, PoolTimeout) as problem:
            log.warning("housekeeping failed; trying again later", extra={"error": type(problem).__name__})
