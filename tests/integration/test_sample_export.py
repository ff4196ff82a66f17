"""The sample export the repo ships (samples/) uploads cleanly, as a zip and as loose CSVs."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from tests.support.exports import files

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FOLDER, ZIP = SAMPLES / "letterboxd", SAMPLES / "letterboxd-export.zip"
WATCH_FILES = ["watched.csv", "diary.csv", "ratings.csv", "reviews.csv", "likes/films.csv"]


def rows(name: str) -> list[dict[str, str]]:
    with (FOLDER / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_films() -> set[tuple[str, int]]:
    return {(row["Name"], int(row["Year"])) for name in WATCH_FILES for row in rows(name)}


def test_the_zip_holds_exactly_the_folder(tmp_path):
    with zipfile.ZipFile(ZIP) as archive:
        in_zip = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    on_disk = {p.relative_to(FOLDER).as_posix(): p.read_bytes() for p in FOLDER.rglob("*") if p.is_file()}
    assert in_zip == on_disk


def test_the_sample_zip_uploads_with_every_film_entry_and_watchlist_title(client, db):
    response = client.post("/api/sessions", files=files(("letterboxd-export.zip", ZIP.read_bytes())))
    assert response.status_code == 202, response.text
    session = response.json()
    films = {(r["name"], r["year"]) for r in db.execute("SELECT name, year FROM films")}
    assert films == expected_films()
    assert session["progress"]["total"] == len(films)
    counts = {
        table: db.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]
        for table in ("diary_entries", "reviews", "watchlist_entries")
    }
    assert counts == {
        "diary_entries": len(rows("diary.csv")),
        "reviews": len(rows("reviews.csv")),
        "watchlist_entries": len(rows("watchlist.csv")),
    }
    kinds = {f["name"]: f["kind"] for f in session["files"]}
    assert kinds["profile.csv"] == kinds["comments.csv"] == "skipped"


def test_the_sample_csvs_upload_loose_with_the_same_films(client, db):
    names = [*WATCH_FILES, "watchlist.csv"]
    response = client.post("/api/sessions", files=files(*((n, (FOLDER / n).read_bytes()) for n in names)))
    assert response.status_code == 202, response.text
    assert response.json()["progress"]["total"] == len(expected_films())
