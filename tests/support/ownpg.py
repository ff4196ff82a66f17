"""A private embedded PostgreSQL that a test may stop, start and restart (fault tests, soak bench).

It is separate from the suite's shared server so that taking it down disturbs no other test.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from api.migrations import apply_migrations


class OwnPostgres:
    """pgserver in a temporary directory, controlled with its own pg_ctl."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        import pgserver  # noqa: PLC0415 - only the fault tests and benchmarks need it

        self.data = Path(tempfile.mkdtemp(prefix="rs-own-", dir="/tmp"))
        self._server = pgserver.get_server(self.data, cleanup_mode="delete")
        self.admin_url = self._server.get_uri()
        if settings:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                for name, value in settings.items():
                    conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
            self.restart()

    @property
    def socket(self) -> Path:
        """The Unix socket the server listens on."""
        return Path(str(conninfo_to_dict(self.admin_url)["host"])) / ".s.PGSQL.5432"

    def create_database(self, name: str) -> str:
        """A new migrated database; returns its URL."""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = make_conninfo(self.admin_url, dbname=name)
        apply_migrations(url)
        return url

    def _pg_ctl(self, *args: str) -> None:
        from pgserver import _commands  # noqa: PLC0415

        log = self.data.parent / f"{self.data.name}.log"
        _commands.pg_ctl(["-w", *args, "-l", str(log)], pgdata=self.data, user=self._server.system_user)

    def stop(self) -> None:
        """Fast shutdown: every connection is cut."""
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        """Start again with the options it last ran with."""
        self._pg_ctl("start", "-o", f"-h '' -k {self.socket.parent}")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "restart")

    def close(self) -> None:
        self._server.cleanup()
        shutil.rmtree(self.data, ignore_errors=True)
