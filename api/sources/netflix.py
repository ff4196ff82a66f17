"""Netflix's viewing histories: NetflixViewingHistory.csv (Title, Date; one profile, from the
account page) and ViewingActivity.csv (one row per playback of every profile, from the full
data request).

A film is its Title: Netflix gives no year. Episodes ("Show: Season 2: Episode Title") and
supplemental videos (trailers, teasers, previews, recaps) are skipped and counted. A film watched
on one day, in one sitting or in several, by one profile or several, is one watch that day.
"""

from __future__ import annotations

import re
from collections import Counter

from api.errors import BadUpload
from api.letterboxd.export import Export, FileSummary
from api.letterboxd.fields import FieldParser, RowError
from api.letterboxd.reader import CsvFile
from api.sources import cells
from api.sources.netflix_dates import DateProblem, NetflixDates
from api.sources.watches import WatchLog, film_for

VIEWING_HISTORY = "viewing_history"
VIEWING_ACTIVITY = "viewing_activity"
HISTORY_COLUMNS = frozenset({"Title", "Date"})
ACTIVITY_REQUIRED = frozenset({"Profile Name", "Start Time", "Duration", "Title", "Supplemental Video Type"})
ACTIVITY_OPTIONAL = frozenset({"Attributes", "Device Type", "Bookmark", "Latest Bookmark", "Country"})
MAX_PROFILES = 50  # an account has at most five; more means the file is not Netflix's
# A middle part of "Show: Season 2: Episode" that names a season, part or volume (also as Netflix
# writes it in other languages). "Kill Bill: Vol. 1" and "Dune: Part Two" have no middle part.
_CONTAINER = re.compile(
    r"^(season|series|part|volume|vol\.?|chapter|book|collection|limited series|mini-?series|"
    r"temporada|staffel|saison|stagione|seizoen|sezon|säsong|sæson|sesong|kausi|parte|teil|partie|deel)"
    r"(?=[\s\d]|$)",
    re.IGNORECASE,
)
_EPISODE_NUMBER = re.compile(r"\(Episode \d+\)\s*$", re.IGNORECASE)
_START = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", re.ASCII)
_DURATION = re.compile(r"^\d{1,3}:\d{2}:\d{2}$", re.ASCII)


def kind_of(header: list[str]) -> str | None:
    """ "viewing_history" or "viewing_activity" for Netflix's headers, else None."""
    columns = frozenset(header)
    if len(columns) != len(header):
        return None
    if columns == HISTORY_COLUMNS:
        return VIEWING_HISTORY
    if ACTIVITY_REQUIRED <= columns <= ACTIVITY_REQUIRED | ACTIVITY_OPTIONAL:
        return VIEWING_ACTIVITY
    return None


def header_problem(name: str, header: list[str]) -> str | None:
    """Why a Netflix-like header is not one of Netflix's files; None when it is not Netflix-like."""
    columns = set(header)
    if "Profile Name" not in columns and not ("Title" in columns and "Date" in columns):
        return None
    return (
        f"{name} looks like a Netflix viewing history, but its columns ({', '.join(header)[:200]}) are "
        "neither NetflixViewingHistory.csv's (Title, Date) nor ViewingActivity.csv's "
        f"({', '.join(sorted(ACTIVITY_REQUIRED))}, …)"
    )


def is_episode(title: str) -> bool:
    """True for Netflix's episode titles: "Show: Season 2: Episode", "Show: Part 1: …"."""
    parts = [part.strip() for part in title.split(":")]
    return any(_CONTAINER.match(part) for part in parts[1:-1]) or bool(_EPISODE_NUMBER.search(title))


class NetflixReader:
    """Adds Netflix files to the upload's Export: films by title, one watch per film and day."""

    def __init__(self, export: Export) -> None:
        self.export = export
        self._days: set[tuple[int, str]] = set()
        self._kinds: dict[str, str] = {}
        self._dates = FieldParser()

    def add_file(self, csv_file: CsvFile, kind: str, summary: FileSummary) -> None:
        """Read every row of a Netflix file of `kind`, counting episodes and supplemental videos."""
        other = VIEWING_ACTIVITY if kind == VIEWING_HISTORY else VIEWING_HISTORY
        if other in self._kinds:
            raise BadUpload(
                f"The upload holds both {self._kinds[other]} and {csv_file.name}, which list the same "
                "viewings (one in your time zone, one in UTC); upload one of them"
            )
        if kind == VIEWING_ACTIVITY and kind in self._kinds:
            raise BadUpload(
                f"The upload holds two ViewingActivity files ({self._kinds[kind]} and {csv_file.name}); "
                "each already lists every profile, so upload one"
            )
        self._kinds.setdefault(kind, csv_file.name)
        if kind == VIEWING_HISTORY:
            self._history(csv_file, summary)
        else:
            self._activity(csv_file, summary)

    def finish(self) -> None:
        """Write one watch per film and viewing day into the diary."""
        watches = WatchLog()
        for film_no, day in sorted(self._days, key=lambda watch: (watch[1], watch[0])):
            watches.add(film_no, day)
        watches.write(self.export)

    def _film(self, name: str, skipped: Counter[str]) -> int | None:
        if is_episode(name):
            skipped["episode"] += 1
            return None
        return film_for(self.export, (name, None), name, None).film_no

    def _history(self, csv_file: CsvFile, summary: FileSummary) -> None:
        title, date = csv_file.header.index("Title"), csv_file.header.index("Date")
        dates = NetflixDates()
        viewed: set[tuple[int, int]] = set()
        skipped: Counter[str] = Counter()
        for row in csv_file:
            try:
                name = cells.title(row.cells[title], "Title")
                date_id = dates.add(row.cells[date], row.line)
            except RowError as problem:
                raise csv_file.error(row.line, str(problem)) from None
            summary.rows += 1
            film_no = self._film(name, skipped)
            if film_no is not None:
                viewed.add((film_no, date_id))
        try:
            days, how = dates.resolve()
        except DateProblem as problem:
            raise csv_file.error(problem.line, str(problem)) from None
        self._days.update((film_no, days[date_id]) for film_no, date_id in viewed)
        summary.skipped.update(skipped)
        summary.extra["dates"] = how

    def _activity(self, csv_file: CsvFile, summary: FileSummary) -> None:
        column = {name: index for index, name in enumerate(csv_file.header)}
        profiles: Counter[str] = Counter()
        skipped: Counter[str] = Counter()
        for row in csv_file:
            cell = row.cells
            try:
                profile = cells.title(cell[column["Profile Name"]], "Profile Name")
                day = self._start_day(cell[column["Start Time"]])
                if not _DURATION.match(cell[column["Duration"]].strip()):
                    raise RowError(f"Duration {cells.shown(cell[column['Duration']])} is not like 01:42:07")
                name = cells.title(cell[column["Title"]], "Title")
                profiles[profile] += 1
                if len(profiles) > MAX_PROFILES:
                    raise RowError(
                        f"it names a {MAX_PROFILES + 1}st profile; a Netflix account has at most 5"
                    )
            except RowError as problem:
                raise csv_file.error(row.line, str(problem)) from None
            summary.rows += 1
            supplemental = cell[column["Supplemental Video Type"]].strip()
            if supplemental:
                skipped["trailer" if "TRAILER" in supplemental.upper() else "supplemental video"] += 1
            elif (film_no := self._film(name, skipped)) is not None:
                self._days.add((film_no, day))
        summary.skipped.update(skipped)
        summary.extra["profiles"] = [{"name": name, "rows": rows} for name, rows in sorted(profiles.items())]

    def _start_day(self, value: str) -> str:
        """The UTC day of a Start Time (Netflix writes 2024-03-01 20:15:00, in UTC)."""
        text = value.strip()
        if not _START.match(text):
            raise RowError(f"Start Time {cells.shown(value)} is not a date and time like 2024-03-01 20:15:00")
        return self._dates.date(text[:10], "Start Time")
