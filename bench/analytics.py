"""Issue 12's targets: for a 200,000-row diary over ~3,000 films, all enriched, `GET /analytics`
p50 <= 200 ms, `GET /analytics?year=` p50 <= 100 ms, a drill-down page of films <= 50 ms.

The diary is uploaded through the API and enriched by two real workers from the fake TMDB's
synthetic films (so every row is as the service stores it), then each request is timed from the
client over loopback. The first analytics request of a session counts its watches and keeps the
counts (see README, "Analytics"); it is timed on its own and is not part of the p50s.
"""

from __future__ import annotations

import csv
import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import httpx

from bench.harness import api_process, database, percentile, workers
from tests.support.processes import wait_until
from tmdbdemo.synthetic import synthetic_title, synthetic_year
from tmdbdemo.testing import FakeTmdb

ROWS, FILMS = 200_000, 3_000
FIRST_DAY, DAYS = date(2012, 1, 1), 13 * 365  # 2012 to 2024
DIARY = ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
RATINGS = ["", "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"]
REPEATS = 25
TARGETS_MS = {"all time": 200.0, "one year": 100.0, "drill-down page": 50.0}


def diary(rows: int = ROWS, films: int = FILMS, seed: int = 12) -> bytes:
    """A diary.csv of `rows` watches of the synthetic films 1..`films`, some films far more often."""
    rng = random.Random(seed)
    weights = [1 / (1 + n % 50) for n in range(1, films + 1)]  # favourites and one-offs
    numbers = rng.choices(range(1, films + 1), weights=weights, k=rows)
    days = sorted(FIRST_DAY + timedelta(days=rng.randrange(DAYS)) for _ in range(rows))
    seen: set[int] = set()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DIARY)
    for entry, (n, day) in enumerate(zip(numbers, days, strict=True)):
        rewatch = "Yes" if n in seen else ""
        seen.add(n)
        iso = day.isoformat()
        rating = rng.choice(RATINGS)
        writer.writerow([iso, synthetic_title(n), synthetic_year(n), f"https://boxd.it/b{entry:x}", rating,
                         rewatch, "", iso])  # fmt: skip
    return out.getvalue().encode()


def timed(client: httpx.Client, url: str, params: dict[str, str] | None = None) -> float:
    """Milliseconds for one GET answered 200."""
    started = time.perf_counter()
    response = client.get(url, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} {params}: {response.status_code} {response.text[:200]}")
    return elapsed


def p50(measure: Callable[[], float], repeats: int = REPEATS) -> tuple[float, float]:
    """(p50, p95) of `repeats` calls of `measure`, after one warm-up call."""
    measure()
    values = sorted(measure() for _ in range(repeats))
    return statistics.median(values), percentile(values, 95)


def enriched_session(base: str, client: httpx.Client) -> str:
    """Upload the big diary and wait until every film is enriched; the session id."""
    response = client.post(f"{base}/api/sessions", files={"files": ("diary.csv", diary())}, timeout=120)
    if response.status_code != 202:
        raise SystemExit(f"upload refused: {response.status_code} {response.text[:200]}")
    session_id = str(response.json()["id"])

    def completed() -> dict[str, object] | None:
        session = client.get(f"{base}/api/sessions/{session_id}").json()
        return session if session["status"] != "enriching" else None

    session = wait_until(completed, 600, "the big session to be enriched", interval=0.5)
    assert isinstance(session, dict)
    if session["progress"] != {"total": FILMS, "done": FILMS, "matched": FILMS, "not_found": 0, "failed": 0}:
        raise SystemExit(f"the session was not fully enriched: {session['progress']}")
    return session_id


def main() -> int:
    with (
        database() as url,
        FakeTmdb(synthetic_films=FILMS) as tmdb,
        api_process(url) as (base, _),
        workers(url, tmdb.base_url, 2, TMDB_RATE_LIMIT="10000", WORKER_CONCURRENCY="16"),
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        started = time.perf_counter()
        session_id = enriched_session(base, client)
        print(f"# {ROWS:,} diary rows over {FILMS:,} films uploaded and enriched in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        analytics = f"/api/sessions/{session_id}/analytics"
        films = f"/api/sessions/{session_id}/films"
        first_ms = timed(client, analytics)
        print(f"# the first request, which counts the watches: {first_ms:.0f} ms", flush=True)
        top = client.get(analytics).json()
        genre, director = top["genres"][0]["name"], top["top_directors"][0]["name"]
        years = [str(y["year"]) for y in top["year_over_year"]]
        cycle = iter(years * (REPEATS + 1))
        drill = [
            {"genre": genre, "limit": "100"},
            {"director": director, "watched_year": years[-1], "limit": "100"},
            {"watched_month": f"{years[0]}-03", "weekday": "6", "limit": "100"},
            {"rating": "4.5", "decade": "1990", "limit": "100"},
        ]
        shapes = iter(drill * (REPEATS + 1))
        results = {
            "all time": p50(lambda: timed(client, analytics)),
            "one year": p50(lambda: timed(client, analytics, {"year": next(cycle)})),
            "drill-down page": p50(lambda: timed(client, films, next(shapes))),
        }
        for shape in drill:
            median, p95 = p50(lambda shape=shape: timed(client, films, shape), repeats=9)
            filters = "&".join(f"{k}={v}" for k, v in shape.items() if k != "limit")
            print(f"#   films?{filters}: p50 {median:.1f} ms, p95 {p95:.1f} ms", flush=True)
    failed = False
    for what, (median, p95) in results.items():
        target = TARGETS_MS[what]
        failed |= median > target
        print(f"{what:>15}: p50 {median:6.1f} ms, p95 {p95:6.1f} ms (target p50 <= {target:.0f} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
