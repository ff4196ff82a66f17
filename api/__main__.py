"""`python -m api` serves HTTP; `python -m api migrate` applies the schema and exits."""

from __future__ import annotations

import signal
import sys

import psycopg
import uvicorn

from api.app import create_app
from api.config import ApiConfig
from api.migrations import apply_migrations
from common import logs
from common.errors import ConfigError

USAGE = "usage: python -m api [migrate]"


def main(argv: list[str]) -> int:
    """Run the command; configuration and database problems end it with one line and status 2."""
    if argv not in ([], ["migrate"]):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        config = ApiConfig.from_env()
    except ConfigError as problem:
        print(f"reelstats api: {problem}", file=sys.stderr)
        return 2
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
        )
    )
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal for the handler
    # installed before it; by then everything is closed, so that handler only lets us exit 0.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
