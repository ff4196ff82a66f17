"""An upload wakes the workers with exactly one NOTIFY, delivered with its commit and never without it."""

from __future__ import annotations

import asyncio
import io

import psycopg
from psycopg.rows import dict_row

from api.sources.upload import UploadedFile, read_upload
from api.store import store_export
from common.sqlfiles import load_queries
from tests.support.exports import DIARY, WATCHED, csv_bytes, files

CHANNEL = "reelstats_jobs"


def upload_ok(client, name="Heat"):
    data = csv_bytes(WATCHED, [["2024-01-01", name, 1995, ""]])
    response = client.post("/api/sessions", files=files(("watched.csv", data)))
    assert response.status_code == 202
    return response.json()["id"]


def listen(database_url):
    conn = psycopg.connect(database_url, autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")
    return conn


def test_each_upload_sends_exactly_one_notify_with_its_session_id_and_job_count(client, database_url):
    with listen(database_url) as listener:
        big = csv_bytes(DIARY, [["2024-01-01", f"Film {n}", 1990, "", "", "", "", ""] for n in range(180)])
        first = client.post("/api/sessions", files=files(("diary.csv", big))).json()["id"]  # 4 jobs
        second = upload_ok(client)
        third = upload_ok(client, "Ran")
        payloads = [n.payload for n in listener.notifies(timeout=10, stop_after=3)]
        assert payloads == [f"{first} 4", f"{second} 1", f"{third} 1"]
        # Nothing else was queued behind them: the next notification is the next upload's.
        fourth = upload_ok(client, "Ikiru")
        assert [n.payload for n in listener.notifies(timeout=10, stop_after=1)] == [f"{fourth} 1"]


def test_a_rejected_upload_sends_no_notify(client, database_url):
    with listen(database_url) as listener:
        bad = csv_bytes(WATCHED, [["2024-02-30", "Heat", 1995, ""]])
        assert client.post("/api/sessions", files=files(("watched.csv", bad))).status_code == 422
        good = upload_ok(client)
        # Notifications arrive in commit order: had the rejected upload sent one, it would be first.
        assert [n.payload for n in listener.notifies(timeout=10, stop_after=1)] == [f"{good} 1"]


def test_an_upload_without_films_sends_no_notify(client, database_url):
    with listen(database_url) as listener:
        watchlist = csv_bytes(WATCHED, [["2024-01-01", "Ran", 1985, ""]])
        response = client.post("/api/sessions", files=files(("watchlist.csv", watchlist)))
        assert response.json()["status"] == "completed"
        good = upload_ok(client)
        assert [n.payload for n in listener.notifies(timeout=10, stop_after=1)] == [f"{good} 1"]


def test_the_notify_is_delivered_only_when_the_upload_commits(database_url):
    export = read_upload(
        [UploadedFile("watched.csv", _stream(csv_bytes(WATCHED, [["2024-01-01", "Heat", 1995, ""]])))], 10**6
    )
    queries = load_queries("sessions")

    async def scenario() -> list[str]:
        with listen(database_url) as listener:
            async with await psycopg.AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
                await conn.execute("SELECT 1")  # open the outer transaction the test commits itself
                await store_export(conn, queries, export, 100)
                before = [n.payload for n in listener.notifies(timeout=0.3)]
                visible = _session_count(database_url)
                await conn.commit()
            after = [n.payload for n in listener.notifies(timeout=10, stop_after=1)]
            assert before == [] and visible == 0
            assert _session_count(database_url) == 1
            return after

    assert asyncio.run(scenario()) == [f"{export.session_id} 1"]


def _session_count(database_url):
    with psycopg.connect(database_url) as conn:
        return conn.execute("SELECT count(*) FROM upload_sessions").fetchone()[0]


def _stream(data: bytes):
    return io.BytesIO(data)
