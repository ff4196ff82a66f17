"""A one-job upload wakes one worker, not the fleet: real workers, their metrics, real NOTIFYs."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from tests.support.jobs import add_session, first_claim_seconds, wait_completed
from tests.support.processes import Process, free_port, wait_until
from tmdbdemo.testing import FakeTmdb

pytestmark = pytest.mark.slow


class Metered:
    """A worker process and the counters its /metrics page shows."""

    def __init__(self, process: Process, port: int) -> None:
        self.process = process
        self.port = port

    def counter(self, name: str) -> float:
        text = httpx.get(f"http://127.0.0.1:{self.port}/metrics", timeout=5).text
        match = re.search(rf"^reelstats_{name}_total (\S+)$", text, re.MULTILINE)
        assert match, f"{name} missing from the metrics"
        return float(match.group(1))

    def counters(self) -> tuple[float, float]:
        return self.counter("start_statements"), self.counter("jobs_claimed")


def start_metered(workers, count: int, **env: str) -> list[Metered]:
    started = []
    for _ in range(count):
        port = free_port()
        [process] = workers.start(1, WORKER_METRICS_PORT=str(port), **env)
        started.append(Metered(process, port))
    return started


@pytest.fixture
def tmdb():
    with FakeTmdb(synthetic_films=5000) as fake:
        yield fake


def test_a_one_job_upload_reaches_only_the_worker_that_claims_it(db, workers):
    fleet_of_three = start_metered(workers, 3)
    claimers = set()
    for n in range(8):
        before = [w.counters() for w in fleet_of_three]
        committed = time.time()
        session = add_session(db, films=5, notify=True, first_film_no=n * 5)
        wait_completed(db, session, 15)
        assert first_claim_seconds(db, session, committed) < 1.0  # the poll is 60 s: the NOTIFY did it
        claimed = [
            w for w, (_, jobs) in zip(fleet_of_three, before, strict=True) if w.counter("jobs_claimed") > jobs
        ]
        assert len(claimed) == 1
        claimers.add(claimed[0].port)
        # The others never heard of it: not one claim statement, not one skipped wake-up.
        for worker, (statements, _) in zip(fleet_of_three, before, strict=True):
            if worker is not claimed[0]:
                assert worker.counter("start_statements") == statements
    assert len(claimers) >= 2  # the choice is spread over the fleet by session
    assert sum(w.counter("wakes_skipped") for w in fleet_of_three) == 0


def test_a_chosen_worker_without_room_passes_the_wake_up_on_at_once(db, tmdb, workers):
    # One request at a time, slowly: two regular slots and the express slot stay busy for many seconds.
    tmdb.configure(latency_ms=300)
    slow = {"WORKER_CONCURRENCY": "1", "WORKER_LEASE_SECONDS": "300"}  # heartbeats 100 s apart
    [busy] = start_metered(workers, 1, **slow)
    first = add_session(db, films=100, chunk=50, notify=True)  # two jobs, nothing left over
    second = add_session(db, films=50, chunk=50, notify=True, first_film_no=1000)  # the express slot

    def running(session) -> int:
        return db.execute(
            "SELECT count(*) AS n FROM enrichment_jobs WHERE session_id = %s AND status = 'running'",
            (session,),
        ).fetchone()["n"]

    wait_until(lambda: running(first) == 2 and running(second) == 1, 15, "the busy worker's slots to fill")
    [spare] = start_metered(workers, 1, **slow)
    # As the last heartbeats would have it: only the busy worker has room, so the upload is addressed to it.
    db.execute("UPDATE workers SET room = CASE WHEN pid = %s THEN 1 ELSE 0 END", (busy.process.pid,))
    committed = time.time()
    third = add_session(db, films=5, notify=True, first_film_no=2000)
    wait_until(
        lambda: first_claim_seconds(db, third, committed) is not None, 5, "the passed-on job to be claimed"
    )
    assert first_claim_seconds(db, third, committed) < 1.0  # passed on, not left to the 60 s poll
    # Skipped twice: the addressed notification, then its own pass-on, heard on the shared channel.
    wait_until(lambda: busy.counter("wakes_skipped") == 2, 5, "the busy worker to skip both")
    assert spare.counter("jobs_claimed") == 1
