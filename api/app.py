"""The Starlette application: routes, error edges, and the lifespan that owns the pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from api import health, sessions
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
        max_size=16,
        open=False,
        name="api",
        configure=_configure,
        check=AsyncConnectionPool.check_connection,
        timeout=10,
        max_lifetime=30 * 60,
    )


def create_app(config: ApiConfig) -> Starlette:
    """Assemble the app; the schema is brought up to date and the pool opened at start-up."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Services]]:
        await anyio.to_thread.run_sync(apply_migrations, config.database_url)
        pool = create_pool(config)
        await pool.open(wait=True, timeout=15)
        try:
            yield {
                "services": Services(
                    config=config,
                    pool=pool,
                    queries=load_queries("sessions", "migrations"),
                    parse_limiter=anyio.CapacityLimiter(2),
                )
            }
        finally:
            await pool.close()

    routes = [
        Route("/healthz", health.healthz, methods=["GET"]),
        Route("/readyz", health.readyz, methods=["GET"]),
        Route("/api/sessions", sessions.create_session, methods=["POST"]),
        Route("/api/sessions/{session_id}", sessions.read_session, methods=["GET"]),
        Route("/api/sessions/{session_id}", sessions.remove_session, methods=["DELETE"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(CatchAll)],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
