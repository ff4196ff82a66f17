"""Where errors become responses: our ApiErrors, Starlette's HTTP errors, database outages, bugs.

Every error response is `{"error": "<sentence>"}`; no traceback or internal detail leaves the
process, and a bug is logged as one line naming the exception.
"""

from __future__ import annotations

import logging

import psycopg
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError

log = logging.getLogger("api.errors")

_HTTP_MESSAGES = {
    404: "There is nothing at this address",
    405: "This method is not allowed here",
}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The JSON body every error of the API has."""
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def api_error(request: Request, exc: Exception) -> Response:
    """Our own refusals: their status and sentence."""
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's routing errors (404, 405) in our JSON shape."""
    assert isinstance(exc, HTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code, "The request cannot be served")
    return error_response(exc.status_code, message, dict(exc.headers or {}))


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """The database is down or the pool is exhausted: 503 and a hint to retry."""
    log.warning("database unavailable", extra={"path": request.url.path, "reason": type(exc).__name__})
    return error_response(
        503, "The database is unavailable right now; try again in a moment", {"Retry-After": "5"}
    )


EXCEPTION_HANDLERS = {
    ApiError: api_error,
    HTTPException: http_error,
    psycopg.OperationalError: database_unavailable,
    PoolTimeout: database_unavailable,
}


class CatchAll:
    """ASGI middleware turning any unhandled exception into a 500 JSON answer and one log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - the last line of defence must catch everything
            log.error("request failed", extra={"path": scope.get("path", ""), "error": type(exc).__name__})
            if not started:
                response = error_response(500, "Something went wrong on our side; please try again")
                await response(scope, receive, send)
