"""A film's page and the person's correction of its match.

`GET /api/sessions/{id}/films/{film_id}` shows the film with the candidates its search found;
`PUT …/match` takes `{"tmdb_id": 1640}`, `{"tmdb_url": "https://www.themoviedb.org/movie/1640-crash"}`
or `{"tmdb_id": null}` ("not on TMDB"). The API never asks TMDB: a chosen id is stored and a job
of one film queued (with its NOTIFY) in the same transaction, and a worker fetches the details
under the fleet's rate limit.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import ApiError, NotFound
from api.films import film_json, require_session
from api.services import services
from api.sessions import session_id_of

log = logging.getLogger("api.matches")
MAX_BODY_BYTES = 4096
CANDIDATE_FIELDS = ("tmdb_id", "title", "original_title", "release_date", "year", "fits")
MAX_TMDB_ID = 2**31 - 1
_TMDB_URL = re.compile(
    r"^https?://(?:www\.)?themoviedb\.org/movie/(?P<id>\d{1,10})(?:-[^/?#]*)?/?(?:\?[^#]*)?(?:#.*)?$",
    re.IGNORECASE,
)
_SHAPES = (
    'Send {"tmdb_id": 1640}, {"tmdb_url": "https://www.themoviedb.org/movie/1640-crash"} '
    'or {"tmdb_id": null} (the film is not on TMDB)'
)


def film_no_of(request: Request) -> int:
    """The film id in the path; anything but a film number names no film."""
    raw = str(request.path_params["film_id"])
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_TMDB_ID:
        return int(raw)
    raise NotFound("There is no film with this id in the session")


def parse_choice(body: bytes) -> int | None:
    """The TMDB id a match body names, None for "not on TMDB"; ApiError (400/422) otherwise."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(f"The body is not JSON. {_SHAPES}") from None
    if not isinstance(data, dict) or set(data) not in ({"tmdb_id"}, {"tmdb_url"}):
        raise ApiError(f"The body must have exactly one of tmdb_id or tmdb_url. {_SHAPES}", status=422)
    if "tmdb_url" in data:
        url = data["tmdb_url"]
        match = _TMDB_URL.match(url) if isinstance(url, str) else None
        if match is None:
            raise ApiError(
                "tmdb_url must be a TMDB film address such as https://www.themoviedb.org/movie/1640-crash",
                status=422,
            )
        chosen: object = int(match.group("id"))
    else:
        chosen = data["tmdb_id"]
        if chosen is None:
            return None
    if isinstance(chosen, bool) or not isinstance(chosen, int) or not 0 < chosen <= MAX_TMDB_ID:
        raise ApiError(f"tmdb_id must be a whole number from 1 to {MAX_TMDB_ID}, or null", status=422)
    return chosen


async def _small_body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise ApiError(f"The body is larger than {MAX_BODY_BYTES} bytes. {_SHAPES}", status=413)
    return body


def detail_json(row: dict[str, Any]) -> dict[str, Any]:
    """The film as its own page shows it: the list's fields plus cast, languages and candidates."""
    return {
        **film_json(row),
        "cast": row["cast_members"] or [],
        "languages": row["languages"] or [],
        "letterboxd_uri": row["letterboxd_uri"],
        "rating": float(row["rating"]) if row["rating"] is not None else None,
        "candidates": [
            {
                key: candidate.get(key)
                for key in ("tmdb_id", "title", "original_title", "release_date", "year", "fits")
            }
            for candidate in row["candidates"]
        ],
    }


async def read_film(request: Request) -> Response:
    """GET /api/sessions/{id}/films/{film_id}: the film and its candidates."""
    svc = services(request)
    session_id, film_no = session_id_of(request), film_no_of(request)
    async with svc.pool.connection() as conn:
        await require_session(conn, svc.queries, session_id)
        row = await (
            await conn.execute(svc.queries["get_film"], {"session_id": session_id, "film_no": film_no})
        ).fetchone()
    if row is None:
        raise NotFound("There is no film with this id in the session")
    return JSONResponse(detail_json(row))


async def choose_match(request: Request) -> Response:
    """PUT /api/sessions/{id}/films/{film_id}/match: the person's choice, final (202 + the film)."""
    svc = services(request)
    session_id, film_no = session_id_of(request), film_no_of(request)
    chosen = parse_choice(await _small_body(request))
    params = {"session_id": session_id, "film_no": film_no, "tmdb_id": chosen}
    async with svc.pool.connection() as conn:
        async with conn.transaction():
            session = await (await conn.execute(svc.queries["lock_session_for_match"], params)).fetchone()
            if session is None:
                raise NotFound("There is no session with this id")
            query = "choose_not_on_tmdb" if chosen is None else "choose_film_match"
            if await (await conn.execute(svc.queries[query], params)).fetchone() is None:
                raise NotFound("There is no film with this id in the session")
        row = await (await conn.execute(svc.queries["get_film"], params)).fetchone()
    if row is None:  # the session was deleted in the moment since
        raise NotFound("There is no film with this id in the session")
    log.info("match chosen", extra={"session": str(session_id), "film": film_no, "tmdb_id": chosen})
    return JSONResponse(detail_json(row), status_code=202)
