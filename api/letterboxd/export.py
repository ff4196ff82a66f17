"""Merging the files of one upload into films, watches and watchlist titles, ready for COPY.

Films merge on (Name, Year) across all files. A diary or review row's Letterboxd URI is the
entry's own, so it is stored with the entry and never used to identify the film.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from api.letterboxd import copytext
from api.letterboxd.fields import FieldParser, RowError
from api.letterboxd.kinds import Kind
from api.letterboxd.reader import CsvFile, Row
from common.titles import title_key

# Letterboxd and Netflix films are their (Name, Year); other sources key films by their ids.
FilmKey = tuple[str | int | None, ...]
TitleKey = tuple[str, int | None]
_SPOOL_BYTES = 8 * 1024 * 1024
_BLOCK_BYTES = 1024 * 1024
_FLUSH_ROWS = 4096


@dataclass(slots=True)
class Film:
    """One watched film of the upload; dates and rating are COPY-encoded text."""

    film_no: int
    name: str
    year: int | None
    uri: str | None = None
    watched_on: str = copytext.NULL
    liked_on: str = copytext.NULL
    rating: str = copytext.NULL
    rated_on: str = copytext.NULL
    imdb_id: str | None = None
    source_tmdb_id: int | None = None

    def copy_row(self, session: str) -> str:
        """The film as a line of COPY text, in the column order of the `copy_films` query."""
        year = copytext.NULL if self.year is None else str(self.year)
        tmdb = copytext.NULL if self.source_tmdb_id is None else str(self.source_tmdb_id)
        return (
            f"{session}\t{self.film_no}\t{copytext.field(self.name)}\t{year}\t"
            f"{copytext.field(self.uri)}\t{self.watched_on}\t{self.liked_on}\t"
            f"{self.rating}\t{self.rated_on}\t{copytext.field(self.imdb_id)}\t{tmdb}\t"
            f"{copytext.field(title_key(self.name))}\n"
        )


class CopyBuffer:
    """Rows in COPY text format, spooled to disk past a few MB so a big diary costs little memory."""

    def __init__(self) -> None:
        self.rows = 0
        self._pending: list[str] = []
        self._file = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115

    def add(self, line: str) -> None:
        """Append one COPY line (ending in a newline)."""
        self.rows += 1
        self._pending.append(line)
        if len(self._pending) >= _FLUSH_ROWS:
            self._flush()

    def blocks(self) -> Iterator[bytes]:
        """The buffered bytes in blocks of about a megabyte."""
        self._flush()
        self._file.seek(0)
        while block := self._file.read(_BLOCK_BYTES):
            yield block

    def close(self) -> None:
        """Drop the spooled data."""
        self._file.close()

    def _flush(self) -> None:
        if self._pending:
            self._file.write("".join(self._pending).encode("utf-8"))
            self._pending.clear()


@dataclass
class FileSummary:
    """What one uploaded file turned out to be, for the session's `files` list.

    `skipped` counts rows that are not films by reason (IMDb series, Netflix episodes...);
    `extra` holds what a source adds about the file (Netflix profiles or date format).
    """

    name: str
    kind: str
    rows: int = 0
    reason: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The summary as stored in upload_sessions.files and returned by the API."""
        data: dict[str, Any] = {"name": self.name, "kind": self.kind, "rows": self.rows}
        if self.reason:
            data["reason"] = self.reason
        if self.skipped:
            data["skipped"] = dict(sorted(self.skipped.items()))
        data.update(self.extra)
        return data


@dataclass
class Export:
    """Everything one upload holds, merged and validated, waiting to be stored."""

    session_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str = "letterboxd"
    films: dict[FilmKey, Film] = field(default_factory=dict)
    watchlist: dict[TitleKey, tuple[str | None, str]] = field(default_factory=dict)
    diary: CopyBuffer = field(default_factory=CopyBuffer)
    reviews: CopyBuffer = field(default_factory=CopyBuffer)
    files: list[FileSummary] = field(default_factory=list)

    def film_rows(self) -> Iterator[str]:
        """COPY lines of the films table."""
        session = str(self.session_id)
        for film in self.films.values():
            yield film.copy_row(session)

    def watchlist_rows(self) -> Iterator[str]:
        """COPY lines of the watchlist_entries table."""
        session = str(self.session_id)
        for number, ((name, year), (uri, added_on)) in enumerate(self.watchlist.items(), 1):
            year_text = copytext.NULL if year is None else str(year)
            yield (
                f"{session}\t{number}\t{copytext.field(name)}\t{year_text}\t"
                f"{copytext.field(uri)}\t{added_on}\n"
            )

    def close(self) -> None:
        """Release the spooled buffers."""
        self.diary.close()
        self.reviews.close()


class ExportBuilder:
    """Adds the rows of each recognised file to an Export, validating every cell."""

    def __init__(self, export: Export | None = None) -> None:
        self.export = Export() if export is None else export
        self._session = str(self.export.session_id)
        self._cells = FieldParser()
        self._handlers: dict[Kind, Callable[[dict[str, int], list[str]], None]] = {
            Kind.WATCHED: self._watched,
            Kind.DIARY: self._diary,
            Kind.RATINGS: self._ratings,
            Kind.REVIEWS: self._reviews,
            Kind.LIKES: self._likes,
            Kind.WATCHLIST: self._watchlist,
        }

    def add_file(self, csv_file: CsvFile, kind: Kind) -> int:
        """Add every row of a file of the given kind; returns how many rows it had."""
        columns = {name: index for index, name in enumerate(csv_file.header)}
        handle = self._handlers[kind]
        rows = 0
        row: Row
        for row in csv_file:
            try:
                handle(columns, row.cells)
            except RowError as problem:
                raise csv_file.error(row.line, str(problem)) from None
            rows += 1
        return rows

    def _film(self, columns: dict[str, int], cells: list[str]) -> Film:
        name = self._cells.name(cells[columns["Name"]])
        year = self._cells.year(cells[columns["Year"]])
        films = self.export.films
        film = films.get((name, year))
        if film is None:
            film = films[(name, year)] = Film(len(films) + 1, name, year)
        return film

    def _film_uri(self, film: Film, columns: dict[str, int], cells: list[str]) -> None:
        if film.uri is None:
            film.uri = self._cells.uri(cells[columns["Letterboxd URI"]])

    def _watched(self, columns: dict[str, int], cells: list[str]) -> None:
        film = self._film(columns, cells)
        watched_on = self._cells.date(cells[columns["Date"]], "Date")
        if film.watched_on == copytext.NULL or watched_on < film.watched_on:
            film.watched_on = watched_on
        self._film_uri(film, columns, cells)

    def _likes(self, columns: dict[str, int], cells: list[str]) -> None:
        film = self._film(columns, cells)
        film.liked_on = self._cells.date(cells[columns["Date"]], "Date")
        self._film_uri(film, columns, cells)

    def _ratings(self, columns: dict[str, int], cells: list[str]) -> None:
        film = self._film(columns, cells)
        rated_on = self._cells.date(cells[columns["Date"]], "Date")
        rating = self._cells.rating(cells[columns["Rating"]], required=True)
        # A film rated twice keeps its latest rating (ISO dates compare correctly as text).
        newer = rated_on != copytext.NULL and (film.rated_on == copytext.NULL or rated_on >= film.rated_on)
        if film.rating == copytext.NULL or newer:
            film.rating, film.rated_on = rating, rated_on
        self._film_uri(film, columns, cells)

    def _entry_columns(self, columns: dict[str, int], cells: list[str]) -> str:
        cell = self._cells
        return (
            f"{cell.date(cells[columns['Date']], 'Date')}\t"
            f"{cell.date(cells[columns['Watched Date']], 'Watched Date')}\t"
            f"{cell.rating(cells[columns['Rating']])}\t"
            f"{cell.rewatch(cells[columns['Rewatch']])}"
        )

    def _diary(self, columns: dict[str, int], cells: list[str]) -> None:
        film = self._film(columns, cells)
        diary = self.export.diary
        diary.add(
            f"{self._session}\t{diary.rows + 1}\t{film.film_no}\t"
            f"{self._entry_columns(columns, cells)}\t"
            f"{self._cells.tags(cells[columns['Tags']])}\t"
            f"{copytext.field(self._cells.uri(cells[columns['Letterboxd URI']]))}\n"
        )

    def _reviews(self, columns: dict[str, int], cells: list[str]) -> None:
        film = self._film(columns, cells)
        reviews = self.export.reviews
        reviews.add(
            f"{self._session}\t{reviews.rows + 1}\t{film.film_no}\t"
            f"{self._entry_columns(columns, cells)}\t"
            f"{copytext.field(cells[columns['Review']])}\t"
            f"{self._cells.tags(cells[columns['Tags']])}\t"
            f"{copytext.field(self._cells.uri(cells[columns['Letterboxd URI']]))}\n"
        )

    def _watchlist(self, columns: dict[str, int], cells: list[str]) -> None:
        name = self._cells.name(cells[columns["Name"]])
        year = self._cells.year(cells[columns["Year"]])
        added_on = self._cells.date(cells[columns["Date"]], "Date")
        uri = self._cells.uri(cells[columns["Letterboxd URI"]])
        self.export.watchlist.setdefault((name, year), (uri, added_on))
