"""One worker process: its resources, its tasks, and the order in which they stop."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import uuid

from common.sqlfiles import Queries, load_queries
from worker.config import WorkerConfig
from worker.connections import Pool, create_pool
from worker.dispatcher import Dispatcher
from worker.errors import WorkerDied
from worker.housekeeping import housekeeping_loop
from worker.listener import KEEPALIVE_SECONDS, KEEPALIVE_TIMEOUT, Listener
from worker.metrics import WorkerMetrics
from worker.queue import JobStore
from worker.resolver import Resolver
from worker.results import ResultStore
from worker.supervision import Beat, Health, first_death, watch_thread
from worker.tmdb.cache import TmdbCache
from worker.tmdb.client import TmdbClient, create_http_client
from worker.tmdb.ratelimit import IDLE_TICK_SECONDS, FleetRateLimiter, credentials_fingerprint

log = logging.getLogger("worker")
DEATH_EXIT_SECONDS = 3.0  # after a background task died, the shutdown's deadline
HOUSEKEEPING_STALE_SECONDS = 180.0  # a round every 15-45 s, each bounded by statement_timeout


async def run(config: WorkerConfig, stop: asyncio.Event) -> None:
    """Work until `stop` is set, then drain, release what is left, and unregister.

    Raises WorkerDied (after handing its jobs back) when a background task ended."""
    worker_id = uuid.uuid4()
    queries = load_queries("worker", "start")
    pool, control = create_pool(config, worker_id), create_pool(config, worker_id, control=True)
    await pool.open(wait=True, timeout=15)
    await control.open(wait=True, timeout=15)
    http = create_http_client(config)
    try:
        store = JobStore(pool, control, queries, worker_id, config.lease_seconds)
        demo = not (config.tmdb_api_key or config.tmdb_access_token)
        await store.register(socket.gethostname(), os.getpid(), demo)
        log.info(
            "worker started",
            extra={
                "worker": str(worker_id),
                "slots": config.job_slots,
                "tmdb": config.tmdb_base_url,
                "demo_catalogue": demo,
            },
        )
        if demo:
            log.warning("no TMDB_API_KEY or TMDB_ACCESS_TOKEN: enriching from the demo catalogue")
        fingerprint = credentials_fingerprint(config.tmdb_api_key, config.tmdb_access_token)
        limiter = FleetRateLimiter(control, queries, config.tmdb_rate_limit, fingerprint)
        metrics = WorkerMetrics()
        client = TmdbClient(
            http, config.concurrency, limiter, lambda status: metrics.tmdb_requests.labels(status).inc()
        )
        resolver = Resolver(client, TmdbCache(pool, queries, worker_id))
        results = ResultStore(pool, queries, worker_id)
        dispatcher = Dispatcher(config, store, results, resolver=resolver, limiter=limiter, metrics=metrics)
        health = Health()
        background = _background(config, queries, pool, dispatcher, limiter, metrics, health, worker_id, stop)
        _install_fault_switch(config, background)
        dispatching = asyncio.create_task(dispatcher.run(stop), name="dispatcher")
        died = await first_death(background, stop)
        if died is not None:
            log.error("a background task died; the worker stops", extra={"task": died})
            stop.set()
        try:
            # Half-broken, the worker must not linger: whatever its shutdown waits for, it ends
            # (the jobs not handed back are claimed again when their leases run out).
            async with asyncio.timeout(None if died is None else DEATH_EXIT_SECONDS):
                await _stop(
                    dispatching,
                    dispatcher,
                    background,
                    store,
                    0.0 if died else min(10.0, config.lease_seconds),
                )
        except TimeoutError:
            if died is None:
                raise
            # Something ignores its cancellation: the loop's own clean-up would wait for it too.
            log.error("shutdown is stuck; exiting anyway", extra={"waiting_for": _waiting_tasks()})
            logging.shutdown()
            print(WorkerDied(died).farewell(), file=sys.stderr, flush=True)
            os._exit(1)
        log.info("worker stopped", extra={"worker": str(worker_id)})
        if died is not None:
            raise WorkerDied(died)
    finally:
        await http.aclose()
        await pool.close()
        await control.close()


async def _stop(
    dispatching: asyncio.Task[None],
    dispatcher: Dispatcher,
    background: list[asyncio.Task[None]],
    store: JobStore,
    grace_seconds: float,
) -> None:
    """Stop claiming, drain the jobs, stop the background tasks, unregister."""
    await dispatching
    await dispatcher.drain(grace_seconds=grace_seconds)
    for task in background:
        task.cancel()
    await asyncio.gather(*background, return_exceptions=True)
    await store.unregister()


def _waiting_tasks() -> str:
    """Which tasks are still running and in which function: names, never a traceback."""
    current = asyncio.current_task()
    stuck = []
    for task in asyncio.all_tasks():
        if task is not current:
            frames = task.get_stack(limit=1)
            stuck.append(f"{task.get_name()} in {frames[0].f_code.co_name if frames else '?'}")
    return ", ".join(sorted(stuck)) or "nothing"


def _background(  # noqa: PLR0917 - the parts of one worker, wired once
    config: WorkerConfig,
    queries: Queries,
    pool: Pool,
    dispatcher: Dispatcher,
    limiter: FleetRateLimiter,
    metrics: WorkerMetrics,
    health: Health,
    worker_id: uuid.UUID,
    stop: asyncio.Event,
) -> list[asyncio.Task[None]]:
    """Start the watched background tasks and tell `health` how to tell each is alive."""
    housekeeping = Beat()
    tasks = [
        asyncio.create_task(dispatcher.heartbeat(stop, health.problem), name="heartbeat"),
        asyncio.create_task(limiter.run(), name="rate-limiter"),
        asyncio.create_task(
            housekeeping_loop(pool, queries, config.session_retention_days, stop, housekeeping.now),
            name="housekeeping",
        ),
    ]
    health.watch("rate limiter", lambda: limiter.alive_at, 6 * IDLE_TICK_SECONDS)
    health.watch("housekeeping", lambda: housekeeping.at, HOUSEKEEPING_STALE_SECONDS)
    if config.listen:
        listener = Listener(
            config.database_url,
            queries,
            dispatcher.notified,
            f"reelstats listener {worker_id}",
            worker_id=worker_id,
            on_addressed=dispatcher.addressed,
            on_pause=limiter.learn_pause,
            on_rejected=limiter.learn_rejected,
        )
        tasks.append(asyncio.create_task(listener.run(), name="listener"))
        health.watch("listener", lambda: listener.alive_at, 3 * (KEEPALIVE_SECONDS + KEEPALIVE_TIMEOUT))
    else:
        log.warning("DATABASE_LISTEN=off: no LISTEN; jobs are found by the poll alone")
    if config.metrics_port:
        served = Beat()
        thread = metrics.serve(config.metrics_port)
        tasks.append(asyncio.create_task(watch_thread(thread, served), name="metrics"))
        health.watch("metrics", lambda: served.at, 10.0)
    return tasks


def _install_fault_switch(config: WorkerConfig, tasks: list[asyncio.Task[None]]) -> None:
    """For the supervision tests: SIGUSR2 cancels the task named by WORKER_TEST_KILL_TASK."""
    if not config.test_kill_task:
        return
    named = {task.get_name(): task for task in tasks}

    def kill() -> None:
        task = named.get(config.test_kill_task or "")
        if task is not None:
            log.warning("test fault: cancelling a background task", extra={"task": task.get_name()})
            task.cancel()

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR2, kill)


def install_stop_signals(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT ask the worker to stop claiming and drain."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
