"""Liveness and readiness probes."""

from __future__ import annotations

import psycopg
from psycopg_pool import PoolTimeout
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.migrations import latest_version
from api.services import services


async def healthz(request: Request) -> Response:
    """GET /healthz: the process is alive (no database access)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """GET /readyz: 200 when the database answers and its schema is the one this code expects."""
    svc = services(request)
    expected = latest_version()
    try:
        async with svc.pool.connection(timeout=2) as conn:
            cursor = await conn.execute(svc.queries["schema_version"])
            row = await cursor.fetchone()
    except (psycopg.errors.UndefinedTable, psycopg.errors.InsufficientPrivilege):
        return JSONResponse({"error": "The database schema has not been applied yet"}, status_code=503)
    except (psycopg.OperationalError, PoolTimeout):
        return JSONResponse({"error": "The database cannot be reached"}, status_code=503)
    version = row["version"] if row else None
    if version != expected:
        return JSONResponse(
            {"error": f"The database schema is at version {version}, this code needs {expected}"},
            status_code=503,
        )
    return JSONResponse({"status": "ready", "schema_version": version})
