"""`python -m worker` runs one worker until SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import socket
import sys

import psycopg
import uvloop
from psycopg_pool import PoolTimeout

from common import logs
from common.errors import ConfigError
from common.sqlfiles import load_queries
from worker.config import WorkerConfig
from worker.errors import WorkerDied
from worker.service import install_stop_signals, run


async def _main(config: WorkerConfig) -> None:
    stop = asyncio.Event()
    install_stop_signals(stop)
    await run(config, stop)


def healthcheck(config: WorkerConfig) -> int:
    """The container health check: 0 when a worker on this host heart-beated within its lease
    and reported every task healthy (none dead, none stuck)."""
    query = load_queries("worker")["worker_alive_on_host"]
    try:
        with psycopg.connect(config.database_url, connect_timeout=3) as conn:
            alive = conn.execute(query, {"host": socket.gethostname()}).fetchone()
    except psycopg.Error as problem:
        print(f"reelstats worker: unhealthy ({type(problem).__name__})", file=sys.stderr)
        return 1
    return 0 if alive else 1


def main(argv: list[str]) -> int:
    """Run a worker; configuration and start-up problems end it with one line and status 2."""
    if argv not in ([], ["healthcheck"]):
        print("usage: python -m worker [healthcheck]", file=sys.stderr)
        return 2
    try:
        config = WorkerConfig.from_env()
    except ConfigError as problem:
        print(f"reelstats worker: {problem}", file=sys.stderr)
        return 2
    if argv == ["healthcheck"]:
        return healthcheck(config)
    secrets = [s for s in (config.tmdb_api_key, config.tmdb_access_token) if s]
    secrets += logs.secrets_of_dsn(config.database_url)
    logs.configure(config.log_format, secrets)
    try:
        uvloop.run(_main(config))  # a faster event loop: less CPU per job, less latency per hop
    except (PoolTimeout, psycopg.OperationalError):
        print("reelstats worker: cannot reach the database at DATABASE_URL", file=sys.stderr)
        return 2
    except WorkerDied as died:
        print(died.farewell(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
