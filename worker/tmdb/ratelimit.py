"""One TMDB request schedule for the whole fleet, kept in PostgreSQL.

The tmdb_rate_limit row holds when the next request slot begins; slots are 1/rate apart (a
generic cell rate algorithm). A worker reserves as many slots as it has requests waiting, in one
UPDATE, and releases each request at its slot time, so the fleet together never goes faster
than TMDB_RATE_LIMIT, however many workers there are, and no rate is left unused while anyone
waits. A 429 pushes `paused_until` for everyone; a 401 is recorded against a fingerprint of the
credentials so that every worker using them stops at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import deque

import psycopg
from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from common.sqlfiles import Queries
from worker.errors import TmdbRejectedCredentials

log = logging.getLogger("worker.tmdb")
Pool = AsyncConnectionPool[AsyncConnection[DictRow]]

# Slots are planned at 97.5% of the limit so that timer and network jitter never squeeze more
# than TMDB_RATE_LIMIT requests into one second at TMDB's end; one slot may be spent at once
# after idle time (the burst).
HEADROOM = 0.975
BURST = 1
MAX_BATCH = 16
REJECTED_MESSAGE = "TMDB rejected the credentials (HTTP 401): check TMDB_API_KEY or TMDB_ACCESS_TOKEN"


def credentials_fingerprint(api_key: str | None, access_token: str | None) -> str:
    """A stable, non-secret name for the configured credentials."""
    material = f"token:{access_token}" if access_token else f"key:{api_key or ''}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


class FleetRateLimiter:
    """Hands out request slots from the fleet's schedule; one reserving task per worker."""

    def __init__(self, pool: Pool, queries: Queries, rate: float, fingerprint: str) -> None:
        self._pool = pool
        self._q = queries
        self._rate = rate * HEADROOM
        self._fingerprint = fingerprint
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._wanted = asyncio.Event()
        self.rejected = False

    async def acquire(self) -> None:
        """Wait for this request's slot; raises TmdbRejectedCredentials once TMDB refused them."""
        if self.rejected:
            raise TmdbRejectedCredentials(REJECTED_MESSAGE)
        slot: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(slot)
        self._wanted.set()
        await slot
        if self.rejected:
            raise TmdbRejectedCredentials(REJECTED_MESSAGE)

    async def run(self) -> None:
        """Reserve slots for waiting requests until cancelled."""
        loop = asyncio.get_running_loop()
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            while self._waiting:
                batch = [self._waiting.popleft() for _ in range(min(len(self._waiting), MAX_BATCH))]
                batch = [slot for slot in batch if not slot.done()]  # cancelled requests
                if not batch:
                    continue
                try:
                    first_slot, rejected = await self._reserve(len(batch))
                except (psycopg.Error, PoolTimeout):
                    for slot in batch:  # try again shortly rather than lose the requests
                        self._waiting.appendleft(slot)
                    log.warning("cannot reserve TMDB request slots; retrying")
                    await asyncio.sleep(0.5)
                    continue
                self.rejected = self.rejected or rejected
                # Place the slots on this process's clock now, so the time the reservation took
                # to come back does not shift them.
                start = loop.time() + (first_slot - time.time())
                for index, slot in enumerate(batch):
                    loop.call_at(start + index / self._rate, _release, slot)

    async def _reserve(self, count: int) -> tuple[float, bool]:
        """The first slot's start in this host's epoch seconds, and whether the credentials are refused."""
        sent = time.time()
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                self._q["reserve_tmdb_slots"],
                {"count": count, "rate": self._rate, "burst": BURST, "fingerprint": self._fingerprint},
            )
            row = await cursor.fetchone()
        received = time.time()
        assert row is not None  # the table always has its one row
        # The database's clock may differ from ours: estimate the offset NTP-style, assuming its
        # clock was read halfway through the round trip.
        offset = float(row["database_now"]) - (sent + received) / 2
        return float(row["first_slot"]) - offset, bool(row["rejected"])

    async def pause(self, seconds: float) -> None:
        """TMDB said 429: no worker of the fleet starts a request for `seconds`."""
        async with self._pool.connection() as conn:
            await conn.execute(self._q["pause_tmdb"], {"seconds": seconds})

    async def reject(self) -> None:
        """TMDB said 401: stop this worker now and tell the others using the same credentials."""
        self.rejected = True
        async with self._pool.connection() as conn:
            await conn.execute(self._q["reject_credentials"], {"fingerprint": self._fingerprint})


def _release(slot: asyncio.Future[None]) -> None:
    if not slot.done():
        slot.set_result(None)
