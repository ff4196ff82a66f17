"""The dates of NetflixViewingHistory.csv, written as the account's locale writes them.

Accepted (two-digit years are 20YY):
- month first with slashes, M/D/YY or M/D/YYYY: the United States;
- day first with slashes, D/M/YY or D/M/YYYY: the UK, Ireland, Australia, India, France, Spain,
  Italy, Brazil, most of Latin America...;
- day first with dots, D.M.YY or D.M.YYYY: Germany, Austria, Switzerland, the Nordics, Poland,
  Czechia, Russia, Turkey...; day first with dashes, D-M-YYYY: the Netherlands;
- year first, YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY. M. D.: Sweden, Japan, China, Korea...
Anything else (month names, other calendars, other digits) is refused, naming the line.

Slashes with the year last are read one way for the whole file: a first number above 12 means
day first, a second above 12 month first (both in one file is refused). When no date tells
(every number is 12 or less), the reading under which the rows are in date order wins (Netflix
lists the newest first); when both or neither reading is in order, month first is assumed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from api.letterboxd.fields import RowError

MONTH_FIRST, DAY_FIRST = "M/D/Y", "D/M/Y"
_YEAR_FIRST = re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})\.?$", re.ASCII)
_YEAR_LAST = re.compile(r"^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})\.?$", re.ASCII)
_FAMILY_OF_SEPARATOR = {"/": "slash", ".": "D.M.Y", "-": "D-M-Y"}
MIN_YEAR, MAX_YEAR = 1997, 2100  # Netflix was founded in 1997; later years are other calendars
SUPPORTED = "M/D/YY, D/M/YYYY, D.M.YY, D-M-YYYY or YYYY-MM-DD"
_ONLY_READING = {
    "Y-M-D": "dates that start with the year are always year, month, day",
    "D.M.Y": "dates with dots are always day first",
    "D-M-Y": "dates with dashes and the year last are always day first",
}


class DateProblem(RowError):
    """A date that cannot be read; `line` is where it (first) appears."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Order:
    """Whether a sequence of dates seen so far never goes up, or never goes down."""

    def __init__(self) -> None:
        self.previous: tuple[int, int, int] | None = None
        self.descending = self.ascending = True

    def see(self, key: tuple[int, int, int]) -> None:
        if self.previous is not None:
            self.descending &= key <= self.previous
            self.ascending &= key >= self.previous
        self.previous = key

    @property
    def ordered(self) -> bool:
        return self.descending or self.ascending


class NetflixDates:
    """The Date column of one file; `resolve()` gives ISO dates once every row is read."""

    def __init__(self) -> None:
        self._family: str | None = None
        self._family_line = 0
        # raw text -> (id, (a, b, year) as written or (year, month, day) for year first, line)
        self._known: dict[str, tuple[int, tuple[int, int, int], int]] = {}
        self._evidence: dict[str, int] = {}  # MONTH_FIRST/DAY_FIRST -> first line saying so
        self._order = {MONTH_FIRST: _Order(), DAY_FIRST: _Order()}

    def add(self, raw: str, line: int) -> int:
        """Note one row's date; returns its id for `resolve()`'s list. RowError if unreadable."""
        known = self._known.get(raw)
        if known is None:
            known = self._known[raw] = (len(self._known), self._parse(raw, line), line)
        a, b, year = known[1]
        if self._family == "slash":
            self._order[MONTH_FIRST].see((year, a, b))
            self._order[DAY_FIRST].see((year, b, a))
        return known[0]

    def resolve(self) -> tuple[list[str], dict[str, Any]]:
        """ISO dates by id, and how they were read ({"format", "why"}) for the files entry."""
        fmt, why = self._reading()
        days = [""] * len(self._known)
        for raw, (ident, (a, b, c), line) in self._known.items():
            year, month, day = (a, b, c) if fmt == "Y-M-D" else (c, a, b) if fmt == MONTH_FIRST else (c, b, a)
            try:
                days[ident] = date(year, month, day).isoformat()
            except ValueError:
                raise DateProblem(f"Date {raw!r} is not a real date when read as {fmt}", line) from None
        return days, {"format": fmt, "why": why}

    def _reading(self) -> tuple[str, str]:
        if self._family != "slash":
            fmt = self._family or "Y-M-D"
            return fmt, _ONLY_READING[fmt]
        for fmt in (DAY_FIRST, MONTH_FIRST):
            if fmt in self._evidence:
                place = "first" if fmt == DAY_FIRST else "second"
                return fmt, f"line {self._evidence[fmt]} has a {place} number above 12"
        month, day = self._order[MONTH_FIRST].ordered, self._order[DAY_FIRST].ordered
        if day and not month:
            return DAY_FIRST, "no day is above 12; read day first, the rows are in date order"
        if month and not day:
            return MONTH_FIRST, "no day is above 12; read month first, the rows are in date order"
        return MONTH_FIRST, "no day is above 12 and the rows' order does not tell; month first assumed"

    def _parse(self, raw: str, line: int) -> tuple[int, int, int]:
        text = raw.strip()
        if not text:
            raise RowError("the Date is empty")
        if match := _YEAR_FIRST.match(text):
            family = "Y-M-D"
            parts = (int(match.group(1)), int(match.group(3)), int(match.group(4)))
            year = parts[0]
        elif match := _YEAR_LAST.match(text):
            family = _FAMILY_OF_SEPARATOR[match.group(2)]
            year = int(match.group(4)) + (2000 if len(match.group(4)) == 2 else 0)
            parts = (int(match.group(1)), int(match.group(3)), year)
        else:
            raise RowError(
                f"Date {raw[:40]!r} is not written in a way reelstats reads ({SUPPORTED}); "
                "see the README for the Netflix languages it accepts"
            )
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise RowError(
                f"Date {raw!r} has the year {year}: only Gregorian dates from {MIN_YEAR} on are read"
            )
        if self._family is None:
            self._family, self._family_line = family, line
        elif family != self._family:
            raise RowError(
                f"Date {raw!r} is written differently from the date on line {self._family_line}; "
                "Netflix writes every date of a file the same way"
            )
        if family == "slash":
            self._weigh(raw, parts, line)
        return parts

    def _weigh(self, raw: str, parts: tuple[int, int, int], line: int) -> None:
        first, second, _ = parts
        if first > 12 and second > 12:
            raise RowError(f"Date {raw!r} has no month: both numbers are above 12")
        says = DAY_FIRST if first > 12 else MONTH_FIRST if second > 12 else None
        if says is None:
            return
        self._evidence.setdefault(says, line)
        other = MONTH_FIRST if says == DAY_FIRST else DAY_FIRST
        if other in self._evidence:
            raise RowError(
                f"Date {raw!r} must be read {says}, but line {self._evidence[other]}'s date only "
                f"reads {other}; a Netflix file writes every date the same way"
            )
