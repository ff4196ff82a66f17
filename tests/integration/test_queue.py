"""The queue's SQL: the start statement (claims, fairness, leases, cache, fetch claims, slots),
idempotent results, and session completion."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from common.sqlfiles import load_queries
from tests.support.jobs import add_session
from worker.config import WorkerConfig
from worker.connections import create_pool
from worker.films import Outcome
from worker.queue import JobStore
from worker.results import ResultStore
from worker.tmdb.matching import MATCHER_VERSION

pytestmark = pytest.mark.anyio
QUERIES = load_queries("worker", "start")


@pytest.fixture
async def pools(database_url):
    """The worker's own pools (autocommit, as in production): (pool, control)."""
    config = WorkerConfig(database_url=database_url)
    opened = [create_pool(config, uuid.uuid4()), create_pool(config, uuid.uuid4(), control=True)]
    for pool in opened:
        await pool.open(wait=True)
    yield opened
    for pool in opened:
        await pool.close()


class Worker:
    """A worker's two stores, as the dispatcher uses them."""

    def __init__(self, pools, lease: float = 30) -> None:
        worker_id = uuid.uuid4()
        self.jobs = JobStore(pools[0], pools[1], QUERIES, worker_id, lease)
        self.results = ResultStore(pools[0], QUERIES, worker_id)
        self.worker_id = worker_id

    async def start(self, limit, running=(), first_requests=0, max_chunk=2**31 - 1):
        return await self.jobs.start(
            limit=limit,
            running=list(running),
            first_requests=first_requests,
            rate=40.0,
            fingerprint="test",
            max_chunk=max_chunk,
        )

    async def claim(self, limit, **options):
        return (await self.start(limit, **options)).jobs


async def test_claims_take_every_sessions_first_chunk_before_later_chunks(pools, db):
    big = add_session(db, films=500)  # 10 chunks
    small = add_session(db, films=20)  # 1 chunk, queued after the big one
    jobs = await Worker(pools).claim(3)
    assert [(j.session_id, j.chunk_no) for j in jobs] == [(big, 0), (small, 0), (big, 1)]


async def test_express_claims_take_only_first_chunks(pools, db):
    big = add_session(db, films=200)
    w = Worker(pools)
    await w.claim(1)
    assert await w.claim(5, max_chunk=0) == []
    small = add_session(db, films=5)
    [job] = await w.claim(5, max_chunk=0)
    assert (job.session_id, job.chunk_no) == (small, 0)
    assert big != small


async def test_concurrent_starts_never_return_the_same_job(pools, db):
    add_session(db, films=50 * 40)
    workers = [Worker(pools) for _ in range(5)]

    async def drain(worker):
        mine = []
        while len(mine) < 40:
            started = await worker.start(10, running=[j.id for j in mine])
            mine += started.jobs
            if not started.jobs and not started.more:
                return mine
            await asyncio.sleep(0)  # a session another worker holds this instant: ask again
        return mine

    batches = await asyncio.gather(*(drain(w) for w in workers))
    ids = [job.id for batch in batches for job in batch]
    assert len(ids) == 40
    assert len(set(ids)) == 40


async def test_a_job_whose_lease_expired_is_claimed_again_but_never_by_the_worker_running_it(pools, db):
    add_session(db, films=10)
    dead = Worker(pools)
    [job] = await dead.claim(1)
    other = Worker(pools)
    assert await other.claim(1) == []
    db.execute("UPDATE enrichment_jobs SET lease_expires_at = now() - interval '1 second'")
    assert await dead.claim(1, running=[job.id]) == []  # its own job, still running here
    [again] = await other.claim(1)
    assert again.id == job.id
    assert again.attempts == 2
    row = db.execute("SELECT locked_by FROM enrichment_jobs").fetchone()
    assert row["locked_by"] == other.worker_id
    assert await dead.jobs.heartbeat([job.id], None, 0) == (set(), {job.id})  # the dead worker lost it


async def test_a_fully_cached_job_and_its_session_are_finished_by_the_start_statement(pools, db):
    session = add_session(db, films=3)
    for n in (1, 2):
        db.execute("INSERT INTO tmdb_movies (tmdb_id, title) VALUES (%s, 'x')", (n,))
    rows = [(f"synthetic feature {n:05d}", 1950 + n % 70, n if n < 3 else None) for n in (1, 2, 3)]
    for key, year, tmdb_id in rows:
        db.execute(
            "INSERT INTO tmdb_searches (title_key, year, tmdb_id, match_rule, matcher_version, expires_at)"
            " VALUES (%s, %s, %s, 'title_primary_year', %s, now() + interval '1 day')",
            (key, year, tmdb_id, MATCHER_VERSION),
        )
    started = await Worker(pools).start(2)
    assert started.jobs == []
    assert [job.session_id for job in started.done] == [session]
    assert started.from_cache == 3
    assert started.finished_sessions == {str(session): "completed"}
    row = db.execute(
        "SELECT status, films_matched, films_not_found FROM upload_sessions WHERE id = %s", (session,)
    ).fetchone()
    assert row == {"status": "completed", "films_matched": 2, "films_not_found": 1}
    assert db.execute("SELECT status FROM enrichment_jobs").fetchone()["status"] == "succeeded"


async def test_the_first_fetches_are_claimed_and_their_slots_booked_in_the_same_statement(pools, db):
    add_session(db, films=5)
    add_session(db, films=5)  # the same films: another session
    first, second = Worker(pools), Worker(pools)
    mine = await first.start(1, first_requests=3)
    assert [film.claim for film in mine.films[mine.jobs[0].id]] == ["own", "own", "own", None, None]
    first_slot, reserved, database_now = mine.slots
    assert reserved == 3
    assert first_slot <= database_now + 1
    theirs = await second.start(1, first_requests=4)
    claims = [film.claim for film in theirs.films[theirs.jobs[0].id]]
    assert claims == ["other", "other", "other", "own", None]
    assert theirs.slots[1] == 1


async def test_a_backed_off_job_reports_when_it_becomes_due(pools, db):
    add_session(db, films=5)
    db.execute("UPDATE enrichment_jobs SET run_after = now() + interval '2 seconds'")
    started = await Worker(pools).start(1)
    assert started.jobs == []
    assert time.time() + 1 < started.next_run_after < time.time() + 3


async def test_recording_the_same_results_twice_counts_each_film_once(pools, db):
    session = add_session(db, films=3)
    w = Worker(pools)
    [job] = await w.claim(1)
    outcomes = [Outcome(1, "not_found"), Outcome(2, "not_found"), Outcome(3, "failed", error="x")]
    await w.results.record(job, outcomes)
    await w.results.record(job, outcomes)
    row = db.execute(
        "SELECT films_not_found, films_failed FROM upload_sessions WHERE id = %s", (session,)
    ).fetchone()
    assert row == {"films_not_found": 2, "films_failed": 1}


async def test_the_last_of_two_concurrent_finishers_completes_the_session_exactly_once(pools, db):
    session = add_session(db, films=100)
    a, b = Worker(pools), Worker(pools)
    [job_a] = await a.claim(1)
    [job_b] = await b.claim(1)
    await a.results.record(job_a, [Outcome(n, "not_found") for n in range(1, 51)])
    await b.results.record(job_b, [Outcome(n, "not_found") for n in range(51, 101)])
    results = await asyncio.gather(a.results.finish(job_a), b.results.finish(job_b))
    assert sorted(results, key=str) == [None, "completed"]
    row = db.execute(
        "SELECT status, films_not_found FROM upload_sessions WHERE id = %s", (session,)
    ).fetchone()
    assert row == {"status": "completed", "films_not_found": 100}


async def test_a_job_retried_past_its_attempts_fails_its_films_and_the_session(pools, db):
    session = add_session(db, films=5)
    db.execute("UPDATE enrichment_jobs SET max_attempts = 1")
    w = Worker(pools)
    [job] = await w.claim(1)
    assert await w.results.retry(job, "TMDB answered HTTP 503 after 3 tries", 0) == "failed"
    row = db.execute(
        "SELECT status, error, films_failed FROM upload_sessions WHERE id = %s", (session,)
    ).fetchone()
    assert row == {
        "status": "failed",
        "error": "None of the films could be enriched: TMDB answered HTTP 503 after 3 tries",
        "films_failed": 5,
    }


async def test_released_jobs_are_queued_again_without_using_an_attempt(pools, db):
    add_session(db, films=100)
    w = Worker(pools)
    jobs = await w.claim(2)
    assert await w.jobs.release([j.id for j in jobs]) == 2
    rows = db.execute("SELECT status, attempts, locked_by FROM enrichment_jobs ORDER BY id").fetchall()
    assert rows == [{"status": "queued", "attempts": 0, "locked_by": None}] * 2


async def test_the_start_statement_reads_the_runnable_index(db):
    for _ in range(400):
        add_session(db, films=200)
    db.execute("UPDATE enrichment_jobs SET status = 'succeeded' WHERE chunk_no > 0")
    db.execute("ANALYZE")
    plan = db.execute(
        "EXPLAIN (FORMAT JSON) " + QUERIES["start_jobs"],
        {
            "worker_id": uuid.uuid4(),
            "limit": 3,
            "spare": 8,
            "max_chunk": 2**31 - 1,
            "running": [],
            "lease_seconds": 30,
            "matcher_version": MATCHER_VERSION,
            "first_requests": 8,
            "claim_seconds": 30,
            "rate": 39.0,
            "burst": 1,
            "fingerprint": "x",
        },
    ).fetchone()
    assert "enrichment_jobs_runnable" in str(plan)
