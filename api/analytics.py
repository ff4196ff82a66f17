"""GET /api/sessions/{id}/analytics[?year=YYYY]: a session's statistics, computed in SQL.

One transaction: the session's watches are counted (only the first time: count_session_watches
keeps the counts), then one statement computes everything from those counts and the films.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import ApiError, NotFound
from api.languages import language_name
from api.services import services
from api.sessions import session_id_of

TOP = 100  # people in the rankings of people
MIN_RATED = 3  # rated films a person needs to be ranked by average rating
# Runtime spread: short films up to 40 minutes (the Academy's definition), long ones from 150.
SHORT_MAX_MINUTES, LONG_MIN_MINUTES = 40, 150
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Period:
    """The watches a view covers: all of them (year None), or those dated in one calendar year."""

    year: int | None = None

    @property
    def params(self) -> dict[str, Any]:
        """The query parameters: the year and its first and last day (all None: all time)."""
        if self.year is None:
            return {"year": None, "first": None, "last": None}
        return {"year": self.year, "first": date(self.year, 1, 1), "last": date(self.year, 12, 31)}


def parse_year(raw: str | None) -> Period:
    """The period of `?year=`: absent means all time; anything but a four-digit year is a 400."""
    if raw is None:
        return Period()
    if not _YEAR.fullmatch(raw) or int(raw) < 1:
        raise ApiError("year must be a four-digit year such as 2023")
    return Period(int(raw))


async def read_analytics(request: Request) -> Response:
    """The statistics of SPEC (and more), all time or for `?year=`; `"complete": false` while enriching."""
    period = parse_year(request.query_params.get("year"))
    svc = services(request)
    params = {
        "session_id": session_id_of(request),
        "top": TOP,
        "min_rated": MIN_RATED,
        "short_max": SHORT_MAX_MINUTES,
        "long_min": LONG_MIN_MINUTES,
        **period.params,
    }
    async with svc.pool.connection() as conn:  # one transaction: the counts, then the statistics
        await conn.execute(svc.queries["count_session_watches"], {"session_id": params["session_id"]})
        await conn.execute(svc.queries["prefer_hash_joins"])
        # Never a prepared statement: planned with the actual parameters, a view's conditions on
        # the year fold away or become index ranges.
        cursor = await conn.execute(svc.queries["session_analytics"], params, prepare=False)
        row = await cursor.fetchone()
    if row is None:
        raise NotFound("There is no session with this id")
    analytics: dict[str, Any] = row["analytics"]
    analytics["original_languages"] = [
        {"name": language_name(entry["code"]), **entry} for entry in analytics["original_languages"]
    ]
    return JSONResponse(analytics)
