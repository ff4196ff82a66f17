"""Checking the cells of IMDb, Trakt and Netflix rows; each problem is a RowError sentence.

The reader adds the file and line (or item) to the sentence. Titles end up in PostgreSQL text
and COPY buffers, so they must be real text: no NUL, no lone surrogates from JSON escapes.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from api.letterboxd.fields import MAX_NAME_CHARS, MAX_YEAR, MIN_YEAR, RowError

_IMDB_ID = re.compile(r"^tt[0-9]{7,10}$")
# IMDb and Trakt rate 1-10; the service stores half stars, 0.5-5.
HALF_STARS = {points: f"{points / 2:g}" for points in range(1, 11)}


def shown(value: object) -> str:
    """A cell as quoted in a message, cut short when long."""
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def title(value: object, column: str) -> str:
    """A title: text, not blank, not absurdly long, storable; kept exactly as exported."""
    if not isinstance(value, str) or not value.strip():
        raise RowError(f"the {column} is empty")
    if len(value) > MAX_NAME_CHARS:
        raise RowError(f"the {column} is longer than {MAX_NAME_CHARS} characters")
    if "\x00" in value:
        raise RowError(f"the {column} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RowError(f"the {column} contains an invalid character (a lone surrogate)") from None
    return value


def year(value: object, column: str = "Year") -> int | None:
    """A release year from a CSV cell or a JSON number; empty or null is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise RowError(f"{column} {shown(value)} is not a year")
        value = int(text)
    if not isinstance(value, int) or isinstance(value, bool):
        raise RowError(f"{column} {shown(value)} is not a year")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise RowError(f"{column} {value} is not between {MIN_YEAR} and {MAX_YEAR}")
    return value


def imdb_id(value: object, column: str) -> str:
    """An IMDb title id such as tt0111161."""
    if not isinstance(value, str) or not _IMDB_ID.match(value.strip()):
        raise RowError(f"{column} {shown(value)} is not an IMDb title id like tt0111161")
    return value.strip()


def ten_point_rating(value: object, column: str) -> str:
    """A 1-10 rating (CSV text or JSON number) as half stars in COPY text: 7 becomes 3.5."""
    points = value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        points = int(value.strip())
    if isinstance(points, bool) or not isinstance(points, int) or points not in HALF_STARS:
        raise RowError(f"{column} {shown(value)} is not a whole number from 1 to 10")
    return HALF_STARS[points]


def utc_timestamp(value: object, column: str) -> str:
    """An ISO 8601 date and time (Trakt writes 2024-03-01T20:15:00.000Z) as UTC, ISO text."""
    if not isinstance(value, str) or not 10 < len(value) <= 40 or not value.isascii():
        raise RowError(f"{column} {shown(value)} is not a date and time like 2024-03-01T20:15:00.000Z")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RowError(
            f"{column} {shown(value)} is not a date and time like 2024-03-01T20:15:00.000Z"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise RowError(f"{column} {shown(value)} is not between {MIN_YEAR} and {MAX_YEAR}")
    return moment.replace(tzinfo=None).isoformat()
