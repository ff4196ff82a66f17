"""Real worker processes against real PostgreSQL and a loopback TMDB: wake-ups, claims, leases, kills."""

from __future__ import annotations

import time

import psycopg
import pytest

from tests.support.jobs import add_session, first_claim_seconds, session_row, wait_completed
from tests.support.processes import wait_until
from tests.support.workers import kill
from tmdbdemo.testing import FakeTmdb

pytestmark = pytest.mark.slow


@pytest.fixture
def tmdb():
    with FakeTmdb(synthetic_films=5000) as fake:
        yield fake


def test_three_workers_enrich_a_thousand_films_each_exactly_once(db, tmdb, workers):
    workers.start(3)
    session = add_session(db, films=1000, notify=True)
    progress = []
    row = wait_completed(db, session, 120, progress)
    assert row == {"status": "completed", "total": 1000, "done": 1000, "matched": 1000}
    assert progress == sorted(progress)
    assert progress[-1] == 1000
    details = tmdb.stats()["details_by_id"]
    assert len(details) == 1000
    assert set(details.values()) == {1}
    claimed_by = db.execute("SELECT count(DISTINCT locked_by) AS n FROM enrichment_jobs").fetchone()["n"]
    assert claimed_by == 0  # every job finished and let go
    done_by = {
        row["status"]: row["n"]
        for row in db.execute("SELECT status, count(*) AS n FROM enrichment_jobs GROUP BY status")
    }
    assert done_by == {"succeeded": 20}


def test_a_killed_workers_jobs_are_claimed_again_and_nothing_is_lost(db, tmdb, workers):
    tmdb.configure(latency_ms=40)
    # The poll is what finds expired leases when nothing else wakes the workers: keep it short here.
    victim, *_ = workers.start(3, WORKER_LEASE_SECONDS="2", WORKER_POLL_SECONDS="1")
    session = add_session(db, films=600, notify=True)

    def victim_holds_jobs():
        return db.execute(
            "SELECT array_agg(j.id) AS ids FROM enrichment_jobs j JOIN workers w ON j.locked_by = w.id"
            " WHERE w.pid = %s AND j.status = 'running'",
            (victim.pid,),
        ).fetchone()["ids"]

    held = wait_until(victim_holds_jobs, 30, "the victim to hold jobs")
    kill(victim)
    killed_at = db.execute("SELECT extract(epoch FROM now()) AS t").fetchone()["t"]
    row = wait_completed(db, session, 120)
    assert row == {"status": "completed", "total": 600, "done": 600, "matched": 600}
    reclaimed = db.execute(
        "SELECT extract(epoch FROM claimed_at) - %s AS after FROM enrichment_jobs WHERE id = ANY(%s)",
        (killed_at, held),
    ).fetchall()
    # Re-claimed once the 2 s lease ran out: by the poll or a peer's next claim, well within 2 leases.
    assert all(0 < r["after"] < 6 for r in reclaimed), reclaimed
    unfinished = db.execute("SELECT count(*) AS n FROM films WHERE status <> 'matched'").fetchone()["n"]
    assert unfinished == 0


def test_a_terminated_listener_reconnects_and_the_next_upload_wakes_it_within_a_second(db, workers):
    [worker] = workers.start(1)
    old_pid = workers.listener_pid(worker)
    db.execute("SELECT pg_terminate_backend(%s)", (old_pid,))
    wait_until(lambda: workers.listener_pid(worker) not in (None, old_pid), 10, "a new listener connection")
    committed = time.time()
    session = add_session(db, films=5, notify=True)
    wait_until(lambda: first_claim_seconds(db, session, committed) is not None, 5, "the job to be claimed")
    assert first_claim_seconds(db, session, committed) < 1.0  # the poll is 60 s: this was the NOTIFY
    assert "listener connection lost; reconnecting" in worker.output()


def test_a_job_queued_without_notify_is_found_by_the_fallback_poll(db, workers):
    workers.start(1, WORKER_POLL_SECONDS="0.5")
    session = add_session(db, films=5, notify=False)
    row = wait_completed(db, session, 15)
    assert row["status"] == "completed"


def test_a_worker_started_after_jobs_were_queued_takes_them_at_once(db, workers):
    session = add_session(db, films=120, notify=True)
    started = time.time()
    workers.start(1)
    wait_completed(db, session, 30)
    assert first_claim_seconds(db, session, started) < 10  # start-up time; the poll is 60 s


def test_a_job_committed_between_listen_and_the_first_claim_is_not_missed(db, database_url, workers):
    # Hold a lock that blocks the worker's first claim, so the job is committed after the worker
    # listens but while its first claim is still waiting: only the NOTIFY can bring it in fast.
    with psycopg.connect(database_url) as blocker:
        blocker.execute("LOCK TABLE enrichment_jobs IN EXCLUSIVE MODE")
        [worker] = workers.start(1, wait=False)
        workers.wait_listening(worker)

        def claim_blocked():
            return db.execute(
                "SELECT 1 FROM pg_stat_activity a JOIN workers w"
                " ON a.application_name = 'reelstats worker ' || w.id"
                " WHERE w.pid = %s AND a.wait_event_type = 'Lock'",
                (worker.pid,),
            ).fetchone()

        wait_until(claim_blocked, 10, "the worker's first claim to wait on the lock")
        session = add_session(blocker, films=5, notify=True)  # inside the blocker's transaction
        committed = time.time()
        blocker.commit()
    wait_until(lambda: first_claim_seconds(db, session, committed) is not None, 5, "the job to be claimed")
    assert first_claim_seconds(db, session, committed) < 1.0


def test_sigterm_drains_and_exits_zero_with_no_job_left_running(db, tmdb, workers):
    tmdb.configure(latency_ms=150)
    [worker] = workers.start(1)
    session = add_session(db, films=300, notify=True)
    wait_until(
        lambda: db.execute("SELECT count(*) AS n FROM enrichment_jobs WHERE status = 'running'").fetchone()[
            "n"
        ],
        10,
        "jobs to run",
    )
    assert worker.stop(timeout=30) == 0, worker.output()
    statuses = {r["status"] for r in db.execute("SELECT DISTINCT status FROM enrichment_jobs")}
    assert "running" not in statuses
    assert db.execute("SELECT count(*) AS n FROM workers").fetchone()["n"] == 0
    assert session_row(db, session)["status"] == "enriching"
    # A new worker finishes what the first one handed back.
    workers.start(1)
    tmdb.configure(latency_ms=0)
    assert wait_completed(db, session, 60)["done"] == 300


def test_poll_only_mode_for_transaction_poolers_finds_jobs_without_listening(db, workers):
    [worker] = workers.start(1, wait=False, DATABASE_LISTEN="off", WORKER_POLL_SECONDS="0.3")
    session = add_session(db, films=5, notify=True)
    assert wait_completed(db, session, 15)["status"] == "completed"
    listeners = db.execute(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name LIKE 'reelstats listener %%'"
    ).fetchone()["n"]
    assert listeners == 0
    assert "DATABASE_LISTEN=off" in worker.output()
