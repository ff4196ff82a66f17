"""Storing a validated upload in one transaction, and reading sessions back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any, LiteralString

from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from api.letterboxd import copytext
from api.letterboxd.export import CopyBuffer, Export
from common.sqlfiles import Queries

# Films per enrichment job: small enough that several workers share a big upload and progress
# moves every few seconds, big enough that a job amortises its claim and bookkeeping.
CHUNK_FILMS = 50
# Up to this many rows (films, diary entries, reviews, watchlist titles together) an upload is
# stored by one statement; beyond, COPY streams it (the statement's JSON would cost more memory).
SMALL_ROWS = 2_000
_BLOCK_CHARS = 1024 * 1024

Session = dict[str, Any]


def _blocks(lines: Iterable[str]) -> Iterator[bytes]:
    pending: list[str] = []
    size = 0
    for line in lines:
        pending.append(line)
        size += len(line)
        if size >= _BLOCK_CHARS:
            yield "".join(pending).encode("utf-8")
            pending.clear()
            size = 0
    if pending:
        yield "".join(pending).encode("utf-8")


async def _copy(conn: AsyncConnection[DictRow], statement: LiteralString, blocks: Iterable[bytes]) -> None:
    async with conn.cursor().copy(statement) as copy:
        for block in blocks:
            await copy.write(block)


def _rows(lines: Iterable[str]) -> list[list[str | None]]:
    return [copytext.decode_line(line) for line in lines if line]


def _buffer_lines(buffer: CopyBuffer) -> list[str]:
    return b"".join(buffer.blocks()).decode("utf-8").split("\n")


def _session_params(export: Export, upload_bytes: int) -> dict[str, Any]:
    films = len(export.films)
    return {
        "id": export.session_id,
        "status": "enriching" if films else "completed",
        "source": export.source,
        "films_total": films,
        "upload_bytes": upload_bytes,
        "files": Jsonb([summary.as_json() for summary in export.files]),
    }


async def store_export(
    conn: AsyncConnection[DictRow], queries: Queries, export: Export, upload_bytes: int
) -> Session:
    """Store everything of the upload, queue its jobs and NOTIFY, all in one transaction.

    An upload of at most SMALL_ROWS rows (most are) is one statement on an autocommit connection:
    one round trip, no BEGIN or COMMIT, so no backend waits "idle in transaction" for the event
    loop. A bigger one streams each non-empty table with COPY. Returns the new session row. A
    session without films is completed at once and gets no NOTIFY.
    """
    rows = len(export.films) + export.diary.rows + export.reviews.rows + len(export.watchlist)
    if rows <= SMALL_ROWS:
        return await _store_small(conn, queries, export, upload_bytes)
    films = len(export.films)
    async with conn.transaction():
        cursor = await conn.execute(queries["insert_session"], _session_params(export, upload_bytes))
        session = await cursor.fetchone()
        assert session is not None  # INSERT ... RETURNING always returns the row
        if films:
            await _copy(conn, queries["copy_films"], _blocks(export.film_rows()))
        if export.diary.rows:
            await _copy(conn, queries["copy_diary_entries"], export.diary.blocks())
        if export.reviews.rows:
            await _copy(conn, queries["copy_reviews"], export.reviews.blocks())
        if export.watchlist:
            await _copy(conn, queries["copy_watchlist_entries"], _blocks(export.watchlist_rows()))
        if films:
            await conn.execute(
                queries["queue_session_jobs"],
                {"session_id": export.session_id, "chunk": CHUNK_FILMS, "films": films},
            )
    return session


async def _store_small(
    conn: AsyncConnection[DictRow], queries: Queries, export: Export, upload_bytes: int
) -> Session:
    params = {
        **_session_params(export, upload_bytes),
        "films": Jsonb(_rows(export.film_rows())),
        "diary": Jsonb(_rows(_buffer_lines(export.diary))),
        "reviews": Jsonb(_rows(_buffer_lines(export.reviews))),
        "watchlist": Jsonb(_rows(export.watchlist_rows())),
        "chunk": CHUNK_FILMS,
    }
    # One statement is its own transaction; inside a caller's transaction it is part of that.
    idle = conn.info.transaction_status == TransactionStatus.IDLE and not conn.autocommit
    if idle:
        await conn.set_autocommit(True)
    try:
        cursor = await conn.execute(queries["store_small_export"], params)
        session = await cursor.fetchone()
    finally:
        if idle:
            await conn.set_autocommit(False)
    assert session is not None  # the statement returns the session row
    return session


async def get_session(
    conn: AsyncConnection[DictRow], queries: Queries, session_id: uuid.UUID
) -> Session | None:
    """The session row, or None."""
    cursor = await conn.execute(queries["get_session"], {"id": session_id})
    return await cursor.fetchone()


async def delete_session(conn: AsyncConnection[DictRow], queries: Queries, session_id: uuid.UUID) -> bool:
    """Delete the session and all it holds; False when there was no such session."""
    cursor = await conn.execute(queries["delete_session"], {"id": session_id})
    return await cursor.fetchone() is not None


def session_json(row: Session) -> dict[str, Any]:
    """The session as the API returns it (see SPEC: GET /api/sessions/{id})."""
    matched, not_found, failed = row["films_matched"], row["films_not_found"], row["films_failed"]
    return {
        "id": str(row["id"]),
        "status": row["status"],
        "source": row["source"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
        "error": row["error"],
        "progress": {
            "total": row["films_total"],
            "done": matched + not_found + failed,
            "matched": matched,
            "not_found": not_found,
            "failed": failed,
        },
        "files": row["files"],
    }
