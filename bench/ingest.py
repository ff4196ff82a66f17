"""Issue 2's targets: a 200,000-row diary over ~3,000 films is accepted in under 5 s with the API's
peak RSS growing by under 150 MB; 20,000 rows in under 1 s."""

from __future__ import annotations

import csv
import io
import random
import statistics
import sys
import time

import httpx

from bench.harness import api_process, database, rss_kib

DIARY = ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
TAGS = ["", "", "", "cinema", "with friends", "rewatch, comfort", "imax", "criterion, 35mm"]


def diary(rows: int, films: int, seed: int = 7) -> bytes:
    """A realistic diary.csv: rewatches, half-star ratings, tags, titles with commas and quotes."""
    rng = random.Random(seed)
    titles = [(f'Film {n}, "Part {n % 7}" – Amélie', 1920 + n % 100) for n in range(films)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DIARY)
    for n in range(rows):
        name, year = titles[rng.randrange(films)]
        day = f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        rating = rng.choice(["", "0.5", "1", "2.5", "3", "3.5", "4", "4.5", "5"])
        writer.writerow(
            [
                day,
                name,
                year,
                f"https://boxd.it/e{n:x}",
                rating,
                rng.choice(["", "", "Yes"]),
                rng.choice(TAGS),
                day,
            ]
        )
    return out.getvalue().encode()


def upload_seconds(base: str, body: bytes) -> float:
    started = time.perf_counter()
    response = httpx.post(f"{base}/api/sessions", files={"files": ("diary.csv", body)}, timeout=120)
    elapsed = time.perf_counter() - started
    if response.status_code != 202:
        raise SystemExit(f"upload refused: {response.status_code} {response.text[:200]}")
    return elapsed


def main() -> int:
    big, small = diary(200_000, 3_000), diary(20_000, 1_500, seed=8)
    with database() as url, api_process(url, MAX_UPLOAD_MB="50") as (base, api):
        upload_seconds(base, diary(100, 50, seed=9))  # warm up imports, pool and caches
        baseline = rss_kib(api.pid)
        small_s = statistics.median(upload_seconds(base, small) for _ in range(3))
        big_s = upload_seconds(base, big)
        growth_mb = (rss_kib(api.pid, "VmHWM") - baseline) / 1024
    print(
        f"ingest  20,000 diary rows ({len(small) / 1e6:.1f} MB): {small_s:.2f} s, median of 3 (target < 1 s)"
    )
    print(
        f"ingest 200,000 diary rows over 3,000 films ({len(big) / 1e6:.1f} MB): {big_s:.2f} s (target < 5 s)"
    )
    print(f"API peak RSS growth during the big upload: {growth_mb:.0f} MB (target < 150 MB)")
    return 0 if small_s < 1 and big_s < 5 and growth_mb < 150 else 1


if __name__ == "__main__":
    sys.exit(main())
