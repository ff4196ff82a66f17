"""The IMDb, Trakt and Netflix samples (samples/) upload cleanly, with hand-checked numbers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.support.exports import files

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def upload(client, *paths: Path) -> dict:
    response = client.post("/api/sessions", files=files(*((p.name, p.read_bytes()) for p in paths)))
    assert response.status_code == 202, response.text
    return response.json()


def counts(client, session: dict) -> dict:
    analytics = client.get(f"/api/sessions/{session['id']}/analytics").json()
    keys = ("films", "watches", "rewatches", "rated", "average_rating", "watchlist")
    return {key: analytics[key] for key in keys}


def test_the_imdb_sample_has_its_films_ratings_and_watchlist(client, db):
    session = upload(client, SAMPLES / "imdb" / "ratings.csv", SAMPLES / "imdb" / "watchlist.csv")
    assert session["source"] == "imdb"
    assert session["files"] == [
        {
            "name": "ratings.csv",
            "kind": "ratings",
            "rows": 19,
            "skipped": {"TV Episode": 1, "TV Mini Series": 1, "TV Series": 1, "Video Game": 1},
        },
        {
            "name": "watchlist.csv",
            "kind": "list",
            "rows": 8,
            "skipped": {"TV Mini Series": 1, "TV Series": 1},
        },
    ]
    # 15 ratings out of 10 summing to 113: 113 / 15 / 2 = 3.77 stars.
    assert counts(client, session) == {
        "films": 15,
        "watches": 15,
        "rewatches": None,  # one watch per rated title: IMDb keeps no history, so unknown
        "rated": 15,
        "average_rating": 3.77,
        "watchlist": 6,
    }
    remakes = db.execute("SELECT imdb_id FROM films WHERE name = 'Halloween' ORDER BY year").fetchall()
    assert [r["imdb_id"] for r in remakes] == ["tt0077651", "tt1502407"]


@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "loose files"])
def test_the_trakt_sample_has_its_plays_ratings_and_watchlist(client, db, as_zip):
    paths = [SAMPLES / "trakt-export.zip"] if as_zip else sorted((SAMPLES / "trakt").glob("*.json"))
    session = upload(client, *paths)
    assert session["source"] == "trakt"
    kinds = {f["name"]: (f["kind"], f["rows"], f.get("skipped")) for f in session["files"]}
    assert kinds == {
        "history-1.json": ("history", 9, {"episode": 2}),
        "history-2.json": ("history", 12, {"episode": 3}),
        "ratings-episodes.json": ("skipped", 0, None),
        "ratings-movies.json": ("ratings", 10, None),
        "user-profile.json": ("skipped", 0, None),
        "watched-movies.json": ("watched", 13, None),
        "watched-shows.json": ("skipped", 0, None),
        "watchlist-movies.json": ("watchlist", 3, None),
        "watchlist-shows.json": ("watchlist", 1, {"show": 1}),
    }
    # 16 plays of 12 films plus Stalker's one watch; ratings 9+10+8+9+9+8+7+6+10+5 = 81 -> 4.05.
    assert counts(client, session) == {
        "films": 13,
        "watches": 17,
        "rewatches": 4,
        "rated": 10,
        "average_rating": 4.05,
        "watchlist": 3,
    }
    ids = db.execute(
        "SELECT name, year, imdb_id, source_tmdb_id FROM films"
        " WHERE name IN ('Perfect Days', 'Heat', 'The Matrix') ORDER BY name"
    ).fetchall()
    assert ids == [
        {"name": "Heat", "year": 1972, "imdb_id": None, "source_tmdb_id": None},
        {"name": "Perfect Days", "year": 2023, "imdb_id": "tt27503384", "source_tmdb_id": None},
        {"name": "The Matrix", "year": 1999, "imdb_id": "tt0133093", "source_tmdb_id": 603},
    ]
    mad_max = db.execute(
        "SELECT d.watched_on::text AS day FROM diary_entries d JOIN films f USING (session_id, film_no)"
        " WHERE f.name = 'Mad Max: Fury Road' ORDER BY d.entry_no"
    ).fetchall()
    assert [r["day"] for r in mad_max] == ["2023-05-13", "2024-02-10"]  # 23:48 UTC stays on its day


def test_the_trakt_zip_holds_exactly_the_folder():
    with zipfile.ZipFile(SAMPLES / "trakt-export.zip") as archive:
        in_zip = {info.filename: archive.read(info) for info in archive.infolist()}
    folder = SAMPLES / "trakt"
    assert in_zip == {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_the_netflix_viewing_history_sample_is_read_day_first(client, db):
    session = upload(client, SAMPLES / "netflix" / "NetflixViewingHistory.csv")
    assert session["files"] == [
        {
            "name": "NetflixViewingHistory.csv",
            "kind": "viewing_history",
            "rows": 16,
            "skipped": {"episode": 7},
            "dates": {"format": "D/M/Y", "why": "line 3 has a first number above 12"},
        },
    ]
    assert counts(client, session) == {
        "films": 7,
        "watches": 9,
        "rewatches": 2,
        "rated": None,  # Netflix's files hold no ratings and no watchlist: unknown, not zero
        "average_rating": None,
        "watchlist": None,
    }


def test_the_netflix_viewing_activity_sample_has_one_watch_per_film_and_day(client, db):
    session = upload(client, SAMPLES / "netflix" / "ViewingActivity.csv")
    assert session["files"] == [
        {
            "name": "ViewingActivity.csv",
            "kind": "viewing_activity",
            "rows": 18,
            "skipped": {"episode": 3, "supplemental video": 2, "trailer": 2},
            "profiles": [{"name": "Robin", "rows": 5}, {"name": "Sam", "rows": 13}],
        },
    ]
    assert counts(client, session) == {
        "films": 7,
        "watches": 9,
        "rewatches": 2,
        "rated": None,  # Netflix's files hold no ratings and no watchlist: unknown, not zero
        "average_rating": None,
        "watchlist": None,
    }
    irishman = db.execute(
        "SELECT d.watched_on::text AS day, d.rewatch FROM diary_entries d"
        " JOIN films f USING (session_id, film_no) WHERE f.name = 'The Irishman' ORDER BY d.entry_no"
    ).fetchall()
    assert irishman == [{"day": "2019-11-28", "rewatch": False}, {"day": "2023-12-26", "rewatch": True}]
