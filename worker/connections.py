"""How a worker talks to PostgreSQL: autocommit pools, and the settings every connection carries.

Every worker statement is its own transaction (autocommit: no BEGIN and COMMIT round trips), and
the few that need more than one statement open a transaction explicitly. Worker connections run
with `synchronous_commit = off`: every worker write can be redone, so a commit need not wait for
its WAL flush. A claim lost in a crash is claimed again when its lease runs out, a result lost is
fetched again (its film is still pending), a cache row lost is asked of TMDB again. The API's
upload transaction stays fully durable: an upload is the one thing nobody could redo.

`statement_timeout` bounds every statement and TCP keepalives find a dead peer, so no task hangs
on a network that swallows packets.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

from worker.config import WorkerConfig

Pool = AsyncConnectionPool[AsyncConnection[DictRow]]
STATEMENT_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT = 10
CONTROL_CONNECTIONS = 1  # heartbeat, rate reservations, pauses: never queued behind the lanes


def connection_settings(application_name: str) -> dict[str, Any]:
    """libpq keywords for one worker connection (also the listener's)."""
    return {
        "application_name": application_name,
        "connect_timeout": CONNECT_TIMEOUT,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        "options": f"-c synchronous_commit=off -c statement_timeout={STATEMENT_TIMEOUT_MS}",
    }


def _configure_for(prepare: bool) -> Callable[[AsyncConnection[Any]], Awaitable[None]]:
    async def configure(conn: AsyncConnection[Any]) -> None:
        conn.row_factory = dict_row
        # Prepared at first use rather than psycopg's fifth: the statement that starts jobs takes
        # longer to plan (a few ms) than to run. Never behind a transaction pooler (PgBouncer in
        # transaction mode, DATABASE_LISTEN=off), where a prepared statement belongs to a server
        # connection the next transaction may not get.
        conn.prepare_threshold = 0 if prepare else None
        if prepare:
            # A prepared statement's generic plan, reused: PostgreSQL otherwise plans the start
            # statement afresh on every call (custom plans look cheaper to it), about a third of
            # a millisecond of server CPU each time. The worker's statements look rows up by keys
            # and partial indexes whose plans do not depend on the values.
            await conn.execute("SET plan_cache_mode = force_generic_plan")

    return configure


def create_pool(config: WorkerConfig, worker_id: uuid.UUID, *, control: bool = False) -> Pool:
    """The worker's pool of autocommit connections (not opened); `control` is the small one for
    heartbeats and the rate schedule, so those never wait for a lane's connection."""
    name = "control" if control else "worker"
    return AsyncConnectionPool(
        config.database_url,
        min_size=1,
        max_size=CONTROL_CONNECTIONS if control else config.pool_size,
        open=False,
        name=name,
        configure=_configure_for(prepare=config.listen),
        kwargs={"autocommit": True, **connection_settings(f"reelstats {name} {worker_id}")},
        timeout=10,
        max_lifetime=30 * 60,
    )
