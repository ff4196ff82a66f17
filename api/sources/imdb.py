"""IMDb's exports: the ratings CSV (rated titles are watches) and list/watchlist CSVs (titles to watch).

Both come in two header versions: since 2024 with an `Original Title` column (and, in lists,
`Your Rating` and `Date Rated`), before without. A film is its Const (tt id); its name and
year are the export's Title and Year. Ratings are 1-10 and become half stars (7 is 3.5).
"""

from __future__ import annotations

from collections import Counter

from api.letterboxd.export import Export, FileSummary
from api.letterboxd.fields import FieldParser, RowError
from api.letterboxd.reader import CsvFile
from api.sources import cells
from api.sources.imdb_types import title_type
from api.sources.watches import WatchLog, film_for

RATINGS = "ratings"
LIST = "list"
_COMMON = (
    "Const",
    "Title",
    "URL",
    "Title Type",
    "IMDb Rating",
    "Runtime (mins)",
    "Year",
    "Genres",
    "Num Votes",
    "Release Date",
    "Directors",
)
REQUIRED = {
    RATINGS: frozenset(("Your Rating", "Date Rated", *_COMMON)),
    LIST: frozenset(("Position", "Created", "Modified", "Description", *_COMMON)),
}
OPTIONAL = {
    RATINGS: frozenset({"Original Title"}),
    LIST: frozenset({"Original Title", "Your Rating", "Date Rated"}),
}


def kind_of(header: list[str]) -> str | None:
    """ "ratings" or "list" when the header is one of IMDb's export headers, else None."""
    columns = frozenset(header)
    if len(columns) != len(header):
        return None
    for kind, required in REQUIRED.items():
        if required <= columns <= required | OPTIONAL[kind]:
            return kind
    return None


def header_problem(name: str, header: list[str]) -> str | None:
    """Why a header that looks like IMDb's is not one of its exports; None if it is not IMDb-like."""
    columns = set(header)
    if "Const" not in columns:
        return None
    kind = LIST if "Position" in columns else RATINGS
    missing = sorted(REQUIRED[kind] - columns)
    unknown = sorted(columns - REQUIRED[kind] - OPTIONAL[kind])
    detail = []
    if missing:
        detail.append("it lacks " + ", ".join(repr(column) for column in missing[:5]))
    if unknown:
        detail.append("it has " + ", ".join(repr(column[:40]) for column in unknown[:5]))
    if len(columns) != len(header):
        detail.append("it names a column twice")
    return (
        f"{name} looks like an IMDb {kind} export, but {' and '.join(detail)}; upload the CSV "
        "as IMDb exports it (Your Ratings or a list → Export)"
    )


class ImdbReader:
    """Adds IMDb files to the upload's Export: rated films with one watch each, list titles."""

    def __init__(self, export: Export) -> None:
        self.export = export
        self._dates = FieldParser()
        self._watches = WatchLog()
        self._rated_on_line: dict[str, int] = {}

    def add_file(self, csv_file: CsvFile, kind: str, summary: FileSummary) -> None:
        """Read every row of an IMDb file of `kind`, counting the titles that are not films."""
        columns = {name: index for index, name in enumerate(csv_file.header)}
        skipped: Counter[str] = Counter()
        for row in csv_file:
            try:
                const = cells.imdb_id(row.cells[columns["Const"]], "Const")
                type_name, is_film = title_type(row.cells[columns["Title Type"]])
                if not is_film:
                    skipped[type_name] += 1
                elif kind == RATINGS:
                    self._rated(const, columns, row.cells, row.line)
                else:
                    self._listed(columns, row.cells)
            except RowError as problem:
                raise csv_file.error(row.line, str(problem)) from None
            summary.rows += 1
        summary.skipped.update(skipped)

    def finish(self) -> None:
        """Write the watches (one per rated film, dated by Date Rated) into the diary."""
        self._watches.write(self.export)

    def _rated(self, const: str, columns: dict[str, int], row: list[str], line: int) -> None:
        first = self._rated_on_line.setdefault(const, line)
        if first != line:
            raise RowError(f"{const} is rated twice (also on line {first}); IMDb lists each title once")
        name = cells.title(row[columns["Title"]], "Title")
        film = film_for(self.export, ("imdb", const), name, cells.year(row[columns["Year"]]))
        film.imdb_id = const
        film.rating = cells.ten_point_rating(row[columns["Your Rating"]], "Your Rating")
        film.rated_on = self._dates.date(row[columns["Date Rated"]], "Date Rated")
        self._watches.add(film.film_no, film.rated_on, film.rating)

    def _listed(self, columns: dict[str, int], row: list[str]) -> None:
        name = cells.title(row[columns["Title"]], "Title")
        year = cells.year(row[columns["Year"]])
        added_on = self._dates.date(row[columns["Created"]], "Created")
        self.export.watchlist.setdefault((name, year), (None, added_on))
