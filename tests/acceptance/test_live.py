"""The API and workers as real processes: live progress over SSE, metrics, health checks."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.exports import files
from tests.support.processes import ROOT, free_port, wait_until
from tests.support.workers import fleet
from tmdbdemo.testing import FakeTmdb

pytestmark = pytest.mark.slow
SAMPLE_ZIP = Path(__file__).resolve().parents[2] / "samples" / "letterboxd-export.zip"


def upload_sample(base: str) -> dict:
    response = httpx.post(f"{base}/api/sessions", files=files(("export.zip", SAMPLE_ZIP.read_bytes())))
    assert response.status_code == 202
    return response.json()


def read_events(lines) -> list[dict]:
    """The `progress` events of an SSE stream, until the server ends it."""
    events, name = [], None
    for line in lines:
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and name == "progress":
            events.append(json.loads(line.split(":", 1)[1]))
    return events


def test_progress_events_arrive_in_order_and_end_at_completed(start_api, database_url, tmp_path):
    base, _ = start_api()
    with FakeTmdb(latency_ms=80) as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as workers:
        session = upload_sample(base)
        with httpx.stream("GET", f"{base}/api/sessions/{session['id']}/events", timeout=60) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            workers.start(1)
            events = read_events(stream.iter_lines())
    done = [event["progress"]["done"] for event in events]
    assert done == sorted(done)
    assert len(events) >= 3  # progress moved in steps, not all at the end
    assert events[0]["status"] == "enriching"
    assert events[-1]["status"] == "completed"
    assert events[-1]["progress"]["done"] == events[-1]["progress"]["total"] == 50
    assert all(event["status"] == "enriching" for event in events[:-1])


def test_a_stream_opened_after_the_end_gets_the_final_state_and_closes(start_api, database_url, tmp_path):
    base, _ = start_api()
    with FakeTmdb() as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as workers:
        workers.start(1)
        session = upload_sample(base)
        wait_until(
            lambda: httpx.get(f"{base}/api/sessions/{session['id']}").json()["status"] == "completed",
            30,
            "the session to complete",
        )
    with httpx.stream("GET", f"{base}/api/sessions/{session['id']}/events", timeout=10) as stream:
        events = read_events(stream.iter_lines())
    assert [event["status"] for event in events] == ["completed"]


def test_fifty_streams_share_one_database_listener(start_api, database_url, db, tmp_path):
    base, _ = start_api()
    session = upload_sample(base)
    url = f"{base}/api/sessions/{session['id']}/events"

    async def watch(client: httpx.AsyncClient, opened: asyncio.Event, count: list[int]) -> list[dict]:
        async with client.stream("GET", url) as stream:
            lines, name = [], None
            async for line in stream.aiter_lines():
                if line.startswith("event:"):
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and name == "progress":
                    lines.append(json.loads(line.split(":", 1)[1]))
                    if len(lines) == 1:
                        count[0] += 1
                        if count[0] == 50:
                            opened.set()
            return lines

    def connections() -> dict[str, int]:
        rows = db.execute(
            "SELECT application_name AS app, count(*) AS n FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1"
        ).fetchall()
        return {row["app"]: row["n"] for row in rows}

    async def scenario() -> tuple[dict[str, int], list[list[dict]]]:
        opened, count = asyncio.Event(), [0]
        limits = httpx.Limits(max_connections=60)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            streams = [asyncio.create_task(watch(client, opened, count)) for _ in range(50)]
            await asyncio.wait_for(opened.wait(), 30)
            seen = await asyncio.to_thread(connections)
            with FakeTmdb() as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as workers:
                await asyncio.to_thread(workers.start, 1)
                results = await asyncio.wait_for(asyncio.gather(*streams), 60)
            return seen, results

    seen, results = asyncio.run(scenario())
    assert seen.get("reelstats api listener") == 1
    assert seen.get("reelstats api", 0) <= 16  # the API's pool, whatever the number of streams
    assert all(stream[-1]["status"] == "completed" for stream in results)


def test_metrics_of_the_api_and_of_a_worker(start_api, database_url, tmp_path):
    base, _ = start_api()
    metrics_port = free_port()
    with FakeTmdb() as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as workers:
        workers.start(1, WORKER_METRICS_PORT=str(metrics_port))
        session = upload_sample(base)
        assert httpx.post(f"{base}/api/sessions", files=files(("diary.csv", b""))).status_code == 422
        wait_until(
            lambda: httpx.get(f"{base}/api/sessions/{session['id']}").json()["status"] == "completed",
            30,
            "the session to complete",
        )
        worker_text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
    api_text = httpx.get(f"{base}/metrics").text
    assert 'reelstats_uploads_total{result="accepted"} 1.0' in api_text
    assert 'reelstats_uploads_total{result="rejected"} 1.0' in api_text
    assert 'reelstats_jobs{status="succeeded"} 1.0' in api_text
    assert "reelstats_notification_queue_usage 0.0" in api_text
    assert "reelstats_oldest_queued_job_seconds" in api_text
    assert "reelstats_jobs_claimed_total 1.0" in worker_text
    assert "reelstats_jobs_succeeded_total 1.0" in worker_text
    assert 'reelstats_tmdb_requests_total{status="200"}' in worker_text
    assert "reelstats_wake_latency_seconds_count 1.0" in worker_text


def run_command(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_health_check_commands_say_whether_the_process_is_serving(start_api, database_url, tmp_path):
    base, _ = start_api()
    port = base.rsplit(":", 1)[1]
    assert run_command("api", "healthcheck", DATABASE_URL=database_url, API_PORT=port).returncode == 0
    assert (
        run_command("api", "healthcheck", DATABASE_URL=database_url, API_PORT=str(free_port())).returncode
        == 1
    )
    assert run_command("worker", "healthcheck", DATABASE_URL=database_url).returncode == 1
    with FakeTmdb() as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as workers:
        workers.start(1)
        assert run_command("worker", "healthcheck", DATABASE_URL=database_url).returncode == 0


def test_progress_events_without_listen_poll_instead(start_api, database_url, db, tmp_path):
    base, _ = start_api(DATABASE_LISTEN="off")
    with FakeTmdb(latency_ms=50) as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as workers:
        session = upload_sample(base)
        with httpx.stream("GET", f"{base}/api/sessions/{session['id']}/events", timeout=60) as stream:
            workers.start(1, wait=False, DATABASE_LISTEN="off", WORKER_POLL_SECONDS="0.3")
            events = read_events(stream.iter_lines())
    assert events[-1]["status"] == "completed"
    assert (
        db.execute(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'reelstats api listener'"
        ).fetchone()["n"]
        == 0
    )
