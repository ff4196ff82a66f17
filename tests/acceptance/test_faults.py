"""Faults: PostgreSQL restarted mid-session, a listener that goes silent, a TMDB outage."""

from __future__ import annotations

import csv
import io
import time

import httpx
import psycopg
import pytest
from psycopg.rows import dict_row

from tests.support.jobs import add_session, first_claim_seconds, session_row, wait_completed
from tests.support.ownpg import OwnPostgres
from tests.support.processes import start_api, wait_until
from tests.support.proxy import SilencingProxy
from tests.support.workers import fleet
from tmdbdemo import synthetic_title, synthetic_year
from tmdbdemo.testing import FakeTmdb

pytestmark = pytest.mark.slow


@pytest.fixture
def own_postgres():
    server = OwnPostgres()
    try:
        yield server
    finally:
        server.close()


def synthetic_export(films: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Date", "Name", "Year", "Letterboxd URI"])
    for n in range(1, films + 1):
        writer.writerow(["2024-01-01", synthetic_title(n), synthetic_year(n), ""])
    return out.getvalue().encode()


def test_postgres_restarted_mid_session_the_api_answers_503_then_everything_recovers(own_postgres, tmp_path):
    url = own_postgres.create_database("restart")
    base, api = start_api(url, tmp_path / "api.log")
    try:
        with FakeTmdb(synthetic_films=1000, latency_ms=40) as tmdb, fleet(url, tmdb.base_url, tmp_path) as f:
            workers = f.start(2, WORKER_LEASE_SECONDS="3", WORKER_POLL_SECONDS="1")
            response = httpx.post(
                f"{base}/api/sessions", files={"files": ("watched.csv", synthetic_export(400))}
            )
            session = f"{base}/api/sessions/{response.json()['id']}"
            wait_until(lambda: httpx.get(session).json()["progress"]["done"] >= 80, 60, "progress")

            own_postgres.stop()
            outage = wait_until(lambda: _outage_answer(session), 30, "a 503 during the outage")
            assert outage.status_code == 503
            assert outage.json() == {"error": "The database is unavailable right now; try again in a moment"}
            assert _status(f"{base}/readyz") == 503
            own_postgres.start()

            wait_until(lambda: _status(f"{base}/readyz") == 200, 30, "the API to recover by itself")
            final = wait_until(lambda: _final(session), 120, "the session to complete")
            assert final["status"] == "completed"
            assert final["progress"] == {
                "total": 400,
                "done": 400,
                "matched": 400,
                "not_found": 0,
                "failed": 0,
            }
            with psycopg.connect(url, autocommit=True, row_factory=dict_row) as db:
                by_status = db.execute("SELECT status, count(*) AS n FROM films GROUP BY 1").fetchall()

                def listeners() -> int:
                    sql = (
                        "SELECT count(*) AS n FROM pg_stat_activity"
                        " WHERE application_name LIKE 'reelstats listener %'"
                    )
                    return db.execute(sql).fetchone()["n"]

                # Both workers listen again (their reconnect backoff may still be running: up to 5 s).
                wait_until(lambda: listeners() == 2, 15, "both listeners to reconnect")
            assert by_status == [{"status": "matched", "n": 400}]  # nothing lost, nothing counted twice
            assert all(worker.alive() for worker in workers)
            assert max(tmdb.stats()["details_by_id"].values()) <= 2  # only films in flight were fetched again
            assert all("listener connection lost; reconnecting" in w.output() for w in workers)
    finally:
        assert api.stop() == 0
    assert "Traceback" not in api.output()


def _status(url: str) -> int:
    try:
        return httpx.get(url, timeout=10).status_code
    except httpx.TransportError:
        return 0


def _outage_answer(url: str) -> httpx.Response | None:
    response = httpx.get(url, timeout=15)
    return response if response.status_code == 503 else None


def _final(url: str) -> dict | None:
    try:
        session = httpx.get(url, timeout=10).json()
    except (httpx.TransportError, ValueError):
        return None
    return session if session.get("status") not in (None, "enriching") else None


def test_a_listener_gone_silent_is_replaced_by_the_keepalive_within_30_seconds(own_postgres, tmp_path):
    url = own_postgres.create_database("silent")
    proxy = SilencingProxy(own_postgres.socket)
    tcp_url = f"postgresql://postgres@127.0.0.1:{proxy.port}/silent?sslmode=disable"
    try:
        _silent_listener_scenario(url, tcp_url, proxy, tmp_path)
    finally:
        proxy.close()


def _silent_listener_scenario(url: str, tcp_url: str, proxy: SilencingProxy, tmp_path) -> None:
    with FakeTmdb(synthetic_films=100) as tmdb, fleet(tcp_url, tmdb.base_url, tmp_path) as f:
        [worker] = f.start(1)
        old = f.listener_pid(worker)
        proxy.freeze(b"reelstats listener")
        silenced = time.monotonic()
        wait_until(lambda: f.listener_pid(worker) not in (None, old), 30, "a new listener connection")
        assert time.monotonic() - silenced < 30
        assert proxy.frozen_connections >= 1
        with psycopg.connect(url, autocommit=True, row_factory=dict_row) as db:
            committed = time.time()
            session = add_session(db, films=5, notify=True)
            wait_until(lambda: first_claim_seconds(db, session, committed) is not None, 5, "the claim")
            assert first_claim_seconds(db, session, committed) < 1.0  # by NOTIFY: the poll is 60 s
        assert "listener connection lost; reconnecting" in worker.output()


def test_a_30_second_tmdb_outage_backs_jobs_off_and_they_all_complete_after(db, database_url, tmp_path):
    with FakeTmdb(synthetic_films=500) as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as f:
        f.start(2)
        session = add_session(db, films=150, notify=True)
        tmdb.configure(outage_seconds=30)
        row = wait_completed(db, session, 180)
        stats = tmdb.stats()
    assert row == {"status": "completed", "total": 150, "done": 150, "matched": 150}
    assert stats["by_status"].get("503", 0) > 0
    retried = db.execute("SELECT count(*) AS n FROM enrichment_jobs WHERE attempts > 1").fetchone()["n"]
    assert retried > 0  # jobs backed off and came back
    assert session_row(db, session)["status"] == "completed"
