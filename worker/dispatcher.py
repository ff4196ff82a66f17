"""The worker loop: start jobs when woken (NOTIFY), on the poll timer, when a backed-off job
becomes due, or when a slot frees; run each as a task.

A notification is only a hint that work may exist: the start statement decides. The worker holds
a few jobs at a time (its slots) so other workers find work in a big session, plus one express
slot that only takes a session's first chunk, so a new upload starts at once even behind a huge
one. Every failed attempt is handed back to the queue at once with its backoff, database errors
included (on whatever connection the pool can give), rather than left to its lease.
Wake-ups scale with work, not with workers (see wakeups.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from collections.abc import Callable

import psycopg
from psycopg_pool import PoolTimeout

from worker.config import WorkerConfig
from worker.enrich import Resolver, enrich_job
from worker.errors import JobLost, SessionGone, TmdbRejectedCredentials, WorkerError
from worker.films import Film
from worker.metrics import WorkerMetrics
from worker.queue import Job, JobStore, Started
from worker.results import ResultStore
from worker.tmdb.ratelimit import FleetRateLimiter
from worker.wakeups import claim_delay

log = logging.getLogger("worker.jobs")
DATABASE_ERRORS = (psycopg.Error, PoolTimeout)
JOB_MAX_SECONDS = 900.0  # a job running longer is stuck: its attempt ends and it is retried
BUSY_RETRY_SECONDS = (0.002, 0.005, 0.01, 0.02, 0.05)  # a wanted session was locked this instant
DATABASE_RETRY_SECONDS = 2.0  # backoff of an attempt ended by a database error


def backoff_seconds(attempts: int) -> float:
    """Delay before a failed job is tried again: exponential with jitter, capped at 5 minutes."""
    return float(min(300, 2**attempts) * random.uniform(0.5, 1.5))  # noqa: S311 - jitter


class Dispatcher:
    """Starts jobs into free slots and runs each as a task until told to stop."""

    def __init__(
        self,
        config: WorkerConfig,
        store: JobStore,
        results: ResultStore,
        *,
        resolver: Resolver,
        limiter: FleetRateLimiter,
        metrics: WorkerMetrics,
    ) -> None:
        self._config = config
        self._store = store
        self._results = results
        self._resolver = resolver
        self._limiter = limiter
        self._metrics = metrics
        self.wake = asyncio.Event()
        self._notified_at: float | None = None
        self._due: asyncio.TimerHandle | None = None
        self._busy = 0
        self.running: dict[int, asyncio.Task[None]] = {}
        self._express: set[int] = set()
        self._lost: set[int] = set()
        self._gone: set[int] = set()  # deleted with their session while running
        self.heartbeat_at = time.monotonic()
        self.fleet: list[uuid.UUID] = []  # workers with room, as of the last heartbeat
        self._passing: set[asyncio.Task[None]] = set()

    def notified(self, payload: str = "") -> None:
        """A job NOTIFY (payload "<session> <jobs>") or a listener reconnect (""): start jobs now,
        unless this worker has no room or is not among those chosen for the upload."""
        delay = claim_delay(self._store.worker_id, self._room(), self.fleet, payload)
        if delay is None:
            self._metrics.wakes_skipped.inc()
            return
        if delay > 0:  # a spare: after the first chosen had their moment
            asyncio.get_running_loop().call_later(delay, self.notified, "")
            return
        if self._notified_at is None:
            self._notified_at = time.monotonic()
        self.wake.set()

    def addressed(self, payload: str) -> None:
        """A job NOTIFY meant for this worker alone: start jobs now; without room after all (the
        room its last heartbeat published is gone), pass it on to the whole fleet."""
        if self._room() > 0:
            self.notified("")
            return
        self._metrics.wakes_skipped.inc()
        task = asyncio.get_running_loop().create_task(self._pass_on(payload))
        self._passing.add(task)
        task.add_done_callback(self._passing.discard)

    async def _pass_on(self, payload: str) -> None:
        try:
            await self._store.pass_on_wake(payload)
        except DATABASE_ERRORS as problem:  # the poll finds the job all the same
            log.warning("could not pass a notification on", extra={"error": type(problem).__name__})

    def _room(self) -> int:
        """Jobs this worker could take now: free regular slots, or the express slot."""
        free = self._config.job_slots - (len(self.running) - len(self._express))
        return max(free, 0) + (0 if self._express else 1)

    async def run(self, stop: asyncio.Event) -> None:
        """Start jobs until `stop` is set."""

        async def stop_wakes() -> None:  # one event to wait on: no extra hop on the hot path
            await stop.wait()
            self.wake.set()

        stopping = asyncio.create_task(stop_wakes())
        try:
            while not stop.is_set():
                self.wake.clear()  # before starting: a NOTIFY during the statement wakes the next round
                try:
                    await self._fill_slots()
                except DATABASE_ERRORS as problem:
                    log.warning(
                        "claim failed; retrying at the next poll", extra={"error": type(problem).__name__}
                    )
                poll = self._config.poll_seconds * random.uniform(0.8, 1.2)  # noqa: S311 - spread the polls
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), poll)
        finally:
            stopping.cancel()

    async def _fill_slots(self) -> None:
        notified_at, self._notified_at = self._notified_at, None
        free = self._config.job_slots - (len(self.running) - len(self._express))
        express = free <= 0
        if express and self._express:
            return  # every slot is busy, the express one too
        self._metrics.start_statements.inc()
        started = await self._store.start(
            limit=1 if express else free,
            running=list(self.running),
            first_requests=self._config.concurrency,
            rate=self._limiter.rate,
            fingerprint=self._limiter.fingerprint,
            max_chunk=0 if express else 2**31 - 1,
        )
        self._take(started, express)
        claimed = len(started.jobs) + len(started.done)
        if claimed and notified_at is not None:
            self._metrics.wake_latency.observe(time.monotonic() - notified_at)
        self._metrics.jobs_claimed.inc(claimed)
        self._metrics.jobs_running.set(len(self.running))
        if started.more or (claimed and claimed == free and not express):
            # There may be more: a session busy this instant, or a full batch. Look again soon.
            if claimed:
                self._busy = 0
                self.wake.set()
            else:
                delay = BUSY_RETRY_SECONDS[min(self._busy, len(BUSY_RETRY_SECONDS) - 1)]
                self._busy += 1
                asyncio.get_running_loop().call_later(delay, self.wake.set)
        self._wake_when_due(started.next_run_after)

    def _take(self, started: Started, express: bool) -> None:
        if started.rejected:
            self._limiter.rejected = True
        if started.slots is not None:
            self._limiter.bank(*started.slots)
        for job in started.done:
            self._metrics.jobs_succeeded.inc()
            log.info("job done", extra={"job": job.id, "session": str(job.session_id), "fetched": 0})
        for session, status in started.finished_sessions.items():
            log.info("session finished", extra={"session": session, "status": status})
        for job in started.jobs:
            if express:
                self._express.add(job.id)
            films = started.films.get(job.id, [])
            self.running[job.id] = asyncio.create_task(self._work(job, films), name=f"job-{job.id}")

    def _wake_when_due(self, next_run_after: float | None) -> None:
        """A backed-off job is claimed when its run_after passes, not at the next poll."""
        if self._due is not None:
            self._due.cancel()
            self._due = None
        if next_run_after is not None:
            delay = max(0.0, next_run_after - time.time()) + 0.005
            self._due = asyncio.get_running_loop().call_later(delay, self.wake.set)

    async def _work(self, job: Job, films: list[Film]) -> None:
        started = time.monotonic()
        fields = {"job": job.id, "session": str(job.session_id), "attempt": job.attempts}
        try:
            if job.attempts > job.max_attempts:
                await self._results.fail(job, f"enrichment was interrupted {job.max_attempts} times")
                log.warning("job failed: attempts used up", extra=fields)
                return
            try:
                async with asyncio.timeout(JOB_MAX_SECONDS):
                    result = await enrich_job(
                        job, films, self._results.record, self._resolver, self._config.concurrency
                    )
            except TimeoutError:
                raise WorkerError(f"enrichment took longer than {JOB_MAX_SECONDS:.0f} s") from None
            session_status = await self._results.finish(job)
            self._metrics.jobs_succeeded.inc()
            seconds = round(time.monotonic() - started, 3)
            log.info("job done", extra={**fields, "fetched": result.written, "seconds": seconds})
            if session_status:
                log.info("session finished", extra={"session": str(job.session_id), "status": session_status})
        except asyncio.CancelledError:
            if job.id in self._gone:
                log.info("job dropped: its session was deleted", extra=fields)
                return
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
            self._gone.discard(job.id)
            self._metrics.jobs_running.set(len(self.running))
            self.wake.set()  # a slot is free

    async def _end_attempt(self, job: Job, problem: Exception, fields: dict[str, object]) -> None:
        try:
            if isinstance(problem, SessionGone):
                log.info("job dropped: its session was deleted", extra=fields)
                return
            if isinstance(problem, JobLost):
                log.warning("job lost: its lease expired and another worker has it", extra=fields)
                return
            if isinstance(problem, TmdbRejectedCredentials):
                await self._results.fail(job, str(problem))
                self._metrics.jobs_failed.inc()
                log.error("job failed: TMDB rejected the credentials", extra=fields)
                return
            if isinstance(problem, WorkerError):
                error, delay = str(problem), backoff_seconds(job.attempts)
            elif isinstance(problem, DATABASE_ERRORS):
                # Not a bug: the database hiccupped (a dropped connection, a timeout). Handed back
                # at once, on whatever connection the pool gives next, and retried shortly.
                error = f"a database error interrupted enrichment ({type(problem).__name__})"
                delay = DATABASE_RETRY_SECONDS * random.uniform(0.5, 1.5)  # noqa: S311 - jitter
            else:
                log.error("job failed by a bug", extra={**fields, "error": type(problem).__name__})
                error, delay = "an internal error interrupted enrichment", backoff_seconds(job.attempts)
            status = await self._results.retry(job, error, delay)
            self._metrics.job_attempts_failed.inc()
            if status == "failed":
                self._metrics.jobs_failed.inc()
            log.warning("job attempt failed; retryable", extra={**fields, "error": error, "now": status})
        except SessionGone:
            log.info("job dropped: its session was deleted", extra=fields)
        except (JobLost, *DATABASE_ERRORS) as second:
            # Nothing can be written now: the lease runs out and the job is claimed again.
            log.warning("job attempt could not be recorded", extra={**fields, "error": type(second).__name__})

    async def heartbeat(self, stop: asyncio.Event, problem: Callable[[], str | None]) -> None:
        """Renew the leases of running jobs (and this worker's registration) until `stop`."""
        with contextlib.suppress(*DATABASE_ERRORS):
            self.fleet = await self._store.fleet_with_room()  # who else is there, from the start
        while not stop.is_set():
            self.heartbeat_at = time.monotonic()
            try:
                await asyncio.wait_for(stop.wait(), self._config.heartbeat_seconds)
                return
            except TimeoutError:
                pass
            ids = list(self.running)
            try:
                held, existing = await self._store.heartbeat(ids, problem(), self._room())
                self.fleet = await self._store.fleet_with_room()
            except DATABASE_ERRORS as error:
                log.warning("heartbeat failed", extra={"error": type(error).__name__})
                continue
            for job_id in set(ids) - held:
                task = self.running.get(job_id)
                if task is not None:
                    (self._lost if job_id in existing else self._gone).add(job_id)
                    task.cancel()

    async def drain(self, grace_seconds: float) -> None:
        """Let running jobs finish for up to `grace_seconds`, then stop and release the rest."""
        tasks = list(self.running.values())
        if tasks and grace_seconds > 0:
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
