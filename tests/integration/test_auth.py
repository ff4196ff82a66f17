"""API_TOKEN: /api/* needs the bearer token; the page, health and metrics stay open."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.config import ApiConfig
from tests.support.exports import WATCHED, csv_bytes, files

TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def locked(database_url: str) -> Iterator[TestClient]:
    app = create_app(ApiConfig(database_url=database_url, api_token=TOKEN))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


UPLOAD = files(("watched.csv", csv_bytes(WATCHED, [["2024-01-01", "Heat", 1995, ""]])))


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"bearer {TOKEN}", TOKEN, f"Bearer {TOKEN}x"])
def test_api_requests_without_the_right_token_are_401_and_store_nothing(locked, db, header):
    headers = {"Authorization": header} if header else {}
    response = locked.post("/api/sessions", files=UPLOAD, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "needs an API token" in response.json()["error"]
    assert db.execute("SELECT count(*) AS n FROM upload_sessions").fetchone()["n"] == 0
    assert (
        locked.get("/api/sessions/7b0b5c55-0000-4000-8000-000000000000", headers=headers).status_code == 401
    )
    assert locked.get("/api/info", headers=headers).status_code == 401


def test_the_right_token_opens_every_api_endpoint(locked):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = locked.post("/api/sessions", files=UPLOAD, headers=auth)
    assert response.status_code == 202
    session = response.json()["id"]
    for path in ("", "/films", "/analytics"):
        assert locked.get(f"/api/sessions/{session}{path}", headers=auth).status_code == 200
    assert locked.get("/api/info", headers=auth).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_health_and_metrics_stay_open(locked, path):
    assert locked.get(path).status_code == 200


def test_the_page_stays_open_under_a_strict_content_security_policy(locked):
    response = locked.get("/")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert locked.get("/static/app.js").status_code == 200
    assert locked.get("/api/sessions/x").status_code == 401
