"""`create_app(settings)`: the fake TMDB as a Starlette application."""

from __future__ import annotations

import time

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from tmdbdemo.catalogue import Catalogue, load_catalogue
from tmdbdemo.control import control_routes
from tmdbdemo.settings import FakeSettings
from tmdbdemo.state import FakeState
from tmdbdemo.tmdb import tmdb_routes


def create_app(settings: FakeSettings | None = None, catalogue: Catalogue | None = None) -> Starlette:
    """A new fake with its own state: TMDB under `/3`, control endpoints under `/_fake/`.

    `catalogue` defaults to the bundled catalogue.json. The state is reachable as
    `app.state.fake` for in-process tests.
    """
    fake = FakeState(settings or FakeSettings(), catalogue or load_catalogue())
    app = Starlette(routes=[*control_routes(fake), *tmdb_routes(fake)], middleware=[Middleware(StampArrival)])
    app.state.fake = fake
    return app


class StampArrival:
    """Note each request's arrival time as it enters the app, before any routing, so the times in
    /_fake/arrivals are when a request reached the fake, not when its handler began."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["arrived"] = time.time()
        await self._app(scope, receive, send)
