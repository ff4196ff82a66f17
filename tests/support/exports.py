"""Building Letterboxd export files and uploads for tests, byte for byte as Letterboxd writes them."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence

WATCHED = ["Date", "Name", "Year", "Letterboxd URI"]
LIKES = WATCHLIST = WATCHED
RATINGS = [*WATCHED, "Rating"]
DIARY = [*WATCHED, "Rating", "Rewatch", "Tags", "Watched Date"]
REVIEWS = [*WATCHED, "Rating", "Rewatch", "Review", "Tags", "Watched Date"]

DATA_TABLES = ("upload_sessions", "films", "diary_entries", "reviews", "watchlist_entries", "enrichment_jobs")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], newline: str = "\n") -> bytes:
    """A CSV file as Letterboxd writes it (minimal quoting, UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode("utf-8")


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip holding the given members (path -> content)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def files(*parts: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    """Multipart parts named `files` for the test client: files(("diary.csv", data), ...)."""
    return [("files", (name, content, "application/octet-stream")) for name, content in parts]


def row_counts(conn: object) -> dict[str, int]:
    """Rows in every table an upload writes to."""
    counts = {}
    for table in DATA_TABLES:
        counts[table] = conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]  # type: ignore[attr-defined]
    return counts
