"""Issue 11's fairness target: a 3,000-film upload (cold cache, fake TMDB 25 ms, TMDB_RATE_LIMIT=40,
3 workers), started while 20 small uploads a second arrive for its whole run, completes in at
most twice the time it takes alone. The small uploads are 20-film exports whose films are cached
(they cost the fleet's job slots and database time, not TMDB requests)."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from urllib.parse import urlsplit

import httpx

from bench.burst import export as small_export
from bench.harness import api_process, database, workers
from bench.openloop import open_loop, upload_request
from tests.support.processes import wait_until
from tmdbdemo import synthetic_title, synthetic_year
from tmdbdemo.testing import FakeTmdb

BIG, SMALL_RATE, LIMIT, LATENCY_MS = 3000, 20, 40, 25


def big_export(first: int) -> bytes:
    rows = "".join(
        f"2024-01-01,{synthetic_title(n)},{synthetic_year(n)},https://boxd.it/b{n}\n"
        for n in range(first, first + BIG)
    )
    return ("Date,Name,Year,Letterboxd URI\n" + rows).encode()


def upload_and_time(base: str, body: bytes) -> float:
    """Seconds from the upload's answer to its session's completion."""
    response = httpx.post(f"{base}/api/sessions", files={"files": ("watched.csv", body)}, timeout=60)
    answered = time.perf_counter()
    location = f"{base}{response.headers['location']}"
    wait_until(lambda: httpx.get(location).json()["status"] != "enriching", 900, "the upload", interval=0.5)
    return time.perf_counter() - answered


def main() -> int:
    with (
        database() as url,
        FakeTmdb(synthetic_films=2 * BIG + 20, latency_ms=LATENCY_MS) as tmdb,
        api_process(url) as (base, _),
        workers(url, tmdb.base_url, 3, TMDB_RATE_LIMIT=str(LIMIT)),
    ):
        small = small_export()  # films 1..20, cached by this first upload
        upload_and_time(base, small)
        alone = upload_and_time(base, big_export(1001))
        address = urlsplit(base)
        host, port = address.hostname or "127.0.0.1", address.port or 80
        request = upload_request(host, port, "watched.csv", small)
        traffic: list[int] = []
        stop_after = threading.Event()

        def background() -> None:
            # Open-loop small uploads in slices of 10 s until the big upload is done.
            while not stop_after.is_set():
                outcomes = asyncio.run(open_loop(host, port, request, SMALL_RATE, 10))
                traffic.append(sum(1 for o in outcomes if o.status == 202))

        sender = threading.Thread(target=background, daemon=True)
        sender.start()
        crowded = upload_and_time(base, big_export(1001 + BIG))
        stop_after.set()
        sender.join()
    ratio = crowded / alone
    print(
        f"a {BIG}-film upload alone: {alone:.1f} s; with {SMALL_RATE} small uploads/s arriving all along "
        f"({sum(traffic)} of them accepted): {crowded:.1f} s = {ratio:.2f}x (target <= 2x)"
    )
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
