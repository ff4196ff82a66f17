"""Streaming a CSV of the export row by row, refusing what an export would never hold.

The file is decoded and split incrementally: memory stays bounded by the longest allowed line
(64 KiB), whatever the size of the file.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from api.errors import BadUpload

MAX_LINE_BYTES = 64 * 1024
MAX_COLUMNS = 32
MAX_KNOWN_COLUMNS = 18  # IMDb's list export; Letterboxd's largest file has 9, Netflix's 10


@dataclass(frozen=True)
class Row:
    """One record: the physical line it starts on and its cells."""

    line: int
    cells: list[str]


class CsvFile:
    """A CSV stream with its header read; iterate for the rows that follow it."""

    def __init__(self, raw: BinaryIO, name: str) -> None:
        self.name = name
        self._line = 0
        self._raw = raw
        self._records = csv.reader(self._lines(), strict=True)
        first = self._next_record()
        if first is None:
            raise BadUpload(f"{name} is empty: upload the files of your export as downloaded")
        self.header_line = first.line
        self.header = [cell.strip() for cell in first.cells]
        if len(self.header) > MAX_COLUMNS:
            raise BadUpload(
                f"{name} has {len(self.header)} columns in its header row; "
                f"the export files read here have at most {MAX_KNOWN_COLUMNS}"
            )

    def __iter__(self) -> Iterator[Row]:
        width = len(self.header)
        while (record := self._next_record()) is not None:
            cells = record.cells
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # a blank line
            if len(cells) != width:
                raise self.error(record.line, f"it has {len(cells)} columns where the header has {width}")
            yield record

    def error(self, line: int, problem: str) -> BadUpload:
        """The upload error for a problem on one line of this file."""
        return BadUpload(f"{self.name}, line {line}: {problem}")

    def _lines(self) -> Iterator[str]:
        # Split bytes on "\n" before decoding (UTF-8 never has that byte inside a character), so
        # a decoding error names its line and no line is ever read past the length limit.
        while True:
            data = self._raw.readline(MAX_LINE_BYTES + 3)
            if not data:
                return
            self._line += 1
            if self._line == 1 and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]  # spreadsheet programs add it; it is no text
            if len(data.rstrip(b"\r\n")) > MAX_LINE_BYTES:
                raise self.error(self._line, "the line is longer than 64 KiB")
            if b"\x00" in data:
                raise self.error(self._line, "it contains NUL bytes, so it is not a text CSV file")
            try:
                yield data.decode("utf-8")
            except UnicodeDecodeError:
                raise BadUpload(
                    f"{self.name} is not UTF-8 text (line {self._line}): exports are UTF-8; "
                    "upload the file as downloaded, or save it as UTF-8"
                ) from None

    def _next_record(self) -> Row | None:
        start = self._line + 1
        try:
            cells = next(self._records)
        except StopIteration:
            return None
        except csv.Error as error:
            raise self.error(start, _csv_problem(str(error))) from None
        return Row(start, cells)


def _csv_problem(message: str) -> str:
    if "unexpected end of data" in message or "field larger than field limit" in message:
        return "a quoted field is never closed (unterminated quote) or is over 128 KiB long"
    if "expected after" in message:
        return "a quote is followed by text; quotes inside a field must be doubled"
    return "the line is not valid CSV"


def looks_like_zip(raw: BinaryIO) -> bool:
    """True when the stream starts with a zip signature; the stream is rewound."""
    start = raw.read(4)
    raw.seek(0)
    return start in (b"PK\x03\x04", b"PK\x05\x06")
