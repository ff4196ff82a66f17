"""Apply `sql/migrations/NNNN_name.sql` files in order, once each, safely from many processes."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import LiteralString

import psycopg

from common.sqlfiles import SQL_DIR, load_queries

log = logging.getLogger("api.migrations")
_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered schema file."""

    version: int
    name: str
    sql: LiteralString


def known_migrations(directory: Path = SQL_DIR / "migrations") -> list[Migration]:
    """The migration files shipped with this code, in version order."""
    found = []
    for path in sorted(directory.iterdir()):
        match = _FILE.match(path.name)
        if match:
            # Our own schema files: as literal as SQL written in code.
            text: LiteralString = path.read_text(encoding="utf-8")
            found.append(Migration(int(match.group(1)), path.name, text))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError("two migration files share a version number")
    return found


def latest_version() -> int:
    """The version a database must have for this code to run against it."""
    return max(m.version for m in known_migrations())


def apply_migrations(database_url: str) -> list[str]:
    """Bring the database up to `latest_version()`; returns the names of the files applied.

    An advisory lock serialises concurrent callers: the first applies, the rest find nothing to do.
    Each file runs in its own transaction together with its `schema_migrations` row.
    """
    queries = load_queries("migrations")
    applied_now: list[str] = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(queries["lock_migrations"])
        try:
            conn.execute(queries["create_schema_migrations"])
            done = {row[0] for row in conn.execute(queries["applied_migrations"])}
            for migration in known_migrations():
                if migration.version in done:
                    continue
                with conn.transaction():
                    conn.execute(migration.sql)
                    conn.execute(
                        queries["record_migration"],
                        {"version": migration.version, "name": migration.name},
                    )
                applied_now.append(migration.name)
                log.info("migration applied", extra={"migration": migration.name})
        finally:
            conn.execute(queries["unlock_migrations"])
    return applied_now
