"""The drill-down filters of GET /api/sessions/{id}/films: which films sit behind a chart's bar.

Each filter matches one chart of the analytics, so that the films listed are the bar's films:
`genre`, `director`, `actor`, `country`, `language` (spoken), `original_language` (code),
`decade` and `release_year` (the export's Year) and `runtime` (short, feature, long) count
matched films; `rating` counts films by their rating; the watch filters `watched_year`,
`watched_month` (YYYY-MM), `watched_week` (YYYY-Www, ISO), `watched_on` (YYYY-MM-DD) and
`weekday` (ISO, 1 = Monday) keep the films with a watch that meets all of them at once.
`has_alternatives` (true or false) keeps the films whose match other TMDB films fit as well: the
page's "Check your matches". Filters combine with AND; a bad value is a 400 naming the parameter.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from starlette.datastructures import QueryParams

from api.analytics import LONG_MIN_MINUTES, SHORT_MAX_MINUTES
from api.errors import ApiError

NAMES = ("genre", "director", "actor", "country", "language", "original_language")
MAX_NAME = 300
RUNTIMES = {
    "short": (1, SHORT_MAX_MINUTES),
    "feature": (SHORT_MAX_MINUTES + 1, LONG_MIN_MINUTES - 1),
    "long": (LONG_MIN_MINUTES, None),
}
# Half stars as the ratings chart has them: "0.5" … "5", whole ones also as "4.0".
RATINGS = {f"{halves / 2:g}": halves / 2 for halves in range(1, 11)} | {
    f"{halves / 2:.1f}": halves / 2 for halves in range(1, 11)
}
BOOLEANS = {"true": True, "false": False}
_DIGITS = re.compile(r"[0-9]{1,4}")
_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _year(query: QueryParams, name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    if not _YEAR.fullmatch(raw) or int(raw) < 1:
        raise ApiError(f"{name} must be a four-digit year such as 2023")
    return int(raw)


def _month(raw: str) -> tuple[date, date]:
    match = _MONTH.fullmatch(raw)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise ApiError("watched_month must be a month such as 2023-07")
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week(raw: str) -> tuple[date, date]:
    match = _WEEK.fullmatch(raw)
    try:
        if not match:
            raise ValueError(raw)
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ApiError("watched_week must be an ISO week such as 2023-W07") from None
    return monday, monday + timedelta(days=6)


def _day(raw: str) -> tuple[date, date]:
    try:
        if not _DAY.fullmatch(raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError:
        raise ApiError("watched_on must be a date such as 2023-07-14") from None
    return day, day


def _watch_range(query: QueryParams) -> tuple[date | None, date | None]:
    """The dates a watch must fall on: the intersection of every date filter given (may be empty)."""
    ranges = []
    year = _year(query, "watched_year")
    if year is not None:
        ranges.append((date(year, 1, 1), date(year, 12, 31)))
    for name, parse in (("watched_month", _month), ("watched_week", _week), ("watched_on", _day)):
        raw = query.get(name)
        if raw is not None:
            ranges.append(parse(raw))
    if not ranges:
        return None, None
    return max(first for first, _ in ranges), min(last for _, last in ranges)


def _small_int(query: QueryParams, name: str, low: int, high: int, message: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
        raise ApiError(f"{name} must be {message}")
    return int(raw)


def _boolean(query: QueryParams, name: str) -> bool | None:
    raw = query.get(name)
    if raw is None:
        return None
    if raw not in BOOLEANS:
        raise ApiError(f"{name} must be true or false")
    return BOOLEANS[raw]


def film_filters(query: QueryParams) -> dict[str, Any]:
    """The list_films query's filter parameters (None: not filtered) from the query string."""
    params: dict[str, Any] = {}
    for name in NAMES:
        value = query.get(name)
        if value is not None and not 0 < len(value) <= MAX_NAME:
            raise ApiError(f"{name} must be a name of 1 to {MAX_NAME} characters")
        params[name] = value
    decade = _small_int(query, "decade", 1000, 9990, "a decade such as 1990")
    if decade is not None and decade % 10:
        raise ApiError("decade must be a decade such as 1990")
    params["decade"] = decade
    params["release_year"] = _year(query, "release_year")
    rating = query.get("rating")
    if rating is not None and rating not in RATINGS:
        raise ApiError("rating must be a rating from 0.5 to 5 in half stars, such as 3.5")
    params["rating"] = RATINGS[rating] if rating is not None else None
    runtime = query.get("runtime")
    if runtime is not None and runtime not in RUNTIMES:
        raise ApiError(f"runtime must be one of {', '.join(RUNTIMES)}")
    params["runtime_min"], params["runtime_max"] = RUNTIMES[runtime] if runtime else (None, None)
    params["watched_first"], params["watched_last"] = _watch_range(query)
    params["weekday"] = _small_int(query, "weekday", 1, 7, "an ISO weekday from 1 (Monday) to 7 (Sunday)")
    params["by_watch"] = params["watched_first"] is not None or params["weekday"] is not None
    params["has_alternatives"] = _boolean(query, "has_alternatives")
    params["tally_year"] = _tally_year(query, params)
    return params


def _tally_year(query: QueryParams, params: dict[str, Any]) -> int | None:
    """The kept counts per film that answer these filters: -1 (all watches) without watch filters,
    the year with `watched_year` alone; None when finer filters need the watches day by day."""
    if not params["by_watch"]:
        return -1
    only_year = not any(query.get(name) for name in ("watched_month", "watched_week", "watched_on"))
    if only_year and params["weekday"] is None:
        return int(query["watched_year"])
    return None
