"""Real worker processes against a test database and a loopback TMDB."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.support.processes import Process, wait_until

# Tests prove wake-ups by NOTIFY: the fallback poll is slow unless a test asks otherwise.
DEFAULTS = {
    "WORKER_POLL_SECONDS": "60",
    "WORKER_LEASE_SECONDS": "30",
    "WORKER_CONCURRENCY": "8",
    "TMDB_RATE_LIMIT": "10000",
}


class Fleet:
    """Starts workers, finds them in the database, and stops them all at the end."""

    def __init__(self, database_url: str, tmdb_url: str, log_dir: Path) -> None:
        self.database_url = database_url
        self.tmdb_url = tmdb_url
        self.log_dir = log_dir
        self.workers: list[Process] = []

    def start(self, count: int = 1, wait: bool = True, **env: str) -> list[Process]:
        started = []
        for _ in range(count):
            settings = {**DEFAULTS, "DATABASE_URL": self.database_url, "TMDB_BASE_URL": self.tmdb_url, **env}
            process = Process(["-m", "worker"], settings, self.log_dir / f"worker-{len(self.workers)}.log")
            self.workers.append(process)
            started.append(process)
        if wait:
            for process in started:
                self.wait_listening(process)
        return started

    def wait_listening(self, process: Process, timeout: float = 30) -> None:
        """Until the worker is registered and its listener connection is up."""

        def ready() -> bool:
            assert process.alive(), process.output()
            return self.listener_pid(process) is not None

        wait_until(ready, timeout, f"worker {process.pid} to listen")

    def listener_pid(self, process: Process) -> int | None:
        """The backend pid of the worker's LISTEN connection, once it has listened."""
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            row = conn.execute(
                "SELECT a.pid FROM pg_stat_activity AS a"
                " JOIN workers AS w ON a.application_name = 'reelstats listener ' || w.id"
                " WHERE w.pid = %s AND a.state = 'idle'"
                # Its own channel first, then the shared ones: listening on all once LISTEN
                # reelstats_jobs is done, and later its keepalive (pg_listening_channels).
                " AND (a.query LIKE '%%LISTEN reelstats_jobs; LISTEN%%'"
                "      OR a.query LIKE '%%pg_listening_channels%%')"
                " ORDER BY a.backend_start DESC",
                (process.pid,),
            ).fetchone()
        return row[0] if row else None

    def stop_all(self) -> None:
        for process in self.workers:
            if process.alive():
                process.stop()


@contextmanager
def fleet(database_url: str, tmdb_url: str, log_dir: Path) -> Iterator[Fleet]:
    workers = Fleet(database_url, tmdb_url, log_dir)
    try:
        yield workers
    finally:
        workers.stop_all()


def kill(process: Process) -> None:
    """SIGKILL: no drain, no release, no unregister."""
    process.signal(signal.SIGKILL)
    process.wait(10)
