"""The queue's SQL: claims, fairness, leases, idempotent results, session completion."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from common.sqlfiles import load_queries
from tests.support.jobs import add_session
from worker.films import Outcome
from worker.queue import JobStore

pytestmark = pytest.mark.anyio


def store(pool, lease: float = 30) -> JobStore:
    return JobStore(pool, load_queries("worker"), uuid.uuid4(), lease)


async def test_claims_take_every_sessions_first_chunk_before_later_chunks(pool, db):
    big = add_session(db, films=500)  # 10 chunks
    small = add_session(db, films=20)  # 1 chunk, queued after the big one
    jobs = await store(pool).claim(3)
    assert [(j.session_id, j.chunk_no) for j in jobs] == [(big, 0), (small, 0), (big, 1)]


async def test_express_claims_take_only_first_chunks(pool, db):
    big = add_session(db, films=200)
    s = store(pool)
    await s.claim(1)
    assert await s.claim(5, max_chunk=0) == []
    small = add_session(db, films=5)
    [job] = await s.claim(5, max_chunk=0)
    assert (job.session_id, job.chunk_no) == (small, 0)
    assert big != small


async def test_concurrent_claims_never_return_the_same_job(pool, db):
    add_session(db, films=50 * 40)
    stores = [store(pool) for _ in range(5)]
    batches = await asyncio.gather(*(s.claim(10) for s in stores))
    ids = [job.id for batch in batches for job in batch]
    assert len(ids) == 40
    assert len(set(ids)) == 40


async def test_a_job_whose_lease_expired_is_claimed_again_by_the_claim_query(pool, db):
    add_session(db, films=10)
    dead = store(pool, lease=30)
    [job] = await dead.claim(1)
    other = store(pool)
    assert await other.claim(1) == []
    db.execute("UPDATE enrichment_jobs SET lease_expires_at = now() - interval '1 second'")
    [again] = await other.claim(1)
    assert again.id == job.id
    assert again.attempts == 2
    row = db.execute("SELECT locked_by FROM enrichment_jobs").fetchone()
    assert row["locked_by"] == other.worker_id
    # The dead worker cannot finish a job it lost.
    assert await dead.heartbeat([job.id]) == set()


async def test_recording_the_same_results_twice_counts_each_film_once(pool, db):
    session = add_session(db, films=3)
    s = store(pool)
    [job] = await s.claim(1)
    outcomes = [Outcome(1, "not_found"), Outcome(2, "not_found"), Outcome(3, "failed", error="x")]
    await s.record(job, outcomes)
    await s.record(job, outcomes)
    row = db.execute(
        "SELECT films_not_found, films_failed FROM upload_sessions WHERE id = %s", (session,)
    ).fetchone()
    assert row == {"films_not_found": 2, "films_failed": 1}


async def test_the_last_of_two_concurrent_finishers_completes_the_session_exactly_once(pool, db):
    session = add_session(db, films=100)
    a, b = store(pool), store(pool)
    [job_a], [job_b] = await a.claim(1), await b.claim(1)
    await a.record(job_a, [Outcome(n, "not_found") for n in range(1, 51)])
    await b.record(job_b, [Outcome(n, "not_found") for n in range(51, 101)])
    results = await asyncio.gather(a.finish(job_a), b.finish(job_b))
    assert sorted(results, key=str) == [None, "completed"]
    row = db.execute(
        "SELECT status, films_not_found FROM upload_sessions WHERE id = %s", (session,)
    ).fetchone()
    assert row == {"status": "completed", "films_not_found": 100}


async def test_a_job_retried_past_its_attempts_fails_its_films_and_the_session(pool, db):
    session = add_session(db, films=5)
    db.execute("UPDATE enrichment_jobs SET max_attempts = 1")
    s = store(pool)
    [job] = await s.claim(1)
    assert await s.retry(job, "TMDB answered HTTP 503 after 3 tries", 0) == "failed"
    row = db.execute(
        "SELECT status, error, films_failed FROM upload_sessions WHERE id = %s", (session,)
    ).fetchone()
    assert row == {
        "status": "failed",
        "error": "None of the films could be enriched: TMDB answered HTTP 503 after 3 tries",
        "films_failed": 5,
    }


async def test_released_jobs_are_queued_again_without_using_an_attempt(pool, db):
    add_session(db, films=100)
    s = store(pool)
    jobs = await s.claim(2)
    assert await s.release([j.id for j in jobs]) == 2
    rows = db.execute("SELECT status, attempts, locked_by FROM enrichment_jobs ORDER BY id").fetchall()
    assert rows == [{"status": "queued", "attempts": 0, "locked_by": None}] * 2


async def test_the_claim_query_reads_the_runnable_index(db):
    for _ in range(30):
        add_session(db, films=200)
    db.execute("UPDATE enrichment_jobs SET status = 'succeeded' WHERE chunk_no > 0")
    db.execute("ANALYZE enrichment_jobs")
    plan = db.execute(
        "EXPLAIN (FORMAT JSON) " + load_queries("worker")["claim_jobs"],
        {"worker_id": uuid.uuid4(), "limit": 3, "max_chunk": 2**31 - 1, "lease_seconds": 30},
    ).fetchone()
    assert "enrichment_jobs_runnable" in str(plan)
