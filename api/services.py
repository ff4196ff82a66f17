"""What the lifespan opens and every handler uses, as one typed object on the app state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import anyio
from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request

from api.config import ApiConfig
from common.sqlfiles import Queries

Pool = AsyncConnectionPool[AsyncConnection[DictRow]]


@dataclass(frozen=True)
class Services:
    """The configuration, the connection pool, the named queries, and the parse limiter."""

    config: ApiConfig
    pool: Pool
    queries: Queries
    # Parsing a big upload is CPU work in a thread; two at a time keep the event loop responsive.
    parse_limiter: anyio.CapacityLimiter


def services(request: Request) -> Services:
    """The Services the lifespan put on the app state."""
    return cast(Services, request.state.services)
