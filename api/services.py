"""What the lifespan opens and every handler uses, as one typed object on the app state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import anyio
from psycopg import AsyncConnection
from psycopg.rows import DictRow
from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request

from api.config import ApiConfig
from common.sqlfiles import Queries

if TYPE_CHECKING:  # the hub and the metrics import this module for `services`
    from api.events import ProgressHub
    from api.metrics import ApiMetrics

Pool = AsyncConnectionPool[AsyncConnection[DictRow]]


@dataclass(frozen=True)
class Services:
    """The configuration, the pool, the named queries, the parse limiter, the progress hub, metrics."""

    config: ApiConfig
    pool: Pool
    queries: Queries
    # Parsing a big upload is CPU work in a thread; two at a time keep the event loop responsive.
    parse_limiter: anyio.CapacityLimiter
    progress: ProgressHub
    metrics: ApiMetrics


def services(request: Request) -> Services:
    """The Services the lifespan put on the app state."""
    return cast(Services, request.state.services)
