"""Housekeeping: expired sessions and finished jobs are purged, by one worker at a time."""

from __future__ import annotations

import asyncio

import pytest
from psycopg import AsyncConnection

from common.sqlfiles import load_queries
from tests.support.jobs import add_session
from worker.housekeeping import housekeeping_round

pytestmark = pytest.mark.anyio
QUERIES = load_queries("worker")


def count(db, table, where="true"):
    return db.execute(f"SELECT count(*) AS n FROM {table} WHERE {where}").fetchone()["n"]


async def test_sessions_past_retention_are_purged_with_everything_they_hold(pool, db):
    old = add_session(db, films=120)
    young = add_session(db, films=10)
    db.execute("UPDATE upload_sessions SET created_at = now() - interval '31 days' WHERE id = %s", (old,))
    purged = await housekeeping_round(pool, QUERIES, retention_days=30)
    assert purged.sessions == 1
    assert count(db, "upload_sessions") == 1
    assert count(db, "films", f"session_id = '{old}'") == 0
    assert count(db, "enrichment_jobs", f"session_id = '{old}'") == 0
    assert count(db, "films", f"session_id = '{young}'") == 10


async def test_finished_jobs_are_purged_once_old_and_open_ones_never(pool, db):
    add_session(db, films=250)  # five jobs
    finish = "UPDATE enrichment_jobs SET status = %s, finished_at = now() - %s::interval WHERE chunk_no = %s"
    db.execute(finish, ("succeeded", "2 minutes", 0))
    db.execute(finish, ("succeeded", "0 seconds", 1))
    db.execute(finish, ("failed", "2 minutes", 2))
    purged = await housekeeping_round(pool, QUERIES, retention_days=30)
    assert purged.jobs == 1
    remaining = [r["chunk_no"] for r in db.execute("SELECT chunk_no FROM enrichment_jobs ORDER BY chunk_no")]
    assert remaining == [1, 2, 3, 4]  # a fresh success, a failure kept for a week, two queued


async def test_only_one_worker_does_housekeeping_at_a_time(pool, db, database_url):
    async with await AsyncConnection.connect(database_url) as other, other.transaction():
        await other.execute(QUERIES["try_housekeeping_lock"])
        assert (await housekeeping_round(pool, QUERIES, retention_days=30)).ran is False
    assert (await housekeeping_round(pool, QUERIES, retention_days=30)).ran is True


async def test_stale_claims_and_expired_cache_answers_go(pool, db):
    db.execute(
        "INSERT INTO tmdb_fetches VALUES ('search:x|0', gen_random_uuid(), now() - interval '1 minute')"
    )
    db.execute(
        "INSERT INTO tmdb_searches (title_key, year, expires_at) VALUES ('x', 0, now() - interval '2 days')"
    )
    db.execute(
        "INSERT INTO tmdb_searches (title_key, year, expires_at) VALUES ('y', 0, now() + interval '2 days')"
    )
    await housekeeping_round(pool, QUERIES, retention_days=30)
    assert count(db, "tmdb_fetches") == 0
    assert [r["title_key"] for r in db.execute("SELECT title_key FROM tmdb_searches")] == ["y"]


def test_job_overview_shows_the_notify_queue_fill_level(db):
    rows = db.execute("SELECT status, notification_queue_usage FROM job_overview").fetchall()
    assert len(rows) == 4
    assert all(r["notification_queue_usage"] == 0 for r in rows)


def test_hot_tables_have_their_own_autovacuum_settings(db):
    options = {
        r["relname"]: r["reloptions"]
        for r in db.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN ('enrichment_jobs', 'tmdb_rate_limit')"
        )
    }
    assert "autovacuum_vacuum_scale_factor=0.02" in options["enrichment_jobs"]
    assert "fillfactor=10" in options["tmdb_rate_limit"]


async def test_concurrent_rounds_purge_each_session_once(pool, db):
    sessions = [add_session(db, films=5) for _ in range(6)]
    db.execute("UPDATE upload_sessions SET created_at = now() - interval '40 days'")
    results = await asyncio.gather(*(housekeeping_round(pool, QUERIES, retention_days=30) for _ in range(3)))
    assert sum(r.sessions for r in results) == len(sessions)
    assert count(db, "upload_sessions") == 0
