"""One TMDB request schedule for the whole fleet, kept in PostgreSQL.

The tmdb_rate_limit row holds when the next request slot begins; slots are 1/rate apart (a
generic cell rate algorithm). A worker reserves as many slots as it has requests waiting, in one
UPDATE (or in the statement that starts its jobs: `bank`), and releases each request at its slot
time, so the fleet together never goes faster than TMDB_RATE_LIMIT, however many workers there
are. A slot a request could not use (its film turned out cached) goes to the next request waiting.

A 429 pauses the fleet: `paused_until` moves, and the whole schedule with it, and a NOTIFY tells
every worker at once, which shifts the slots it already holds by the same amount; a request whose
slot falls inside the pause waits for its end. A 401 is recorded against a fingerprint of the
credentials so that every worker using them stops at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
from collections import deque

import psycopg
from psycopg_pool import PoolTimeout

from common.sqlfiles import Queries
from worker.connections import Pool
from worker.errors import TmdbRejectedCredentials, TmdbUnavailable

log = logging.getLogger("worker.tmdb")

# Slots are planned at 97.5% of the limit so that timer and network jitter never squeeze more
# than TMDB_RATE_LIMIT requests into one second at TMDB's end; one slot may be spent at once
# after idle time (the burst).
HEADROOM = 0.975
BURST = 1
MAX_BATCH = 16
ACQUIRE_SECONDS = 120.0  # a request that gets no slot by then fails its job's attempt (retried)
IDLE_TICK_SECONDS = 5.0  # the reserving task shows it is alive at least this often
STALE_SLOT_SECONDS = 0.05
OFFSET_DECAY_PER_SECOND = 0.0001  # far above any clock's drift, far below an answer's delay
REJECTED_MESSAGE = "TMDB rejected the credentials (HTTP 401): check TMDB_API_KEY or TMDB_ACCESS_TOKEN"


def credentials_fingerprint(api_key: str | None, access_token: str | None) -> str:
    """A stable, non-secret name for the configured credentials."""
    material = f"token:{access_token}" if access_token else f"key:{api_key or ''}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


class _Scheduled:
    """A slot handed to a waiting request, released at `at` (loop time)."""

    def __init__(self, limiter: FleetRateLimiter, future: asyncio.Future[None], at: float) -> None:
        self.future = future
        self.at = at
        self._limiter = limiter
        self.handle = limiter.loop.call_at(at, self.fire)

    def fire(self) -> None:
        self._limiter.scheduled.discard(self)
        if self.future.done():
            return
        late = self._limiter.loop.time() - self.at > STALE_SLOT_SECONDS
        if late and self.future not in self._limiter.late:
            # The loop was held up past the slot: sent now, this request would bunch with those
            # whose slots come next (at TMDB's end, more than the rate in one second). It waits
            # for a fresh slot instead, once: on a loop that is always late it goes anyway.
            self._limiter.late.add(self.future)
            self.future.add_done_callback(self._limiter.late.discard)
            self._limiter.wait_again(self.future)
            return
        self.future.set_result(None)

    def move(self, at: float) -> None:
        self.handle.cancel()
        self.at = at
        self.handle = self._limiter.loop.call_at(at, self.fire)


class FleetRateLimiter:
    """Hands out request slots from the fleet's schedule; one reserving task per worker."""

    def __init__(self, pool: Pool, queries: Queries, rate: float, fingerprint: str) -> None:
        self._pool = pool
        self._q = queries
        self.rate = rate * HEADROOM
        self.fingerprint = fingerprint
        self.loop = asyncio.get_running_loop()
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._banked: deque[float] = deque()  # reserved slot times no request has taken yet
        self.scheduled: set[_Scheduled] = set()
        self.late: set[asyncio.Future[None]] = set()  # requests whose slot came too late once
        self._wanted = asyncio.Event()
        self.paused_until = 0.0  # loop time
        self.rejected = False
        self.alive_at = time.monotonic()
        self._clock_offset, self._offset_at = -math.inf, time.monotonic()  # see _database_clock

    async def acquire(self) -> None:
        """Wait for this request's slot (and for the end of any pause); raises
        TmdbRejectedCredentials once TMDB refused them, TmdbUnavailable past the deadline."""
        if self.rejected:
            raise TmdbRejectedCredentials(REJECTED_MESSAGE)
        now = self.loop.time()
        if not self._waiting and self._banked and now - STALE_SLOT_SECONDS <= self._banked[0] <= now:
            self._banked.popleft()  # a booked slot that is due, and nobody ahead: no hop needed
            if self.paused_until <= now:
                return
            self._banked.appendleft(now)  # paused meanwhile: wait like everyone else
        slot: asyncio.Future[None] = self.loop.create_future()
        self._waiting.append(slot)
        self._wanted.set()
        try:
            await asyncio.wait_for(slot, ACQUIRE_SECONDS)
        except TimeoutError:
            raise TmdbUnavailable(f"no TMDB request slot came within {ACQUIRE_SECONDS:.0f} s") from None
        # A pause learnt after the slot was set (it may be extended while this waits).
        while (wait := self.paused_until - self.loop.time()) > 0:  # noqa: ASYNC110 - a deadline, not an event
            await asyncio.sleep(wait)
        if self.rejected:
            raise TmdbRejectedCredentials(REJECTED_MESSAGE)

    def usable(self) -> bool:
        """Whether a slot granted a moment ago may still be spent now: not inside a pause that
        began since; raises TmdbRejectedCredentials once TMDB refused them."""
        if self.rejected:
            raise TmdbRejectedCredentials(REJECTED_MESSAGE)
        return self.paused_until <= self.loop.time()

    def wait_again(self, slot: asyncio.Future[None]) -> None:
        """A request whose slot passed unused goes first in line for the next one."""
        self._waiting.appendleft(slot)
        self._wanted.set()

    def give_back(self) -> None:
        """A granted slot its request did not use: the next waiting request takes it now."""
        self._banked.appendleft(self.loop.time())
        self._wanted.set()

    def bank(self, first_slot: float, count: int, database_now: float) -> None:
        """Slots the job-starting statement reserved: `count` from `first_slot` (database epoch
        seconds, with the database's clock at `database_now`)."""
        start = self.loop.time() + (first_slot - self._database_clock(database_now))
        self._banked.extend(start + index / self.rate for index in range(count))
        self._wanted.set()

    def _database_clock(self, database_now: float) -> float:
        """The database's clock now. `database_now` was read a moment before the answer left, and
        that moment varies (the answer's way back, this loop's other work): placed by it alone,
        slots of consecutive reservations overlap by the difference and bunch at TMDB's end. So the
        offset between the clocks is estimated as the largest `database_now - time.time()` seen
        (the answer that came back fastest), decaying slowly so that clock slews are followed."""
        wall, now = time.time(), time.monotonic()
        observed = database_now - wall
        decayed = self._clock_offset - OFFSET_DECAY_PER_SECOND * (now - self._offset_at)
        self._clock_offset, self._offset_at = max(observed, decayed), now
        return wall + self._clock_offset

    def learn_pause(self, until_epoch: float, shift_seconds: float) -> None:
        """A 429 paused the fleet until `until_epoch` and moved its schedule by `shift_seconds`:
        move this worker's slots as well (once per pause, however often it is heard)."""
        until = self.loop.time() + (until_epoch - time.time())
        if until <= self.paused_until + 0.001:
            return
        self.paused_until = until
        log.warning("TMDB asked the fleet to pause", extra={"seconds": round(until - self.loop.time(), 3)})
        for scheduled in list(self.scheduled):
            scheduled.move(max(scheduled.at + shift_seconds, until))
        self._banked = deque(max(at + shift_seconds, until) for at in self._banked)

    async def run(self) -> None:
        """Hand out banked slots and reserve more for waiting requests, until cancelled."""
        while True:
            self.alive_at = time.monotonic()
            try:
                await asyncio.wait_for(self._wanted.wait(), IDLE_TICK_SECONDS)
            except TimeoutError:
                continue
            self._wanted.clear()
            while self._waiting:
                self.alive_at = time.monotonic()
                if self._waiting[0].done():  # cancelled, or timed out
                    self._waiting.popleft()
                    continue
                # A banked slot nobody took in time is gone: the fleet's schedule moved on, and
                # spending several late ones at once would burst past the rate.
                while self._banked and self._banked[0] < self.loop.time() - STALE_SLOT_SECONDS:
                    self._banked.popleft()
                if self._banked:
                    self._schedule(self._waiting.popleft(), self._banked.popleft())
                    continue
                await self._reserve_for_waiting()

    def _schedule(self, slot: asyncio.Future[None], at: float) -> None:
        self.scheduled.add(_Scheduled(self, slot, max(at, self.paused_until)))

    async def _reserve_for_waiting(self) -> None:
        count = min(sum(1 for slot in self._waiting if not slot.done()), MAX_BATCH)
        try:
            first_slot, database_now, paused_until, rejected = await self._reserve(count)
        except (psycopg.Error, PoolTimeout):
            log.warning("cannot reserve TMDB request slots; retrying")
            await asyncio.sleep(0.5)
            return
        self.rejected = self.rejected or rejected
        if paused_until > database_now:
            self.paused_until = max(self.paused_until, self.loop.time() + (paused_until - database_now))
        self.bank(first_slot, count, database_now)

    async def _reserve(self, count: int) -> tuple[float, float, float, bool]:
        """(first slot, the database's clock as the statement ended, paused until, refused?), as
        database epoch seconds. Placed relative to that clock, no offset between hosts matters;
        it is read at the end, after any wait for the schedule's lock, so no half-trip guess."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute(
                self._q["reserve_tmdb_slots"],
                {"count": count, "rate": self.rate, "burst": BURST, "fingerprint": self.fingerprint},
            )
            row = await cursor.fetchone()
        assert row is not None  # the table always has its one row
        return (
            float(row["first_slot"]),
            float(row["database_now"]),
            float(row["paused_until"]),
            bool(row["rejected"]),
        )

    async def pause(self, seconds: float) -> None:
        """TMDB said 429: the fleet starts no request for `seconds` (every worker is told)."""
        async with self._pool.connection() as conn:
            cursor = await conn.execute(self._q["pause_tmdb"], {"seconds": seconds})
            row = await cursor.fetchone()
        if row is not None:
            self.learn_pause(float(row["paused_until"]), float(row["shift"]))

    def learn_rejected(self, fingerprint: str) -> None:
        """Another worker got a 401: if it used these credentials, stop sending now."""
        if fingerprint == self.fingerprint and not self.rejected:
            self.rejected = True
            log.error("TMDB rejected the credentials (told by another worker)")

    async def reject(self) -> None:
        """TMDB said 401: stop this worker now and tell the others using the same credentials."""
        self.rejected = True
        async with self._pool.connection() as conn:
            await conn.execute(self._q["reject_credentials"], {"fingerprint": self.fingerprint})
