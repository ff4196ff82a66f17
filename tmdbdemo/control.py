"""The fake's own endpoints under `/_fake/`: stats, reset and switches.

They are never counted, rate-limited, faulted or asked for credentials, so a test can always
read and steer the fake, even mid-outage.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tmdbdemo.settings import SwitchError
from tmdbdemo.state import FakeState


def control_routes(fake: FakeState) -> list[Route]:
    """`GET /_fake/stats`, `GET /_fake/arrivals` ([wall time, endpoint, target] per request),
    `POST /_fake/reset`, `GET|POST /_fake/config`."""

    async def stats(request: Request) -> Response:
        return JSONResponse(fake.stats.as_dict())

    async def arrivals(request: Request) -> Response:
        return JSONResponse([list(arrival) for arrival in fake.stats.arrivals])

    async def reset(request: Request) -> Response:
        fake.stats.reset()
        return JSONResponse(fake.stats.as_dict())

    async def config(request: Request) -> Response:
        if request.method == "POST":
            try:
                changes = json.loads(await request.body() or b"{}")
            except ValueError:
                return _bad_request("the body must be a JSON object of switches")
            if not isinstance(changes, dict):
                return _bad_request("the body must be a JSON object of switches")
            try:
                fake.switchboard.apply(changes)
            except SwitchError as error:
                return _bad_request(str(error))
        return JSONResponse(_config_body(fake))

    return [
        Route("/_fake/stats", stats, methods=["GET"]),
        Route("/_fake/arrivals", arrivals, methods=["GET"]),
        Route("/_fake/reset", reset, methods=["POST"]),
        Route("/_fake/config", config, methods=["GET", "POST"]),
    ]


def _config_body(fake: FakeState) -> dict[str, object]:
    body = fake.settings.as_dict()
    # Read-only: how long the outage started by outage_seconds still has to run.
    body["outage_remaining_seconds"] = round(fake.switchboard.outage_remaining(), 3)
    return body


def _bad_request(message: str) -> Response:
    return JSONResponse({"error": message}, status_code=400)
