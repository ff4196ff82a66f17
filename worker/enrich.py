"""Enriching the films of one job: several films in flight, results written in batches.

A batch (a few films, or whatever finished within half a second) is one short transaction, so
progress moves steadily without a write per film. When TMDB fails, the films already done are
kept and the error ends the job's attempt; the job is retried later for the rest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from common.titles import title_key
from worker.errors import WorkerError
from worker.films import Film, Outcome
from worker.queue import Job, JobStore

FLUSH_FILMS = 10
FLUSH_SECONDS = 0.5


class Resolver(Protocol):
    """Turns a film of the export into its outcome (matched with details, or not found)."""

    async def resolve(self, film: Film, fresh: bool = False) -> Outcome: ...


def cache_key(film: Film) -> tuple[str, int]:
    """The (title key, year) under which TMDB's answer for a film is cached; year 0 when none."""
    return title_key(film.name), film.year or 0


class _Batch:
    def __init__(self, store: JobStore, job: Job) -> None:
        self._store = store
        self._job = job
        self._outcomes: list[Outcome] = []
        self._lock = asyncio.Lock()
        self._since = time.monotonic()
        self.written = 0

    async def add(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        if len(self._outcomes) >= FLUSH_FILMS or time.monotonic() - self._since >= FLUSH_SECONDS:
            await self.flush()

    async def flush(self) -> None:
        async with self._lock:
            outcomes, self._outcomes = self._outcomes, []
            self._since = time.monotonic()
            if outcomes:
                await self._store.record(self._job, outcomes)
                self.written += len(outcomes)


@dataclass(frozen=True)
class JobResult:
    """How a job went: films TMDB was asked about, and whether the job is already finished."""

    fetched: int
    finished: bool = False
    session_status: str | None = None


async def enrich_job(job: Job, store: JobStore, resolver: Resolver, lanes: int) -> JobResult:
    """Give every pending film of the job its outcome.

    Films whose answer is in the shared cache are finished first, set-wise, with no request (and
    if that was all of them, the job with them). Raises the first error a film ran into, after
    the films that did finish are stored."""
    films = await store.pending_films(job)
    keys = [{"film_no": f.film_no, "title_key": k, "year": y} for f in films for k, y in [cache_key(f)]]
    cached = await store.resolve_from_cache(job, keys)
    if cached.finished:
        return JobResult(0, finished=True, session_status=cached.session_status)
    films = [film for film in films if film.film_no not in cached.resolved]
    batch = _Batch(store, job)
    queue: Iterator[Film] = iter(films)
    errors: list[Exception] = []

    async def lane() -> None:
        for film in queue:  # lanes share one iterator: each film is taken once
            if errors:
                return
            try:
                outcome = await resolver.resolve(film, job.fresh_lookups)
            except Exception as problem:  # noqa: BLE001 - re-raised below, once the rest is stored
                errors.append(problem)
                return
            await batch.add(outcome)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(lanes, len(films))):
                group.create_task(lane())
    finally:
        # Cancelled (shutdown, lost lease) or failed: what finished is kept either way.
        await asyncio.shield(batch.flush())
    if errors:
        raise errors[0]
    if batch.written != len(films):
        raise WorkerError(f"{len(films) - batch.written} films were left without an outcome")
    return JobResult(batch.written)
