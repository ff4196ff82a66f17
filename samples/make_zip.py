"""Build samples/letterboxd-export.zip and samples/trakt-export.zip from their folders, repeatably.

The members sit at the zip root as in the real exports (Letterboxd: watched.csv, diary.csv,
likes/films.csv, lists/..., deleted/..., orphaned/...; Trakt: watched-movies.json,
history-1.json, ...), sorted by path, each with one fixed timestamp and fixed permissions,
deflated at level 9. Running it twice gives the same bytes (for the same zlib), so the
committed zips only change when the files do.

    python samples/make_zip.py
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "letterboxd"
TARGET = HERE / "letterboxd-export.zip"
# Every sample export that ships as a zip: folder -> zip.
ZIPS = {SOURCE: TARGET, HERE / "trakt": HERE / "trakt-export.zip"}
# Letterboxd stamps members with the export time; a fixed one keeps the zip reproducible.
TIMESTAMP = (2024, 12, 31, 12, 0, 0)
_UNIX = 3
_MODE = 0o100644  # a regular file, rw-r--r--


def members(source: Path = SOURCE) -> list[tuple[str, Path]]:
    """(name in the zip, file) for every non-hidden file under `source`, sorted by name."""
    found = [
        (path.relative_to(source).as_posix(), path)
        for path in source.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.parts)
    ]
    return sorted(found)


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    """Write the zip (atomically, via a temporary file beside it) and return its path."""
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, path in members(source):
            info = zipfile.ZipInfo(name, date_time=TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = _UNIX
            info.external_attr = _MODE << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(target)
    return target


if __name__ == "__main__":
    for folder, zip_path in ZIPS.items():
        built = build(folder, zip_path)
        print(f"wrote {built} ({built.stat().st_size} bytes)")
