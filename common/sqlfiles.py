"""Named SQL from `sql/queries/*.sql`, loaded once and looked up by name.

A file holds queries under headers in the procrastinate style::

    -- name: claim_jobs
    -- Claim up to %(batch)s runnable jobs for one worker.
    WITH ...

Queries take named parameters (`%(session_id)s`); code never builds SQL from strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import LiteralString

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_HEADER = re.compile(r"^-- name: ([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Queries(Mapping[str, LiteralString]):
    """A read-only mapping of query name to SQL text."""

    by_name: Mapping[str, LiteralString]

    def __getitem__(self, name: str) -> LiteralString:
        return self.by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_name)

    def __len__(self) -> int:
        return len(self.by_name)


def parse_queries(text: str, source: str) -> dict[str, LiteralString]:
    """Split one file's text into its named queries; a repeated name is an error."""
    found: dict[str, LiteralString] = {}
    headers = list(_HEADER.finditer(text))
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        body = text[header.end() : end].strip()
        name = header.group(1)
        if name in found:
            raise ValueError(f"{source}: query {name!r} is defined twice")
        if not body:
            raise ValueError(f"{source}: query {name!r} is empty")
        # The text comes from our own files, never from input: it is as literal as SQL in code.
        found[name] = body
    return found


_NAMED = re.compile(r"%\((\w+)\)s|%%")


@dataclass(frozen=True)
class Positional:
    """A named query converted once to PostgreSQL's `$n` placeholders, for a raw cursor.

    psycopg converts `%(name)s` placeholders on every execution and caches the conversion only
    for queries up to 4 KB; a long query on the hot path is converted here, once, instead."""

    sql: LiteralString
    names: tuple[str, ...]

    def values(self, params: Mapping[str, object]) -> list[object]:
        """The parameters in `$n` order."""
        return [params[name] for name in self.names]


def positional(sql: LiteralString) -> Positional:
    """`sql` with each distinct `%(name)s` as `$1`, `$2`... and `%%` as `%`."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    # Still our own files' text, only its placeholders respelled.
    converted: LiteralString = _NAMED.sub(number, sql)
    return Positional(converted, tuple(names))


def load_queries(*files: str, directory: Path = SQL_DIR / "queries") -> Queries:
    """Load the named queries of the given files (names without `.sql`)."""
    merged: dict[str, LiteralString] = {}
    for stem in files:
        path = directory / f"{stem}.sql"
        for name, body in parse_queries(path.read_text(encoding="utf-8"), path.name).items():
            if name in merged:
                raise ValueError(f"{path.name}: query {name!r} is defined in another file too")
            merged[name] = body
    return Queries(merged)
