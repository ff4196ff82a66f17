"""Live progress: one LISTEN connection per API process, fanned out to every open event stream.

Workers send a `reelstats_progress` NOTIFY (payload: the session id) for a batch of results, at
most four a second per session. The hub reads the session once per notification and hands the
JSON to each stream watching it, so a thousand browsers cost one database listener and one query
per change, not a connection each. Once a second one query reads every watched session and
publishes those that changed unannounced (a batch within 250 ms of the last NOTIFY).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import psycopg
from psycopg import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from api import store
from api.errors import NotFound
from api.services import Pool, services
from api.sessions import session_id_of
from common.sqlfiles import Queries

log = logging.getLogger("api.events")
HEARTBEAT_SECONDS = 15.0
KEEPALIVE_SECONDS = 30.0
POLL_SECONDS = 1.0
FINAL = frozenset({"completed", "failed", "cancelled"})
Session = dict[str, Any]


class ProgressHub:
    """Watches `reelstats_progress` and tells subscribed streams their session's new state."""

    def __init__(self, database_url: str, pool: Pool, queries: Queries) -> None:
        self._url = database_url
        self._pool = pool
        self._q = queries
        self._streams: dict[uuid.UUID, set[asyncio.Queue[Session]]] = {}
        self._refreshing: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._again: set[uuid.UUID] = set()
        self._published: dict[uuid.UUID, object] = {}  # session -> updated_at last published
        self.connected = asyncio.Event()

    @contextlib.contextmanager
    def subscribe(self, session_id: uuid.UUID) -> Iterator[asyncio.Queue[Session]]:
        """A queue that receives the session's JSON after each change (only the latest is kept)."""
        queue: asyncio.Queue[Session] = asyncio.Queue(maxsize=1)
        self._streams.setdefault(session_id, set()).add(queue)
        try:
            yield queue
        finally:
            watchers = self._streams.get(session_id)
            if watchers is not None:
                watchers.discard(queue)
                if not watchers:
                    del self._streams[session_id]
                    self._published.pop(session_id, None)

    @property
    def streams(self) -> int:
        """Open streams, for /metrics."""
        return sum(len(queues) for queues in self._streams.values())

    async def sweep(self) -> None:
        """Once a second, one query for every watched session; publish those that changed since
        they were last published (with DATABASE_LISTEN=off, this is how streams learn anything)."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            ids = list(self._streams)
            if not ids:
                continue
            try:
                async with self._pool.connection() as conn:
                    cursor = await conn.execute(self._q["watched_sessions"], {"ids": ids})
                    rows = await cursor.fetchall()
            except (psycopg.Error, TimeoutError) as problem:
                log.warning("progress sweep failed", extra={"error": type(problem).__name__})
                continue
            for row in rows:
                if self._published.get(row["id"]) != row["updated_at"]:
                    self._publish(row["id"], store.session_json(row), row["updated_at"])

    async def poll(self) -> None:
        """Without LISTEN (DATABASE_LISTEN=off): the sweep alone."""
        await self.sweep()

    async def run(self) -> None:
        """Listen (and sweep) until cancelled, reconnecting with backoff; after a reconnect,
        refresh everyone."""
        sweeping = asyncio.create_task(self.sweep())
        try:
            await self._listen()
        finally:
            sweeping.cancel()

    async def _listen(self) -> None:
        delay = 0.1
        while True:
            try:
                conn = await AsyncConnection.connect(
                    self._url, autocommit=True, application_name="reelstats api listener", connect_timeout=10
                )
                try:
                    await conn.execute(self._q["listen_progress"])
                    self.connected.set()
                    delay = 0.1
                    for session_id in list(self._streams):
                        self._changed(session_id)  # changes missed while disconnected
                    while True:
                        async for notify in conn.notifies(timeout=KEEPALIVE_SECONDS):
                            with contextlib.suppress(ValueError):
                                self._changed(uuid.UUID(notify.payload))
                        await asyncio.wait_for(conn.execute(self._q["listener_ping"]), 5)
                finally:
                    self.connected.clear()
                    with contextlib.suppress(psycopg.Error, TimeoutError, OSError):
                        await asyncio.wait_for(conn.close(), 2)
            except (psycopg.Error, TimeoutError, OSError) as problem:
                log.warning(
                    "progress listener lost its connection; reconnecting",
                    extra={"error": type(problem).__name__},
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _changed(self, session_id: uuid.UUID) -> None:
        if session_id not in self._streams:
            return
        if session_id in self._refreshing:
            self._again.add(session_id)  # read again once the running read is done
            return
        self._refreshing[session_id] = asyncio.create_task(self._refresh(session_id))

    async def _refresh(self, session_id: uuid.UUID) -> None:
        try:
            while True:
                self._again.discard(session_id)
                try:
                    async with self._pool.connection() as conn:
                        row = await store.get_session(conn, self._q, session_id)
                except (psycopg.Error, TimeoutError) as problem:
                    log.warning("progress read failed", extra={"error": type(problem).__name__})
                    return
                if row is not None:
                    self._publish(session_id, store.session_json(row), row["updated_at"])
                if session_id not in self._again:
                    return
        finally:
            self._refreshing.pop(session_id, None)

    def _publish(self, session_id: uuid.UUID, session: Session, updated_at: object) -> None:
        self._published[session_id] = updated_at
        for queue in self._streams.get(session_id, ()):
            if queue.full():
                queue.get_nowait()  # a slow reader only needs the newest state
            queue.put_nowait(session)


def _event(session: Session) -> str:
    return f"event: progress\ndata: {json.dumps(session, separators=(',', ':'))}\n\n"


async def session_events(request: Request) -> Response:
    """GET /api/sessions/{id}/events: `progress` events on every change, ending after a final status."""
    svc = services(request)
    session_id = session_id_of(request)
    async with svc.pool.connection() as conn:
        if await store.get_session(conn, svc.queries, session_id) is None:
            raise NotFound("There is no session with this id")

    async def stream() -> AsyncIterator[str]:
        with svc.progress.subscribe(session_id) as updates:
            # Subscribed first, read second: no change can fall between the two.
            async with svc.pool.connection() as conn:
                row = await store.get_session(conn, svc.queries, session_id)
            if row is None:
                return
            last = store.session_json(row)
            yield "retry: 2000\n\n" + _event(last)
            while last["status"] not in FINAL:
                try:
                    update = await asyncio.wait_for(updates.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                if update != last:
                    last = update
                    yield _event(update)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
