"""The worker under pressure, for real: a dead background task, a 429 while the fleet has slots
booked, a rate backlog, a database error while writing results, a session deleted while three
workers enrich it, a retry that comes due between polls."""

from __future__ import annotations

import signal
import time

import psycopg
import pytest

from tests.support.jobs import add_session, first_claim_seconds, session_row, wait_completed
from tests.support.processes import wait_until
from tests.support.workers import fleet
from tmdbdemo.testing import FakeTmdb
from worker.tmdb.matching import MATCHER_VERSION

pytestmark = pytest.mark.slow


def running_jobs_of(db, process) -> int:
    row = db.execute(
        "SELECT count(*) AS n FROM enrichment_jobs AS j JOIN workers AS w ON w.id = j.locked_by"
        " WHERE w.pid = %s AND j.status = 'running'",
        (process.pid,),
    ).fetchone()
    return int(row["n"])


def test_a_worker_whose_rate_limiter_dies_exits_non_zero_and_its_jobs_go_to_another(
    db, database_url, tmp_path
):
    with (
        FakeTmdb(synthetic_films=300, latency_ms=20) as tmdb,
        fleet(database_url, tmdb.base_url, tmp_path) as f,
    ):
        [doomed] = f.start(1, WORKER_TEST_KILL_TASK="rate-limiter", TMDB_RATE_LIMIT="20")
        session = add_session(db, films=300, notify=True)
        wait_until(lambda: running_jobs_of(db, doomed) > 0, 30, "the doomed worker to hold a job")
        [survivor] = f.start(1, TMDB_RATE_LIMIT="20")
        killed_at = time.monotonic()
        doomed.signal(signal.SIGUSR2)
        assert doomed.wait(10) == 1
        assert time.monotonic() - killed_at < 5
        assert "rate-limiter" in doomed.output()
        assert "stopped because rate-limiter was cancelled" in doomed.output()
        row = wait_completed(db, session, 120)
        assert row["done"] == 300
        assert survivor.alive()


def test_a_429_while_three_workers_have_slots_booked_stops_the_whole_fleet_for_its_retry_after(
    db, database_url, tmp_path
):
    with (
        FakeTmdb(synthetic_films=600, retry_after_seconds=2) as tmdb,
        fleet(database_url, tmdb.base_url, tmp_path) as f,
    ):
        f.start(3, TMDB_RATE_LIMIT="30")
        session = add_session(db, films=600, notify=True)
        wait_until(lambda: tmdb.stats()["requests_total"] > 60, 30, "the fleet to be busy")
        tmdb.configure(next_429s=1)
        wait_until(lambda: tmdb.stats()["by_status"].get("429", 0) == 1, 10, "the 429")
        wait_completed(db, session, 180)
        arrivals = sorted(tmdb.arrivals())
        arrivals_stats = tmdb.stats()
    [limited] = tmdb_stats_429(arrivals_stats)
    after = [at - limited for at, _, _ in arrivals if at > limited]
    # Requests already on the wire when the 429 was answered may still land in the first few
    # milliseconds (the pause reaches the fleet by NOTIFY); nothing after that for 2 s.
    assert len([gap for gap in after if gap < 0.02]) <= 3
    assert [round(gap, 3) for gap in after if 0.02 <= gap < 1.98] == []
    assert any(gap < 2.5 for gap in after)  # and the fleet went on right after the pause


def tmdb_stats_429(stats) -> list[float]:
    return stats["answered_429_at"]


def test_a_rate_backlog_never_lets_a_claim_run_out_so_each_film_is_fetched_once(db, database_url, tmp_path):
    films = 200
    session = add_session(db, films=films)
    # Every search is answered already; the details are not: 200 requests at 2 a second is a
    # backlog of 100 s, three times a fetch claim's 30 s.
    db.execute(
        "INSERT INTO tmdb_searches (title_key, year, tmdb_id, match_rule, matcher_version, expires_at)"
        " SELECT title_key, year, 10000000 + film_no, 'title_primary_year', %s, now() + interval '1 day'"
        " FROM films WHERE session_id = %s",
        (MATCHER_VERSION, session),
    )
    with FakeTmdb(synthetic_films=films) as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as f:
        f.start(3, TMDB_RATE_LIMIT="2")
        db.execute("SELECT pg_notify('reelstats_jobs', 'go')")
        row = wait_completed(db, session, 240)
        stats = tmdb.stats()
    assert row["matched"] == films
    assert stats["by_endpoint"]["search"] == 0
    assert len(stats["details_by_id"]) == films
    assert set(stats["details_by_id"].values()) == {1}


def test_a_database_error_while_writing_results_is_a_retried_attempt_not_a_bug(db, database_url, tmp_path):
    # The first write of film 3's result fails inside PostgreSQL, as a dropped connection or a
    # timeout would: a sequence is not rolled back with the failed transaction.
    db.execute("CREATE SEQUENCE injected_faults")
    db.execute(
        """
        CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.status <> 'pending' AND OLD.film_no = 3 AND nextval('injected_faults') = 1 THEN
                RAISE EXCEPTION 'injected failure';
            END IF;
            RETURN NEW;
        END $$
        """
    )
    db.execute("CREATE TRIGGER fail_once BEFORE UPDATE ON films FOR EACH ROW EXECUTE FUNCTION fail_once()")
    with FakeTmdb(synthetic_films=20) as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as f:
        [worker] = f.start(1)
        session = add_session(db, films=20, notify=True)
        row = wait_completed(db, session, 30)
        output = worker.output()
    assert row["matched"] == 20
    assert "job attempt failed; retryable" in output
    assert "a database error interrupted enrichment (RaiseException)" in output
    assert "by a bug" not in output
    assert db.execute("SELECT max(attempts) AS n FROM enrichment_jobs").fetchone()["n"] == 2


def test_deleting_a_session_while_three_workers_enrich_it_neither_deadlocks_nor_errs(
    db, database_url, tmp_path
):
    with (
        FakeTmdb(synthetic_films=1200, latency_ms=10) as tmdb,
        fleet(database_url, tmdb.base_url, tmp_path) as f,
    ):
        workers = f.start(3)
        doomed = add_session(db, films=600, notify=True)
        wait_until(lambda: session_row(db, doomed)["done"] > 50, 60, "enrichment to be under way")
        with psycopg.connect(database_url, autocommit=True) as owner:
            owner.execute("SET lock_timeout = '10s'")  # a deadlock would show as an error here
            assert owner.execute(
                "DELETE FROM upload_sessions WHERE id = %s RETURNING id", (doomed,)
            ).fetchone()
        other = add_session(db, films=100, notify=True, first_film_no=600)
        assert wait_completed(db, other, 60)["done"] == 100
        outputs = [worker.output() for worker in workers]
        assert all(worker.alive() for worker in workers)
    for output in outputs:
        assert "deadlock" not in output
        assert " ERROR " not in output
        assert "job attempt" not in output  # no attempt failed: the deleted session's jobs were dropped
    assert (
        db.execute("SELECT count(*) AS n FROM enrichment_jobs WHERE session_id = %s", (doomed,)).fetchone()[
            "n"
        ]
        == 0
    )


def test_a_job_in_back_off_is_claimed_when_its_run_after_passes_not_at_the_next_poll(
    db, database_url, tmp_path
):
    with FakeTmdb(synthetic_films=5) as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as f:
        f.start(1, WORKER_POLL_SECONDS="60")
        session = add_session(db, films=5)
        due = db.execute(
            "UPDATE enrichment_jobs SET run_after = now() + interval '2 seconds'"
            " RETURNING extract(epoch FROM run_after)::float8 AS at"
        ).fetchone()["at"]
        db.execute("SELECT pg_notify('reelstats_jobs', 'backed off')")  # the worker learns when it is due
        wait_completed(db, session, 10)
        late = first_claim_seconds(db, session, due)
    assert late is not None
    assert 0 <= late < 1
