"""What the benchmarks share: a fresh PostgreSQL database, the API and workers as real processes."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from pathlib import Path

from tests.support.postgres import DatabaseFactory, postgres_server
from tests.support.processes import Process, start_api

LOG_DIR = Path(os.environ.get("BENCH_LOG_DIR", "/tmp/reelstats-bench"))


@contextlib.contextmanager
def database_factory() -> Iterator[DatabaseFactory]:
    """A PostgreSQL (see tests/support/postgres.py) with a migrated template to clone databases from."""
    with postgres_server() as (admin_url, origin):
        factory = DatabaseFactory(admin_url, prefix=f"bench{os.getpid()}")
        factory.build_template()
        print(f"# PostgreSQL: {origin}", flush=True)
        try:
            yield factory
        finally:
            factory.drop_template()


@contextlib.contextmanager
def database() -> Iterator[str]:
    """The URL of a new migrated database."""
    with database_factory() as factory, factory.temporary() as url:
        yield url


@contextlib.contextmanager
def api_process(database_url: str, **env: str) -> Iterator[tuple[str, Process]]:
    """`python -m api` on a free port, ready; yields (base URL, process)."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    base, process = start_api(database_url, LOG_DIR / "api.log", **env)
    try:
        yield base, process
    finally:
        process.stop()


def percentile(sorted_values: list[float], pct: float) -> float:
    """The nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a process from /proc (VmRSS now, VmHWM peak), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not found for {pid}")


@contextlib.contextmanager
def workers(database_url: str, tmdb_url: str, count: int = 1, **env: str) -> Iterator[list[Process]]:
    """`count` worker processes, each listening before this yields; stopped with SIGTERM after."""
    from tests.support.workers import Fleet  # noqa: PLC0415 - the fleet helpers import psycopg lazily

    LOG_DIR.mkdir(parents=True, exist_ok=True)
    fleet = Fleet(database_url, tmdb_url, LOG_DIR)
    try:
        yield fleet.start(count, **env)
    finally:
        fleet.stop_all()
