"""The Starlette application: routes, error edges, and the lifespan that owns the pool."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route

from api import analytics, events, films, health, matches, metrics, openapi, page, sessions
from api.auth import BearerToken
from api.config import ApiConfig
from api.edges import EXCEPTION_HANDLERS, CatchAll
from api.migrations import apply_migrations
from api.services import Pool, Services
from common.sqlfiles import load_queries


async def _configure(conn: AsyncConnection[Any]) -> None:
    conn.row_factory = dict_row


def create_pool(config: ApiConfig) -> Pool:
    """The API's pool (not opened): dict rows, checked before each use so a restart heals."""
    return AsyncConnectionPool(
        config.database_url,
        min_size=2,
        max_size=config.pool_size,
        open=False,
        name="api",
        configure=_configure,
        # A prepared statement's generic plan, reused: PostgreSQL otherwise plans the upload
        # statement afresh on every call (about half a millisecond of server CPU). Every API
        # statement looks rows up by a session id or a key, whose plan does not depend on it.
        kwargs={
            "application_name": "reelstats api",
            "connect_timeout": 10,
            "options": "-c plan_cache_mode=force_generic_plan",
        },
        check=AsyncConnectionPool.check_connection,
        timeout=5,  # during a database outage, answer 503 within seconds rather than hang
        max_lifetime=30 * 60,
    )


def create_app(config: ApiConfig) -> Starlette:
    """Assemble the app; the schema is brought up to date and the pool opened at start-up."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Services]]:
        await anyio.to_thread.run_sync(apply_migrations, config.database_url)
        pool = create_pool(config)
        await pool.open(wait=True, timeout=15)
        queries = load_queries("sessions", "analytics", "matches", "migrations")
        hub = events.ProgressHub(config.database_url, pool, queries)
        listening = asyncio.create_task(hub.run() if config.listen else hub.poll(), name="progress")
        try:
            yield {
                "services": Services(
                    config=config,
                    pool=pool,
                    queries=queries,
                    parse_limiter=anyio.CapacityLimiter(2),
                    progress=hub,
                    metrics=metrics.ApiMetrics(),
                )
            }
        finally:
            listening.cancel()
            await asyncio.gather(listening, return_exceptions=True)
            await pool.close()

    session = "/api/sessions/{session_id}"
    routes = [
        Route("/", page.index, methods=["GET"]),
        Mount("/static", app=page.static_files(), name="static"),
        Route("/healthz", health.healthz, methods=["GET"]),
        Route("/readyz", health.readyz, methods=["GET"]),
        Route("/metrics", metrics.metrics, methods=["GET"]),
        Route("/openapi.json", openapi.openapi, methods=["GET"]),
        Route("/api/info", page.info, methods=["GET"]),
        Route("/api/sessions", sessions.create_session, methods=["POST"]),
        Route(session, sessions.session_resource, methods=["GET", "DELETE"]),
        Route(f"{session}/events", events.session_events, methods=["GET"]),
        Route(f"{session}/films", films.list_films, methods=["GET"]),
        Route(f"{session}/films/{{film_id}}", matches.read_film, methods=["GET"]),
        Route(f"{session}/films/{{film_id}}/match", matches.choose_match, methods=["PUT"]),
        Route(f"{session}/analytics", analytics.read_analytics, methods=["GET"]),
        Route(f"{session}/retry", films.retry_films, methods=["POST"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(CatchAll), Middleware(BearerToken, token=config.api_token)],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
