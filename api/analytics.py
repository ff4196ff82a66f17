"""GET /api/sessions/{id}/analytics: a session's statistics, computed in one SQL statement."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import NotFound
from api.languages import language_name
from api.services import services
from api.sessions import session_id_of

TOP = 100  # people in top_directors / top_actors / top_directors_by_hours


async def read_analytics(request: Request) -> Response:
    """The statistics of SPEC (and a few more); `"complete": false` while enriching."""
    svc = services(request)
    async with svc.pool.connection() as conn:
        cursor = await conn.execute(
            svc.queries["session_analytics"], {"session_id": session_id_of(request), "top": TOP}
        )
        row = await cursor.fetchone()
    if row is None:
        raise NotFound("There is no session with this id")
    analytics: dict[str, Any] = row["analytics"]
    analytics["original_languages"] = [
        {"name": language_name(entry["code"]), **entry} for entry in analytics["original_languages"]
    ]
    return JSONResponse(analytics)
