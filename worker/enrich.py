"""Enriching the films of one job: several films in flight, results written in batches.

A batch (a few films, or whatever finished within a quarter second: a timer writes a half-full
batch) is one short transaction, so progress moves steadily, cache rows reach other workers
promptly and their fetch claims are released. A film another worker is fetching goes to the back
of the job's queue and is looked at again later, at growing intervals, while the lanes go on
with the others. When TMDB or the database fails, the films already done are kept and the first
error ends the job's attempt; the job is retried later for the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from worker.errors import Deferred, WorkerError
from worker.films import Film, Outcome
from worker.queue import Job

FLUSH_FILMS = 10
FLUSH_SECONDS = 0.25
DEFER_SECONDS = (0.1, 0.25, 0.5, 1.0, 2.0)  # waits before looking again at another worker's fetch


class Resolver(Protocol):
    """Turns a film of the export into its outcome (matched with details, or not found)."""

    async def resolve(self, film: Film, fresh: bool = False) -> Outcome: ...


Record = Callable[[Job, list[Outcome]], Awaitable[None]]


class _Batch:
    """Outcomes waiting to be written: at FLUSH_FILMS, or FLUSH_SECONDS after the first."""

    def __init__(self, record: Record, job: Job) -> None:
        self._record = record
        self._job = job
        self._outcomes: list[Outcome] = []
        self._lock = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._timed: asyncio.Task[None] | None = None
        self.written = 0
        self.error: Exception | None = None

    async def add(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        if len(self._outcomes) >= FLUSH_FILMS:
            await self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(FLUSH_SECONDS, self._flush_later)

    def _flush_later(self) -> None:
        self._timer = None
        self._timed = asyncio.ensure_future(self._flush_quietly())

    async def _flush_quietly(self) -> None:
        try:
            await self.flush()
        except Exception as problem:  # noqa: BLE001 - kept and raised by the job at its end
            self.error = self.error or problem

    async def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        async with self._lock:
            outcomes, self._outcomes = self._outcomes, []
            if outcomes:
                try:
                    await self._record(self._job, outcomes)
                except BaseException:
                    self._outcomes = outcomes + self._outcomes  # not written: the job's retry redoes them
                    raise
                self.written += len(outcomes)

    async def close(self) -> None:
        """Write what is left (also when the job was cancelled or failed)."""
        if self._timed is not None:
            with contextlib.suppress(Exception):
                await self._timed
        await self.flush()


@dataclass(frozen=True)
class JobResult:
    """How a job went: the films it gave an outcome."""

    written: int


@dataclass
class _Waiting:
    film: Film
    not_before: float = 0.0
    deferrals: int = 0


async def enrich_job(
    job: Job, films: list[Film], record: Record, resolver: Resolver, lanes: int
) -> JobResult:
    """Give every one of the job's films left to fetch its outcome, written in batches.

    Raises the first error a film (or a batch write) ran into, after the films that did finish
    are stored."""
    batch = _Batch(record, job)
    queue: deque[_Waiting] = deque(_Waiting(film) for film in films)
    errors: list[Exception] = []
    loop = asyncio.get_running_loop()

    async def lane() -> None:
        while queue and not errors and batch.error is None:
            waiting = queue.popleft()
            if (wait := waiting.not_before - loop.time()) > 0:
                if any(other.not_before <= loop.time() for other in queue):
                    queue.append(waiting)  # something else is ready: do that first
                    continue
                await asyncio.sleep(wait)
            try:
                outcome = await resolver.resolve(waiting.film, job.fresh_lookups)
            except Deferred:
                pause = DEFER_SECONDS[min(waiting.deferrals, len(DEFER_SECONDS) - 1)]
                # Looked at again without the start statement's hint: its claim state is stale.
                queue.append(
                    _Waiting(
                        dataclasses.replace(waiting.film, claim=None),
                        loop.time() + pause,
                        waiting.deferrals + 1,
                    )
                )
                continue
            except Exception as problem:  # noqa: BLE001 - raised below, once the rest is stored
                errors.append(problem)
                return
            try:
                await batch.add(outcome)
            except Exception as problem:  # noqa: BLE001 - a failed write ends the attempt
                errors.append(problem)
                return

    # The first lane runs in the job's own task: the first request goes out without a task hop.
    tasks = [asyncio.create_task(lane()) for _ in range(min(lanes, len(films)) - 1)]
    try:
        if films:
            await lane()
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # Cancelled (shutdown, lost lease) or failed: what finished is kept either way.
        try:
            await asyncio.shield(batch.close())
        except Exception as problem:  # noqa: BLE001 - reported as the attempt's error
            errors.append(problem)
    if batch.error is not None:
        errors.insert(0, batch.error)
    if errors:
        raise errors[0]
    if batch.written != len(films):
        raise WorkerError(f"{len(films) - batch.written} films were left without an outcome")
    return JobResult(batch.written)
