"""Issue 11's housekeeping target: 20,000 expired sessions, each with 10 films and 10 diary rows,
are removed at >= 200 sessions/s by the workers' housekeeping while 20 cached uploads/s continue
(open loop) with response p99 <= 250 ms."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from urllib.parse import urlsplit

import httpx
import psycopg

from bench.burst import export
from bench.harness import api_process, database, percentile, workers
from bench.openloop import open_loop, upload_request
from tests.support.processes import wait_until
from tmdbdemo.testing import FakeTmdb

EXPIRED, FILMS_EACH, RATE = 20_000, 10, 20

SEED = """
INSERT INTO upload_sessions (id, status, films_total, created_at, finished_at)
SELECT gen_random_uuid(), 'completed', %(films)s, now() - interval '40 days' - n * interval '1 second',
       now() - interval '40 days'
FROM generate_series(1, %(sessions)s) AS n;
INSERT INTO films (session_id, film_no, name, year, status)
SELECT s.id, f, 'Expired Film ' || f, 2000, 'not_found'
FROM upload_sessions AS s, generate_series(1, %(films)s) AS f
WHERE s.created_at < now() - interval '30 days';
INSERT INTO diary_entries (session_id, entry_no, film_no, watched_on)
SELECT s.id, f, f, date '2020-01-01' + f
FROM upload_sessions AS s, generate_series(1, %(films)s) AS f
WHERE s.created_at < now() - interval '30 days';
"""


def expired(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM upload_sessions WHERE created_at < now() - interval '30 days'")
    return int(row.fetchone()[0])


def main() -> int:
    body = export()
    with database() as url, FakeTmdb(synthetic_films=20) as tmdb:
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in SEED.strip().split(";\n"):
                conn.execute(statement, {"sessions": EXPIRED, "films": FILMS_EACH})
            conn.execute("VACUUM ANALYZE")
            assert expired(conn) == EXPIRED
        with api_process(url) as (base, _):
            session = httpx.post(f"{base}/api/sessions", files={"files": ("watched.csv", body)}).json()["id"]
            # The films are cached before any worker starts; then the workers' housekeeping begins.
            with workers(url, tmdb.base_url, 3):
                wait_until(
                    lambda: httpx.get(f"{base}/api/sessions/{session}").json()["status"] == "completed",
                    30,
                    "the first upload",
                )
                address = urlsplit(base)
                host, port = address.hostname or "127.0.0.1", address.port or 80
                request = upload_request(host, port, "watched.csv", body)
                outcomes: list = []
                done = threading.Event()

                def traffic() -> None:
                    while not done.is_set():
                        outcomes.extend(asyncio.run(open_loop(host, port, request, RATE, 5)))

                sender = threading.Thread(target=traffic, daemon=True)
                sender.start()
                with psycopg.connect(url, autocommit=True) as conn:
                    # Housekeeping first runs 15-45 s after a worker starts: time from its first bite.
                    wait_until(lambda: expired(conn) < EXPIRED, 120, "housekeeping to begin", interval=0.05)
                    began, left = time.perf_counter(), expired(conn)
                    wait_until(lambda: expired(conn) == 0, 600, "every expired session to go", interval=0.05)
                    seconds = time.perf_counter() - began
                done.set()
                sender.join()
    rate = left / seconds
    latencies = sorted((o.answered - o.intended) * 1000 for o in outcomes)
    refused = sum(1 for o in outcomes if o.status != 202)
    p99 = percentile(latencies, 99)
    print(
        f"housekeeping removed {left} expired sessions (each {FILMS_EACH} films and {FILMS_EACH} diary rows) "
        f"in {seconds:.1f} s = {rate:.0f} sessions/s (target >= 200) while {RATE} uploads/s continued: "
        f"{len(outcomes)} sent, {refused} refused, response p50 {percentile(latencies, 50):.1f} / "
        f"p99 {p99:.1f} ms (target <= 250)"
    )
    return 0 if rate >= 200 and p99 <= 250 and refused == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
