"""Issue 3's target: 3 workers finish 10 concurrent sessions of 150 films at least 2.5x faster
than 1 worker, with TMDB answering in 200 ms and no rate limit."""

from __future__ import annotations

import sys
import time

import psycopg

from bench.harness import database_factory, workers
from tests.support.jobs import add_session
from tests.support.processes import wait_until
from tmdbdemo.testing import FakeTmdb

SESSIONS, FILMS, LATENCY_MS = 10, 150, 200


def run(url: str, tmdb_url: str, count: int) -> float:
    """Seconds from the sessions' commit to the last one completed, with `count` workers."""
    with workers(url, tmdb_url, count, TMDB_RATE_LIMIT="10000"), psycopg.connect(url, autocommit=True) as db:
        started = time.perf_counter()
        sessions = [
            add_session(db, films=FILMS, notify=True, first_film_no=n * FILMS) for n in range(SESSIONS)
        ]

        def all_done() -> bool:
            row = db.execute(
                "SELECT count(*) FROM upload_sessions WHERE id = ANY(%s) AND status = 'completed'",
                (sessions,),
            ).fetchone()
            return row is not None and row[0] == SESSIONS

        wait_until(all_done, 600, "all sessions to complete", interval=0.05)
        return time.perf_counter() - started


def main() -> int:
    with (
        database_factory() as factory,
        FakeTmdb(synthetic_films=SESSIONS * FILMS, latency_ms=LATENCY_MS) as tmdb,
    ):
        seconds = {}
        for count in (1, 3):
            with factory.temporary() as url:
                seconds[count] = run(url, tmdb.base_url, count)
            print(
                f"{count} worker(s): {SESSIONS} sessions x {FILMS} films in {seconds[count]:.1f} s",
                flush=True,
            )
    speedup = seconds[1] / seconds[3]
    print(
        f"speed-up of 3 workers over 1: {speedup:.2f}x "
        f"(target >= 2.5x; TMDB latency {LATENCY_MS} ms, no rate limit)"
    )
    return 0 if speedup >= 2.5 else 1


if __name__ == "__main__":
    sys.exit(main())
