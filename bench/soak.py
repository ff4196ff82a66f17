"""Issue 6's soak: 10 minutes of 5 uploads/s (20 films each, warm and cold mixed), 3 workers.

Prints, per minute: p50/p99 wake latency (an upload's commit, from track_commit_timestamp, to its
job's claim), the enrichment_jobs row count, and each worker's RSS. Targets: p99 stays within 2x
of the first minute's, the jobs table stays bounded, no worker's RSS grows by 10 % or more.
Each upload has 3 films TMDB has never been asked about and 17 it has (the cache), which keeps the
cold load (about 30 requests/s) under TMDB_RATE_LIMIT=40.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field

import httpx
import psycopg

from bench.harness import api_process, percentile, rss_kib, workers
from tests.support.ownpg import OwnPostgres
from tests.support.processes import wait_until
from tmdbdemo import synthetic_title, synthetic_year
from tmdbdemo.testing import FakeTmdb

MINUTES = int(os.environ.get("SOAK_MINUTES", "10"))
RATE, FILMS, COLD, WARM_POOL = 5, 20, 3, 300

LATENCY_SQL = """
SELECT s.id::text, 1000 * extract(epoch FROM min(j.claimed_at) - pg_xact_commit_timestamp(w.xmin))::float8
FROM upload_sessions AS s
JOIN watchlist_entries AS w ON w.session_id = s.id AND w.entry_no = 1
JOIN enrichment_jobs AS j ON j.session_id = s.id
WHERE s.created_at > now() - interval '50 seconds'
GROUP BY s.id, w.xmin
HAVING min(j.claimed_at) IS NOT NULL
"""


def export(films: list[int]) -> list[tuple[str, tuple[str, bytes]]]:
    watched = io.StringIO()
    writer = csv.writer(watched, lineterminator="\n")
    writer.writerow(["Date", "Name", "Year", "Letterboxd URI"])
    for n in films:
        writer.writerow(["2024-01-01", synthetic_title(n), synthetic_year(n), ""])
    # A watchlist row is never updated after the upload: its xmin is the upload's transaction.
    watchlist = b"Date,Name,Year,Letterboxd URI\n2024-01-01,Stalker,1979,\n"
    return [("files", ("watched.csv", watched.getvalue().encode())), ("files", ("watchlist.csv", watchlist))]


@dataclass
class Observations:
    latencies: dict[str, tuple[float, float]] = field(default_factory=dict)  # session -> (seen at, ms)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def collect(self, url: str) -> None:
        """Poll the claims of recent uploads every second (finished jobs are purged after a minute)."""
        with psycopg.connect(url, autocommit=True) as conn:
            while not self.stop.wait(1.0):
                now = time.monotonic()
                for session_id, ms in conn.execute(LATENCY_SQL).fetchall():
                    with self.lock:
                        self.latencies.setdefault(session_id, (now, ms))


async def upload_at_rate(base: str, seconds: float, cold_start: int) -> tuple[int, int]:
    """5 uploads a second for `seconds`; returns (accepted, refused)."""
    results = {"ok": 0, "bad": 0}
    started = time.monotonic()
    cold = cold_start

    async with httpx.AsyncClient(timeout=30) as client:

        async def one(films: list[int]) -> None:
            response = await client.post(f"{base}/api/sessions", files=export(films))
            results["ok" if response.status_code == 202 else "bad"] += 1

        tasks = []
        for index in range(int(seconds * RATE)):
            await asyncio.sleep(max(0.0, started + index / RATE - time.monotonic()))
            films = random.sample(range(1, WARM_POOL + 1), FILMS - COLD) + list(range(cold, cold + COLD))
            cold += COLD
            tasks.append(asyncio.create_task(one(films)))
        await asyncio.gather(*tasks)
    return results["ok"], results["bad"]


def main() -> int:
    random.seed(6)
    server = OwnPostgres({"track_commit_timestamp": "on"})
    try:
        url = server.create_database("soak")
        with (
            FakeTmdb(synthetic_films=200_000, latency_ms=25) as tmdb,
            api_process(url) as (base, _),
            workers(url, tmdb.base_url, 3) as fleet,
        ):
            warm = httpx.post(f"{base}/api/sessions", files=export(list(range(1, WARM_POOL + 1))), timeout=60)
            location = f"{base}{warm.headers['location']}"
            wait_until(lambda: httpx.get(location).json()["status"] == "completed", 120, "the warm-up", 0.2)
            print(
                f"# warm cache: {WARM_POOL} films; soak: {MINUTES} min x {RATE} uploads/s x {FILMS} films",
                flush=True,
            )

            seen = Observations()
            collector = threading.Thread(target=seen.collect, args=(url,), daemon=True)
            collector.start()
            rows: list[tuple[int, list[int], int]] = []
            stop_sampling = threading.Event()
            started = time.monotonic()

            def sample() -> None:
                with psycopg.connect(url, autocommit=True) as conn:
                    for minute in range(1, MINUTES + 1):
                        if stop_sampling.wait(max(0.0, started + 60 * minute - time.monotonic())):
                            return
                        count = conn.execute("SELECT count(*) FROM enrichment_jobs").fetchone()
                        size = conn.execute("SELECT pg_total_relation_size('enrichment_jobs')").fetchone()
                        rss = [rss_kib(w.pid) for w in fleet]
                        rows.append((count[0] if count else 0, rss, size[0] if size else 0))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            accepted, refused = asyncio.run(upload_at_rate(base, 60 * MINUTES, cold_start=WARM_POOL + 1))
            sampler.join(120)
            stop_sampling.set()
            time.sleep(3)
            seen.stop.set()
            collector.join(10)
            stats = tmdb.stats()
    finally:
        server.close()

    print(
        f"uploads accepted {accepted}, refused {refused}; TMDB requests {stats['requests_total']}, "
        f"429s {stats['by_status'].get('429', 0)}"
    )
    per_minute: list[list[float]] = [[] for _ in range(MINUTES)]
    for at, ms in seen.latencies.values():
        per_minute[min(MINUTES - 1, max(0, int((at - started) // 60)))].append(ms)
    p99s, ok = [], True
    for minute, values in enumerate(per_minute, 1):
        values.sort()
        jobs, rss, size = rows[minute - 1] if minute <= len(rows) else (0, [], 0)
        p50 = percentile(values, 50) if values else float("nan")
        p99 = percentile(values, 99) if values else float("nan")
        p99s.append(p99)
        rss_text = " ".join(f"{kib / 1024:.1f}" for kib in rss)
        print(
            f"minute {minute:2d}: {len(values):4d} claims, wake p50 {p50:6.2f} ms p99 {p99:6.2f} ms; "
            f"jobs rows {jobs:5d} ({size / 1024:.0f} kB); worker RSS MB {rss_text}"
        )
    first_rss, last_rss = rows[0][1], rows[-1][1]
    growth = max((b - a) / a for a, b in zip(first_rss, last_rss, strict=True))
    flat = max(p99s) <= 2 * p99s[0]
    bounded = (
        max(r[0] for r in rows[len(rows) // 2 :]) <= 1.5 * max(r[0] for r in rows[: len(rows) // 2]) + 50
    )
    print(
        f"p99 flat within 2x of minute 1: {'yes' if flat else 'NO'} "
        f"(max {max(p99s):.2f} ms vs {p99s[0]:.2f} ms)"
    )
    print(f"jobs table bounded: {'yes' if bounded else 'NO'} (rows per minute {[r[0] for r in rows]})")
    print(f"worker RSS growth minute 1 -> {MINUTES}: {growth:.1%} (target < 10%)")
    ok = flat and bounded and growth < 0.10 and refused == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
