"""The LISTEN connection: wakes the dispatcher within milliseconds of a job being committed.

It is a dedicated autocommit connection, never a pooled one (a pool recycles connections and would
silently drop the LISTEN). After every (re)connection it asks for a claim at once, because jobs
committed while it was away sent notifications nobody heard. A keepalive round trip, which also
checks pg_listening_channels(), finds a connection that died without closing. It also listens on
the worker's own channel, where an upload of one job is addressed to the one worker chosen for it
(see wakeups.py). The same connection
hears the fleet's TMDB news (a 429 or a 401 anywhere), so every worker moves its request slots, or
stops sending with refused credentials, at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable

import psycopg
from psycopg import AsyncConnection

from common.sqlfiles import Queries
from worker.connections import connection_settings

log = logging.getLogger("worker.listener")
JOBS_CHANNEL = "reelstats_jobs"
TMDB_CHANNEL = "reelstats_tmdb"
KEEPALIVE_SECONDS = 10.0
KEEPALIVE_TIMEOUT = 5.0
MAX_BACKOFF = 5.0


class ListenerBroken(Exception):
    """The connection answers but no longer listens, or did not answer the keepalive."""


class Listener:
    """Keeps a LISTEN connection up and calls `on_wake` for each notification and reconnection."""

    def __init__(
        self,
        database_url: str,
        queries: Queries,
        on_wake: Callable[[str], None],
        application_name: str,
        *,
        worker_id: uuid.UUID,
        on_addressed: Callable[[str], None],
        on_pause: Callable[[float, float], None] = lambda until, shift: None,
        on_rejected: Callable[[str], None] = lambda fingerprint: None,
        keepalive_seconds: float = KEEPALIVE_SECONDS,
    ) -> None:
        self._url = database_url
        self._application_name = application_name
        self._q = queries
        self._on_wake = on_wake
        self._worker_id = worker_id
        self._on_addressed = on_addressed
        self._on_pause = on_pause
        self._on_rejected = on_rejected
        self._keepalive = keepalive_seconds
        self.connected = asyncio.Event()
        self.connections = 0
        self.alive_at = time.monotonic()

    async def run(self) -> None:
        """Listen forever (until cancelled), reconnecting with capped exponential backoff."""
        delay = 0.05
        while True:
            try:
                conn = await AsyncConnection.connect(
                    self._url, autocommit=True, **connection_settings(self._application_name)
                )
            except psycopg.OperationalError as problem:
                self.alive_at = time.monotonic()  # trying is alive; the database is what is down
                log.warning(
                    "listener cannot connect", extra={"retry_in": delay, "error": _first_line(problem)}
                )
            else:
                try:
                    await self._listen(conn)
                except (psycopg.Error, ListenerBroken, TimeoutError) as problem:
                    log.warning(
                        "listener connection lost; reconnecting", extra={"error": _first_line(problem)}
                    )
                    delay = 0.05
                finally:
                    self.connected.clear()
                    await _close_quietly(conn)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)

    async def _listen(self, conn: AsyncConnection[tuple[object, ...]]) -> None:
        cursor = await conn.execute(self._q["listen_as_worker"], {"worker_id": self._worker_id})
        own = await cursor.fetchone()
        own_channel = own[0] if own else None
        await conn.execute(self._q["listen_jobs"])
        self.connections += 1
        self.connected.set()
        if self.connections > 1:
            log.info("listener reconnected; catching up")
        self._on_wake("")  # whatever was committed while nobody listened: everyone claims
        while True:
            self.alive_at = time.monotonic()
            async for notify in conn.notifies(timeout=self._keepalive):
                if notify.channel == TMDB_CHANNEL:
                    self._tmdb_news(notify.payload)
                elif notify.channel == own_channel:
                    self._on_addressed(notify.payload)
                else:
                    self._on_wake(notify.payload)
            await self._check(conn)

    def _tmdb_news(self, payload: str) -> None:
        kind, _, rest = payload.partition(" ")
        if kind == "rejected":
            self._on_rejected(rest)
            return
        until, _, shift = rest.partition(" ")
        try:
            self._on_pause(float(until), float(shift))
        except ValueError:
            log.warning("unreadable TMDB notification ignored")

    async def _check(self, conn: AsyncConnection[tuple[object, ...]]) -> None:
        cursor = await asyncio.wait_for(
            conn.execute(self._q["listener_check"], {"channel": JOBS_CHANNEL}), KEEPALIVE_TIMEOUT
        )
        row = await cursor.fetchone()
        if not row or not row[0]:
            raise ListenerBroken("the connection is no longer listening")


def _first_line(problem: BaseException) -> str:
    text = str(problem).strip()
    return text.splitlines()[0] if text else type(problem).__name__


async def _close_quietly(conn: AsyncConnection[tuple[object, ...]]) -> None:
    with contextlib.suppress(psycopg.Error, TimeoutError, OSError):
        await asyncio.wait_for(conn.close(), 2)
