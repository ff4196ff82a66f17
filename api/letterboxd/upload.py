"""Reading every file of one upload (loose CSVs and export zips) into one Export."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import BinaryIO

from api.errors import BadUpload
from api.letterboxd.archive import InflateBudget, open_member, open_zip
from api.letterboxd.export import Export, ExportBuilder, FileSummary
from api.letterboxd.kinds import HEADERS, Kind, display_name, kind_of, normalise_path, skip_reason
from api.letterboxd.reader import CsvFile, looks_like_zip

_KNOWN_COLUMNS = frozenset().union(*HEADERS)
_WATCH_FILE_NAMES = frozenset(
    {"watched.csv", "diary.csv", "ratings.csv", "reviews.csv", "watchlist.csv", "films.csv"}
)
WATCH_FILES_HINT = "watched.csv, diary.csv, ratings.csv, reviews.csv, likes/films.csv, watchlist.csv"


@dataclass(frozen=True)
class UploadedFile:
    """One multipart part: the name the client gave it and its (seekable) content."""

    filename: str
    stream: BinaryIO


class _UploadReader:
    def __init__(self, inflate_limit: int) -> None:
        self.builder = ExportBuilder()
        self.budget = InflateBudget(inflate_limit)
        self.seen: dict[Kind, str] = {}

    @property
    def files(self) -> list[FileSummary]:
        return self.builder.export.files

    def read_part(self, part: UploadedFile) -> None:
        path = normalise_path(part.filename) or "upload"
        name = display_name(path)
        if looks_like_zip(part.stream):
            self._read_zip(part.stream, name)
        elif path.lower().endswith(".zip"):
            raise BadUpload(f"{name} is not a valid zip file")
        elif (reason := skip_reason(path)) is not None and reason == "carries no watches":
            self.files.append(FileSummary(name, "skipped", reason=reason))
        else:
            self._read_csv(part.stream, name, path, in_zip=False)

    def _read_zip(self, raw: BinaryIO, archive: str) -> None:
        with open_zip(raw, archive) as (archive_file, infos):
            if not any(info.filename.lower().endswith(".csv") for info in infos):
                raise BadUpload(
                    f"{archive} contains no CSV files: upload the zip from Letterboxd's "
                    "Settings → Data → Export your data"
                )
            for info in infos:
                path = normalise_path(info.filename)
                reason = skip_reason(path)
                if reason is None and info.file_size == 0:
                    reason = "empty"
                if reason is not None:
                    if reason != "hidden file":
                        self.files.append(FileSummary(display_name(path), "skipped", reason=reason))
                    continue
                with open_member(archive_file, archive, info, self.budget) as stream:
                    self._read_csv(stream, display_name(path), path, in_zip=True)

    def _read_csv(self, stream: BinaryIO, name: str, path: str, in_zip: bool) -> None:
        csv_file = CsvFile(stream, name)
        kind = kind_of(path, csv_file.header)
        if kind is None:
            if in_zip and posixpath.basename(path.lower()) not in _WATCH_FILE_NAMES:
                self.files.append(FileSummary(name, "skipped", reason="not a watch file"))
                return
            raise BadUpload(_header_problem(name, csv_file.header))
        if kind in self.seen:
            raise BadUpload(
                f"The upload holds two {kind.value} files ({self.seen[kind]} and {name}); "
                "upload each file of the export once"
            )
        self.seen[kind] = name
        rows = self.builder.add_file(csv_file, kind)
        if rows == 0 and not in_zip:
            raise BadUpload(f"{name} has a header row but no rows: there is nothing to read in it")
        self.files.append(FileSummary(name, kind.value, rows))


def _header_problem(name: str, header: list[str]) -> str:
    unknown = [column for column in header if column not in _KNOWN_COLUMNS]
    if unknown:
        shown = ", ".join(repr(column[:40]) for column in unknown[:5])
        return f"{name} has columns that Letterboxd's export files do not have: {shown}"
    if len(set(header)) != len(header):
        return f"{name} names a column twice in its header row"
    return (
        f"{name}'s columns ({', '.join(header)}) are not those of any Letterboxd export file "
        f"({WATCH_FILES_HINT})"
    )


def read_upload(parts: list[UploadedFile], inflate_limit: int) -> Export:
    """Validate and merge all parts; raises BadUpload/UploadTooLarge and then holds nothing."""
    reader = _UploadReader(inflate_limit)
    try:
        for part in parts:
            reader.read_part(part)
        if not reader.seen:
            skipped = ", ".join(summary.name for summary in reader.files[:5])
            raise BadUpload(
                "None of the uploaded files carries films: upload Letterboxd's export zip or its "
                f"{WATCH_FILES_HINT}" + (f" (skipped: {skipped})" if skipped else "")
            )
    except BaseException:
        reader.builder.export.close()
        raise
    return reader.builder.export
