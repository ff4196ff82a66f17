"""`create_app(settings)`: the fake TMDB as a Starlette application."""

from __future__ import annotations

from starlette.applications import Starlette

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
    app = Starlette(routes=[*control_routes(fake), *tmdb_routes(fake)])
    app.state.fake = fake
    return app
