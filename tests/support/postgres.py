"""A real PostgreSQL for the tests, and a fresh database per test cloned from a migrated template.

Where the server comes from, first match wins:
1. TEST_DATABASE_URL (a role that may CREATE DATABASE);
2. a testcontainers `postgres:16` when a Docker engine answers (checked in well under a second);
3. the embedded server of the `pgserver` package, in a temporary directory.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from api.migrations import apply_migrations

# pgserver asks platformdirs for a runtime directory, which warns when XDG_RUNTIME_DIR is unset
# (as for root in CI); the embedded server does not need one.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def _docker_answers() -> bool:
    if not (os.environ.get("DOCKER_HOST") or os.path.exists("/var/run/docker.sock")):
        return False
    try:
        import docker  # noqa: PLC0415 - only needed when an engine may be there

        docker.from_env(timeout=2).ping()
    except Exception:  # noqa: BLE001 - any failure means: no usable engine
        return False
    return True


@contextlib.contextmanager
def postgres_server() -> Iterator[tuple[str, str]]:
    """Yield (admin URL, where it came from) of a running server for the whole test run."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url, "TEST_DATABASE_URL"
        return
    if _docker_answers():
        from testcontainers.postgres import PostgresContainer  # noqa: PLC0415

        with PostgresContainer("postgres:16", driver=None) as container:
            yield container.get_connection_url(), "testcontainers postgres:16"
        return
    import pgserver  # noqa: PLC0415

    # A short path: the server's Unix socket lives in it and socket paths are limited to ~100 bytes.
    data = tempfile.mkdtemp(prefix="rs-pg-", dir="/tmp")
    server = pgserver.get_server(data, cleanup_mode="delete")
    try:
        yield server.get_uri(), "embedded pgserver"
    finally:
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)


@dataclass
class DatabaseFactory:
    """Creates per-test databases from a template migrated once per run."""

    admin_url: str
    prefix: str = field(default_factory=lambda: f"rs{os.getpid()}")
    _counter: Iterator[int] = field(default_factory=itertools.count)

    @property
    def template(self) -> str:
        return f"{self.prefix}_template"

    def url_of(self, name: str) -> str:
        return make_conninfo(self.admin_url, dbname=name)

    def _admin(self, statement: sql.Composable) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(statement)

    def build_template(self) -> None:
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.template)))
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.template)))
        apply_migrations(self.url_of(self.template))

    def create(self, migrated: bool = True) -> tuple[str, str]:
        """A new database, cloned from the migrated template or else empty: (name, url)."""
        name = f"{self.prefix}_t{next(self._counter)}"
        template = self.template if migrated else "template0"
        self._admin(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
        )
        return name, self.url_of(name)

    @contextlib.contextmanager
    def temporary(self, migrated: bool = True) -> Iterator[str]:
        """A new database (see `create`) for the duration of the block; yields its URL."""
        name, url = self.create(migrated)
        try:
            yield url
        finally:
            self.drop(name)

    def drop(self, name: str) -> None:
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def drop_template(self) -> None:
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.template)))
