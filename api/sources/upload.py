"""Reading every file of one upload (loose files and export zips) into one Export.

Each file's service and kind come from its content (see detect.py); one upload holds the export
of one service. Nothing is stored unless every file reads cleanly.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import BinaryIO

from api.errors import BadUpload
from api.letterboxd.archive import InflateBudget, open_member, open_zip
from api.letterboxd.export import Export, ExportBuilder, FileSummary
from api.letterboxd.kinds import WATCH_FILE_NAMES, Kind, display_name, normalise_path, skip_reason
from api.letterboxd.reader import CsvFile, looks_like_zip
from api.sources.detect import Recognised, csv_problem, looks_like_json, recognise_csv, recognise_json
from api.sources.imdb import ImdbReader
from api.sources.jsonarray import JsonArray
from api.sources.netflix import NetflixReader
from api.sources.source import ALL_FILES_HINT, Source
from api.sources.trakt import TraktReader


@dataclass(frozen=True)
class UploadedFile:
    """One multipart part: the name the client gave it and its (seekable) content."""

    filename: str
    stream: BinaryIO


class _UploadReader:
    def __init__(self, inflate_limit: int) -> None:
        self.export = Export()
        self.budget = InflateBudget(inflate_limit)
        self.letterboxd = ExportBuilder(self.export)
        self.imdb = ImdbReader(self.export)
        self.trakt = TraktReader(self.export)
        self.netflix = NetflixReader(self.export)
        self.source: Source | None = None
        self.source_file = ""
        self.seen: dict[tuple[Source, str], str] = {}
        # Zip members named like Letterboxd's watch files whose header is not: an error only if
        # the upload turns out to be Letterboxd's (a Netflix zip has a Ratings.csv of its own).
        self.unreadable: list[BadUpload] = []

    @property
    def files(self) -> list[FileSummary]:
        return self.export.files

    def read_part(self, part: UploadedFile) -> None:
        path = normalise_path(part.filename) or "upload"
        name = display_name(path)
        if looks_like_zip(part.stream):
            self._read_zip(part.stream, name)
        elif path.lower().endswith(".zip"):
            raise BadUpload(f"{name} is not a valid zip file")
        elif (reason := skip_reason(path)) is not None and reason == "carries no watches":
            self.files.append(FileSummary(name, "skipped", reason=reason))
        elif looks_like_json(part.stream):
            self._read_json(part.stream, name, path, in_zip=False)
        else:
            self._read_csv(part.stream, name, path, in_zip=False)

    def finish(self) -> Export:
        if self.unreadable and self.source in (None, Source.LETTERBOXD):
            raise self.unreadable[0]
        if self.source is None:
            skipped = ", ".join(summary.name for summary in self.files[:5])
            raise BadUpload(
                f"None of the uploaded files carries films: upload {ALL_FILES_HINT}"
                + (f" (skipped: {skipped})" if skipped else "")
            )
        self.imdb.finish()
        self.trakt.finish()
        self.netflix.finish()
        self.export.source = self.source.value
        return self.export

    def _read_zip(self, raw: BinaryIO, archive: str) -> None:
        with open_zip(raw, archive) as (archive_file, infos):
            if not any(info.filename.lower().endswith((".csv", ".json")) for info in infos):
                raise BadUpload(
                    f"{archive} contains no CSV files (nor Trakt's JSON files): upload the zip from "
                    "Letterboxd's Settings → Data → Export your data, Trakt's data export or "
                    "Netflix's data request"
                )
            for info in infos:
                path = normalise_path(info.filename)
                reason = _member_skip_reason(path)
                if reason is None and info.file_size == 0:
                    reason = "empty"
                if reason is not None:
                    if reason != "hidden file":
                        self.files.append(FileSummary(display_name(path), "skipped", reason=reason))
                    continue
                with open_member(archive_file, archive, info, self.budget) as stream:
                    if path.lower().endswith(".json"):
                        self._read_json(stream, display_name(path), path, in_zip=True)
                    else:
                        self._read_csv(stream, display_name(path), path, in_zip=True)

    def _read_csv(self, stream: BinaryIO, name: str, path: str, in_zip: bool) -> None:
        csv_file = CsvFile(stream, name)
        found = recognise_csv(path, csv_file.header)
        if found is None:
            if not in_zip:
                raise BadUpload(csv_problem(name, csv_file.header))
            if posixpath.basename(path.lower()) in WATCH_FILE_NAMES:
                self.unreadable.append(BadUpload(csv_problem(name, csv_file.header)))
            self.files.append(FileSummary(name, "skipped", reason="not a watch file"))
            return
        summary = self._claim(found, name)
        if found.source is Source.LETTERBOXD:
            summary.rows = self.letterboxd.add_file(csv_file, Kind(found.kind))
        elif found.source is Source.IMDB:
            self.imdb.add_file(csv_file, found.kind, summary)
        else:
            self.netflix.add_file(csv_file, found.kind, summary)
        if summary.rows == 0 and not in_zip:
            raise BadUpload(f"{name} has a header row but no rows: there is nothing to read in it")
        self.files.append(summary)

    def _read_json(self, stream: BinaryIO, name: str, path: str, in_zip: bool) -> None:
        # Trakt's export holds many JSON files without watches (user-profile.json is an object,
        # network-*.json lists of people): those are skipped, loose or zipped, not refused.
        array = JsonArray(stream, name)
        found = recognise_json(path, array.first()) if array.top_level() == "[" else "carries no watches"
        if found is None:
            found = "not a watch file"
        if isinstance(found, str):
            self.files.append(FileSummary(name, "skipped", reason=found))
            return
        summary = self._claim(found, name)
        self.trakt.add_file(array, found.kind, summary)
        if summary.rows == 0 and not in_zip:
            raise BadUpload(f"{name} holds no entries: there is nothing to read in it")
        self.files.append(summary)

    def _claim(self, found: Recognised, name: str) -> FileSummary:
        """The summary of a file about to be read, after checking it fits the upload so far."""
        if self.source is None:
            self.source, self.source_file = found.source, name
        elif found.source is not self.source:
            raise BadUpload(
                f"The upload mixes two services: {self.source_file} is from {self.source.label}, "
                f"{name} from {found.source.label}; upload one service's export at a time"
            )
        key = (found.source, found.kind)
        if key in self.seen and not found.repeatable:
            raise BadUpload(
                f"The upload holds two {found.label} files ({self.seen[key]} and {name}); "
                "upload each file of the export once"
            )
        self.seen.setdefault(key, name)
        return FileSummary(name, found.kind)


def _member_skip_reason(path: str) -> str | None:
    """Why a zip member is not read; Trakt's JSON files are read, Letterboxd's rules otherwise."""
    parts = [part.lower() for part in path.split("/") if part]
    if parts and parts[-1].endswith(".json") and not parts[-1].startswith("."):
        return "carries no watches" if "__macosx" in parts else None
    return skip_reason(path)


def read_upload(parts: list[UploadedFile], inflate_limit: int) -> Export:
    """Validate and merge all parts; raises BadUpload/UploadTooLarge and then holds nothing."""
    reader = _UploadReader(inflate_limit)
    try:
        for part in parts:
            reader.read_part(part)
        return reader.finish()
    except BaseException:
        reader.export.close()
        raise
