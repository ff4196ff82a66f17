"""The worker loop: claim when woken (NOTIFY), on the poll timer, or when a slot frees; run jobs.

A notification is only a hint that work may exist: the claim query decides. The worker holds a
few jobs at a time (its slots) so other workers find work in a big session, plus one express slot
that only takes a session's first chunk, so a new upload starts at once even behind a huge one.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time

import psycopg
from psycopg_pool import PoolTimeout

from worker.config import WorkerConfig
from worker.enrich import Resolver, enrich_job
from worker.errors import JobLost, TmdbRejectedCredentials, WorkerError
from worker.metrics import WorkerMetrics
from worker.queue import Job, JobStore

log = logging.getLogger("worker.jobs")
DATABASE_ERRORS = (psycopg.Error, PoolTimeout)


def backoff_seconds(attempts: int) -> float:
    """Delay before a failed job is tried again: exponential with jitter, capped at 5 minutes."""
    return float(min(300, 2**attempts) * random.uniform(0.5, 1.5))  # noqa: S311 - jitter


async def wait_any(events: list[asyncio.Event], seconds: float) -> None:
    """Return when any event is set or after `seconds`."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


class Dispatcher:
    """Claims jobs into free slots and runs each as a task until told to stop."""

    def __init__(
        self, config: WorkerConfig, store: JobStore, resolver: Resolver, metrics: WorkerMetrics
    ) -> None:
        self._config = config
        self._store = store
        self._resolver = resolver
        self._metrics = metrics
        self.wake = asyncio.Event()
        self._notified_at: float | None = None
        self.running: dict[int, asyncio.Task[None]] = {}
        self._express: set[int] = set()
        self._lost: set[int] = set()

    def notified(self) -> None:
        """A job NOTIFY (or a listener reconnect) arrived: claim now."""
        if self._notified_at is None:
            self._notified_at = time.monotonic()
        self.wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Claim and start jobs until `stop` is set."""
        while not stop.is_set():
            self.wake.clear()  # before claiming: a NOTIFY during the claim wakes the next round
            try:
                await self._fill_slots()
            except DATABASE_ERRORS as problem:
                log.warning(
                    "claim failed; retrying at the next poll", extra={"error": type(problem).__name__}
                )
            poll = self._config.poll_seconds * random.uniform(0.8, 1.2)  # noqa: S311 - spread the polls
            await wait_any([self.wake, stop], poll)

    async def _fill_slots(self) -> None:
        notified_at, self._notified_at = self._notified_at, None
        claimed: list[Job] = []
        free = self._config.job_slots - (len(self.running) - len(self._express))
        if free > 0:
            jobs = await self._store.claim(free)
            claimed += jobs
            for job in jobs:
                self._start(job, express=False)
            if len(jobs) == free:
                self.wake.set()  # there may be more: try again as soon as the loop comes round
        elif not self._express:  # every regular slot is busy: only a session's first chunk may come in
            for job in await self._store.claim(1, max_chunk=0):
                claimed.append(job)
                self._start(job, express=True)
        if claimed and notified_at is not None:
            self._metrics.wake_latency.observe(time.monotonic() - notified_at)
        self._metrics.jobs_claimed.inc(len(claimed))
        self._metrics.jobs_running.set(len(self.running))

    def _start(self, job: Job, express: bool) -> None:
        if express:
            self._express.add(job.id)
        self.running[job.id] = asyncio.create_task(self._work(job), name=f"job-{job.id}")

    async def _work(self, job: Job) -> None:
        started = time.monotonic()
        fields = {"job": job.id, "session": str(job.session_id), "attempt": job.attempts}
        try:
            if job.attempts > job.max_attempts:
                await self._store.fail(job, f"enrichment was interrupted {job.max_attempts} times")
                log.warning("job failed: attempts used up", extra=fields)
                return
            result = await enrich_job(job, self._store, self._resolver, self._config.concurrency)
            films = result.fetched
            session_status = result.session_status if result.finished else await self._store.finish(job)
            self._metrics.jobs_succeeded.inc()
            log.info(
                "job done",
                extra={**fields, "fetched": films, "seconds": round(time.monotonic() - started, 3)},
            )
            if session_status:
                log.info("session finished", extra={"session": str(job.session_id), "status": session_status})
        except asyncio.CancelledError:
            if job.id in self._lost:
                log.warning("job lost: its lease expired and another worker has it", extra=fields)
                return
            raise
        except Exception as problem:  # noqa: BLE001 - every failure ends the attempt somehow
            await self._end_attempt(job, problem, fields)
        finally:
            self.running.pop(job.id, None)
            self._express.discard(job.id)
            self._lost.discard(job.id)
            self._metrics.jobs_running.set(len(self.running))
            self.wake.set()  # a slot is free

    async def _end_attempt(self, job: Job, problem: Exception, fields: dict[str, object]) -> None:
        try:
            if isinstance(problem, JobLost):
                log.warning("job lost: its lease expired and another worker has it", extra=fields)
            elif isinstance(problem, TmdbRejectedCredentials):
                await self._store.fail(job, str(problem))
                self._metrics.jobs_failed.inc()
                log.error("job failed: TMDB rejected the credentials", extra=fields)
            elif isinstance(problem, WorkerError):
                status = await self._store.retry(job, str(problem), backoff_seconds(job.attempts))
                self._metrics.job_attempts_failed.inc()
                if status == "failed":
                    self._metrics.jobs_failed.inc()
                log.warning("job attempt failed", extra={**fields, "error": str(problem), "now": status})
            elif isinstance(problem, DATABASE_ERRORS):
                # Nothing can be written now: the lease runs out and the job is claimed again.
                log.warning(
                    "job interrupted by a database error", extra={**fields, "error": type(problem).__name__}
                )
            else:
                log.error("job failed by a bug", extra={**fields, "error": type(problem).__name__})
                await self._store.retry(
                    job, "an internal error interrupted enrichment", backoff_seconds(job.attempts)
                )
        except (JobLost, *DATABASE_ERRORS) as second:
            log.warning("job attempt could not be recorded", extra={**fields, "error": type(second).__name__})

    async def heartbeat(self, stop: asyncio.Event) -> None:
        """Renew the leases of running jobs (and this worker's registration) until `stop`."""
        while not stop.is_set():
            await wait_any([stop], self._config.heartbeat_seconds)
            if stop.is_set():
                return
            ids = list(self.running)
            try:
                held = await self._store.heartbeat(ids)
            except DATABASE_ERRORS as problem:
                log.warning("heartbeat failed", extra={"error": type(problem).__name__})
                continue
            for job_id in set(ids) - held:
                task = self.running.get(job_id)
                if task is not None:
                    self._lost.add(job_id)
                    task.cancel()

    async def drain(self, grace_seconds: float) -> None:
        """Let running jobs finish for up to `grace_seconds`, then stop and release the rest."""
        tasks = list(self.running.values())
        if tasks:
            log.info("draining", extra={"jobs": len(tasks), "grace_seconds": grace_seconds})
            await asyncio.wait(tasks, timeout=grace_seconds)
        unfinished = list(self.running)
        pending = list(self.running.values())
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if unfinished:
            released = await self._store.release(unfinished)
            log.info("jobs released", extra={"jobs": released})
