"""The wrapper round every TMDB endpoint: count, then fail or delay as the switches say.

Order per request: count its arrival; an outage or the rate limit answers first; then the
credentials; then one random draw may turn it into a 429, a 5xx or a hang; then the latency;
then the real answer. Whatever status goes out is counted when it goes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tmdbdemo.auth import is_authorised
from tmdbdemo.faults import Failure, Hang
from tmdbdemo.payloads import INVALID_KEY
from tmdbdemo.state import FakeState

Handler = Callable[[Request], Awaitable[Response]]
# Reported for a request whose task was cancelled (server shutting down) before it answered.
CANCELLED_STATUS = 499


def guarded(fake: FakeState, endpoint: str, handler: Handler) -> Handler:
    """`handler` behind the fake's counting and fault switches; `endpoint` names it in stats."""

    async def endpoint_function(request: Request) -> Response:
        target = _count_target(fake, endpoint, request)
        in_window = fake.stats.arrive(endpoint, target=target, wall=getattr(request.state, "arrived", None))
        status = CANCELLED_STATUS
        try:
            response = await _answer(fake, in_window, request, handler)
            status = response.status_code
            return response
        finally:
            fake.stats.finish(status)

    return endpoint_function


async def _answer(fake: FakeState, in_window: int, request: Request, handler: Handler) -> Response:
    switchboard = fake.switchboard
    settings = switchboard.settings
    fault: Failure | Hang | None = switchboard.before_auth(in_window)
    if fault is None and not is_authorised(request, settings.required_key):
        fake.stats.auth_failures += 1
        fault = Failure(401, INVALID_KEY)
    if fault is None:
        fault = switchboard.random_fault()
    if settings.latency_ms > 0:
        await asyncio.sleep(settings.latency_ms / 1000)
    if isinstance(fault, Hang):
        await asyncio.sleep(fault.seconds)
    if isinstance(fault, Failure):
        return JSONResponse(fault.body, status_code=fault.status, headers=fault.headers)
    return await handler(request)


def _count_target(fake: FakeState, endpoint: str, request: Request) -> str:
    """Count which film a details call asked for, which id a find, which query a search asked;
    returns it."""
    if endpoint == "details":
        target = str(request.path_params.get("movie_id", ""))
        fake.stats.details_by_id[target] += 1
        return target
    if endpoint == "find":
        target = str(request.path_params.get("external_id", ""))
        fake.stats.finds_by_id[target] += 1
        return target
    if endpoint == "search":
        params = request.query_params
        target = "|".join(params.get(name, "") for name in ("query", "year", "primary_release_year"))
        fake.stats.searches_by_query[target] += 1
        return target
    return ""
