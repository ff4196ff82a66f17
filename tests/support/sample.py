"""The shipped sample export, uploaded and enriched for real (one worker, the loopback TMDB).

Enrichment takes a few seconds, so modules that only read the result share one session:

    @pytest.fixture(scope="module")
    def sample(database_factory, tmp_path_factory):
        with enriched_sample(database_factory, tmp_path_factory.mktemp("sample")) as found:
            yield found
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from api.app import create_app
from api.config import ApiConfig
from tests.support.exports import files
from tests.support.postgres import DatabaseFactory
from tests.support.processes import ROOT
from tests.support.sessions import wait_final
from tests.support.workers import fleet
from tmdbdemo.testing import FakeTmdb

SAMPLE_ZIP = ROOT / "samples" / "letterboxd-export.zip"


@dataclass(frozen=True)
class Sample:
    """The API in-process on the sample's database, and the finished session's id."""

    client: TestClient
    database_url: str
    session_id: str

    def analytics(self, **params: str) -> dict[str, Any]:
        response = self.client.get(f"/api/sessions/{self.session_id}/analytics", params=params)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def films(self, **params: str) -> list[dict[str, Any]]:
        """Every film the list gives for these filters, following next_cursor to the end."""
        found: list[dict[str, Any]] = []
        cursor = None
        while True:
            page_params = {"limit": "7", **params, **({"cursor": cursor} if cursor else {})}
            response = self.client.get(f"/api/sessions/{self.session_id}/films", params=page_params)
            assert response.status_code == 200, response.text
            body = response.json()
            found += body["films"]
            cursor = body["next_cursor"]
            if cursor is None:
                return found


@contextmanager
def enriched_sample(factory: DatabaseFactory, log_dir: Path) -> Iterator[Sample]:
    """A database of its own holding the sample export, enriched from the demo catalogue."""
    with (
        factory.temporary() as url,
        FakeTmdb() as tmdb,
        fleet(url, tmdb.base_url, log_dir) as workers,
        TestClient(create_app(ApiConfig(database_url=url)), raise_server_exceptions=False) as client,
    ):
        workers.start(1)
        response = client.post(
            "/api/sessions", files=files(("letterboxd-export.zip", SAMPLE_ZIP.read_bytes()))
        )
        assert response.status_code == 202, response.text
        session = wait_final(client, response.json()["id"])
        assert session["status"] == "completed"
        yield Sample(client, url, session["id"])
