"""GET /api/sessions/{id}/films (keyset pages) and POST /api/sessions/{id}/retry."""

from __future__ import annotations

import base64
import binascii
import logging
import uuid
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import DictRow
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api import store
from api.errors import ApiError, NotFound
from api.filters import film_filters
from api.services import services
from api.sessions import session_id_of
from common.sqlfiles import Queries

log = logging.getLogger("api.films")
STATUSES = ("pending", "matched", "not_found", "failed")
DEFAULT_LIMIT, MAX_LIMIT = 100, 500


def encode_cursor(film_no: int) -> str:
    """An opaque cursor for the page after `film_no`."""
    return base64.urlsafe_b64encode(f"f{film_no}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The film number a cursor continues after; ApiError when it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if text.startswith("f") and text[1:].isdigit():
            return int(text[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ApiError("The cursor is not valid: use the next_cursor of the previous page")


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def film_json(row: dict[str, Any]) -> dict[str, Any]:
    """A film as the API shows it in lists (SPEC: GET /api/sessions/{id}/films)."""
    return {
        "id": row["film_no"],
        "name": row["name"],
        "year": row["year"],
        "status": row["status"],
        "tmdb_id": row["tmdb_id"],
        "title": row["title"],
        "original_title": row["original_title"],
        "original_language": row["original_language"],
        "release_date": row["release_date"],
        "runtime": row["runtime"],
        "genres": row["genres"] or [],
        "directors": row["directors"] or [],
        "countries": row["countries"] or [],
        "match_rule": row["match_rule"],
        "alternatives": row["alternatives"],
        "error": row["error"],
    }


async def require_session(conn: AsyncConnection[DictRow], queries: Queries, session_id: uuid.UUID) -> None:
    """404 unless the session exists (a film path of an unknown session is not an empty list)."""
    found = await (await conn.execute(queries["session_exists"], {"session_id": session_id})).fetchone()
    if found is None:
        raise NotFound("There is no session with this id")


async def list_films(request: Request) -> Response:
    """One page of films in export order, those behind a chart's bar when filtered (see
    api/filters.py); `next_cursor` is null on the last page."""
    svc = services(request)
    session_id = session_id_of(request)
    status = request.query_params.get("status") or None
    if status is not None and status not in STATUSES:
        raise ApiError(f"status must be one of {', '.join(STATUSES)}")
    limit = _limit(request.query_params.get("limit"))
    cursor = request.query_params.get("cursor")
    after = decode_cursor(cursor) if cursor else 0
    filters = film_filters(request.query_params)
    async with svc.pool.connection() as conn:
        await require_session(conn, svc.queries, session_id)
        await conn.execute(svc.queries["count_session_watches"], {"session_id": session_id})
        await conn.execute(svc.queries["prefer_hash_joins"])
        # Never prepared: planned with the actual filters, those not given drop out of the plan.
        result = await conn.execute(
            svc.queries["list_films"],
            {"session_id": session_id, "after": after, "status": status, "limit": limit, **filters},
            prepare=False,
        )
        rows = await result.fetchall()
    page, more = rows[:limit], len(rows) > limit
    return JSONResponse(
        {
            "films": [{**film_json(row), **_watch_json(row)} for row in page],
            "next_cursor": encode_cursor(page[-1]["film_no"]) if more else None,
        }
    )


def _watch_json(row: dict[str, Any]) -> dict[str, Any]:
    """What a drill-down list shows beside the film: its rating and its watches (those that meet
    the watch filters), the latest one's date."""
    return {"rating": row["rating"], "watches": row["watches"], "last_watched": row["last_watched"]}


async def retry_films(request: Request) -> Response:
    """Re-queue the session's not_found and failed films (202 with the session)."""
    svc = services(request)
    session_id = session_id_of(request)
    async with svc.pool.connection() as conn:
        cursor = await conn.execute(
            svc.queries["retry_session"], {"session_id": session_id, "chunk": store.CHUNK_FILMS}
        )
        retried = await cursor.fetchone()
        row = await store.get_session(conn, svc.queries, session_id)
    if row is None:
        raise NotFound("There is no session with this id")
    if retried is None:
        raise ApiError("The session is still being enriched; retry once it has finished", status=409)
    log.info("retry queued", extra={"session": str(session_id), "films": retried["retried"]})
    return JSONResponse(store.session_json(row), status_code=202)
