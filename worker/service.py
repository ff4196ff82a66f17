"""One worker process: its resources, its tasks, and the order in which they stop."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import uuid
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from common.sqlfiles import load_queries
from worker.config import WorkerConfig
from worker.dispatcher import Dispatcher
from worker.housekeeping import housekeeping_loop
from worker.listener import Listener
from worker.metrics import WorkerMetrics
from worker.queue import JobStore, Pool
from worker.resolver import Resolver
from worker.tmdb.cache import TmdbCache
from worker.tmdb.client import TmdbClient, create_http_client
from worker.tmdb.ratelimit import FleetRateLimiter, credentials_fingerprint

log = logging.getLogger("worker")


async def _configure(conn: AsyncConnection[Any]) -> None:
    conn.row_factory = dict_row


def create_pool(config: WorkerConfig, worker_id: uuid.UUID) -> Pool:
    """The worker's pool: a connection per job step, recycled, never used for LISTEN."""
    return AsyncConnectionPool(
        config.database_url,
        min_size=2,
        max_size=config.job_slots + 4,
        open=False,
        name="worker",
        configure=_configure,
        kwargs={"application_name": f"reelstats worker {worker_id}", "connect_timeout": 10},
        timeout=10,
        max_lifetime=30 * 60,
    )


async def run(config: WorkerConfig, stop: asyncio.Event) -> None:
    """Work until `stop` is set, then drain, release what is left, and unregister."""
    worker_id = uuid.uuid4()
    queries = load_queries("worker")
    pool = create_pool(config, worker_id)
    await pool.open(wait=True, timeout=15)
    http = create_http_client(config)
    try:
        store = JobStore(pool, queries, worker_id, config.lease_seconds)
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
        limiter = FleetRateLimiter(
            pool,
            queries,
            config.tmdb_rate_limit,
            credentials_fingerprint(config.tmdb_api_key, config.tmdb_access_token),
        )
        metrics = WorkerMetrics()
        if config.metrics_port:
            metrics.serve(config.metrics_port)
        client = TmdbClient(
            http, config.concurrency, limiter, lambda status: metrics.tmdb_requests.labels(status).inc()
        )
        dispatcher = Dispatcher(config, store, Resolver(client, TmdbCache(pool, queries, worker_id)), metrics)
        background = [
            asyncio.create_task(dispatcher.heartbeat(stop), name="heartbeat"),
            asyncio.create_task(limiter.run(), name="rate-limiter"),
            asyncio.create_task(
                housekeeping_loop(pool, queries, config.session_retention_days, stop), name="housekeeping"
            ),
        ]
        if config.listen:
            listener = Listener(
                config.database_url, queries, dispatcher.notified, f"reelstats listener {worker_id}"
            )
            background.append(asyncio.create_task(listener.run(), name="listener"))
        else:
            log.warning("DATABASE_LISTEN=off: no LISTEN; jobs are found by the poll alone")
        await dispatcher.run(stop)
        await dispatcher.drain(grace_seconds=min(10.0, config.lease_seconds))
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await store.unregister()
        log.info("worker stopped", extra={"worker": str(worker_id)})
    finally:
        await http.aclose()
        await pool.close()


def install_stop_signals(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT ask the worker to stop claiming and drain."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
