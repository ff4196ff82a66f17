"""`python -m api` serves HTTP; `python -m api migrate` applies the schema and exits."""

from __future__ import annotations

import signal
import sys
import urllib.error
import urllib.request

import psycopg
import uvicorn

from api.app import create_app
from api.config import ApiConfig
from api.migrations import apply_migrations
from common import logs
from common.errors import ConfigError

USAGE = "usage: python -m api [migrate | healthcheck]"


def main(argv: list[str]) -> int:
    """Run the command; configuration and database problems end it with one line and status 2."""
    if argv not in ([], ["migrate"], ["healthcheck"]):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        config = ApiConfig.from_env()
    except ConfigError as problem:
        print(f"reelstats api: {problem}", file=sys.stderr)
        return 2
    if argv == ["healthcheck"]:
        return healthcheck(config)
    secrets = [s for s in (config.api_token,) if s] + logs.secrets_of_dsn(config.database_url)
    logs.configure(config.log_format, secrets)
    try:
        applied = apply_migrations(config.database_url)
    except psycopg.Error as problem:
        reason = str(problem).strip().splitlines()[0] if str(problem).strip() else type(problem).__name__
        for secret in secrets:
            reason = reason.replace(secret, "[redacted]")
        print(f"reelstats api: cannot prepare the database: {reason}", file=sys.stderr)
        return 2
    if argv == ["migrate"]:
        print(f"schema up to date ({len(applied)} migration(s) applied now)")
        return 0
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            host=config.host,
            port=config.port,
            log_config=None,
            proxy_headers=False,
            server_header=False,
            # Open event streams would otherwise hold a stop for as long as a session enriches.
            timeout_graceful_shutdown=5,
        )
    )
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal for the handler
    # installed before it; by then everything is closed, so that handler only lets us exit 0.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)
    server.run()
    return 0


def healthcheck(config: ApiConfig) -> int:
    """The container health check: 0 when this host's API answers /readyz with 200."""
    host = "127.0.0.1" if config.host in ("0.0.0.0", "::") else config.host  # noqa: S104 - compared, not bound
    try:
        with urllib.request.urlopen(f"http://{host}:{config.port}/readyz", timeout=3) as answer:
            return 0 if answer.status == 200 else 1
    except (urllib.error.URLError, OSError) as problem:
        print(f"reelstats api: not ready ({type(problem).__name__})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
