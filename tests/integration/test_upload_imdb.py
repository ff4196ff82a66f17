"""Uploading IMDb exports: ratings (both header versions, both title-type vocabularies) and lists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support.exports import files
from tests.support.sources import imdb_list, imdb_ratings

HEAT = ("tt0113277", "9", "2024-01-05", "Heat", "Movie", 1995)
PARASITE = ("tt6751668", "7", "2024-02-10", "Parasite", "Movie", 2019)


def upload(client, *parts):
    response = client.post("/api/sessions", files=files(*parts))
    assert response.status_code == 202, response.text
    return response.json()


def films_of(db, session_id):
    return db.execute(
        "SELECT name, year, imdb_id, source_tmdb_id, rating, rated_on::text AS rated_on FROM films"
        " WHERE session_id = %s ORDER BY film_no",
        (session_id,),
    ).fetchall()


def watches_of(db, session_id):
    return db.execute(
        "SELECT f.imdb_id, d.watched_on::text AS day, d.rating, d.rewatch FROM diary_entries d"
        " JOIN films f USING (session_id, film_no) WHERE d.session_id = %s ORDER BY d.entry_no",
        (session_id,),
    ).fetchall()


@pytest.mark.parametrize("new_header", [True, False], ids=["with Original Title", "without"])
def test_a_ratings_export_of_either_header_version_makes_films_with_halved_ratings(client, db, new_header):
    session = upload(client, ("ratings.csv", imdb_ratings([HEAT, PARASITE], new_header=new_header)))
    assert session["source"] == "imdb"
    assert session["status"] == "enriching"
    assert session["files"] == [{"name": "ratings.csv", "kind": "ratings", "rows": 2}]
    assert films_of(db, session["id"]) == [
        {
            "name": "Heat",
            "year": 1995,
            "imdb_id": "tt0113277",
            "source_tmdb_id": None,
            "rating": Decimal("4.5"),
            "rated_on": "2024-01-05",
        },
        {
            "name": "Parasite",
            "year": 2019,
            "imdb_id": "tt6751668",
            "source_tmdb_id": None,
            "rating": Decimal("3.5"),
            "rated_on": "2024-02-10",
        },
    ]
    assert watches_of(db, session["id"]) == [
        {"imdb_id": "tt0113277", "day": "2024-01-05", "rating": Decimal("4.5"), "rewatch": False},
        {"imdb_id": "tt6751668", "day": "2024-02-10", "rating": Decimal("3.5"), "rewatch": False},
    ]
    assert client.get(f"/api/sessions/{session['id']}").json()["source"] == "imdb"


FILMS = ["Movie", "TV Movie", "Short", "Video", "movie", "tvMovie", "short", "video"]
NOT_FILMS = {
    "TV Series": "TV Series",
    "TV Episode": "TV Episode",
    "TV Mini Series": "TV Mini Series",
    "TV Mini-Series": "TV Mini Series",
    "TV Special": "TV Special",
    "TV Short": "TV Short",
    "Video Game": "Video Game",
    "Podcast Series": "Podcast Series",
    "Podcast Episode": "Podcast Episode",
    "Music Video": "Music Video",
    "tvSeries": "TV Series",
    "tvEpisode": "TV Episode",
    "tvMiniSeries": "TV Mini Series",
    "tvSpecial": "TV Special",
    "tvShort": "TV Short",
    "tvPilot": "TV Pilot",
    "videoGame": "Video Game",
    "podcastSeries": "Podcast Series",
    "podcastEpisode": "Podcast Episode",
    "musicVideo": "Music Video",
}


def test_title_types_in_new_and_old_words_tell_films_from_the_rest(client, db):
    rows = [
        (f"tt{1000000 + n:07d}", "8", "2024-01-01", f"Film {n}", kind, 2000) for n, kind in enumerate(FILMS)
    ]
    rows += [
        (f"tt{2000000 + n:07d}", "8", "2024-01-01", f"Other {n}", kind, 2000)
        for n, kind in enumerate(NOT_FILMS)
    ]
    session = upload(client, ("ratings.csv", imdb_ratings(rows)))
    expected: dict[str, int] = {}
    for canonical in NOT_FILMS.values():
        expected[canonical] = expected.get(canonical, 0) + 1
    assert session["files"] == [
        {
            "name": "ratings.csv",
            "kind": "ratings",
            "rows": len(rows),
            "skipped": dict(sorted(expected.items())),
        }
    ]
    assert [f["name"] for f in films_of(db, session["id"])] == [f"Film {n}" for n in range(len(FILMS))]
    assert len(watches_of(db, session["id"])) == len(FILMS)


def test_an_unknown_title_type_is_refused_naming_the_line(client, db):
    rows = [HEAT, ("tt0000001", "8", "2024-01-01", "Carmencita", "Film", 1894)]
    response = client.post("/api/sessions", files=files(("ratings.csv", imdb_ratings(rows))))
    assert response.status_code == 422
    assert response.json()["error"].startswith("ratings.csv, line 3: Title Type 'Film' is not one of IMDb's")


def test_two_titles_with_one_name_and_year_are_two_films_by_their_const(client, db):
    rows = [
        ("tt0120363", "6", "2023-01-01", "Toy Story 2", "Movie", 1999),
        ("tt9999991", "5", "2023-01-02", "Toy Story 2", "Video", 1999),
    ]
    session = upload(client, ("ratings.csv", imdb_ratings(rows)))
    assert [(f["name"], f["year"], f["imdb_id"]) for f in films_of(db, session["id"])] == [
        ("Toy Story 2", 1999, "tt0120363"),
        ("Toy Story 2", 1999, "tt9999991"),
    ]


@pytest.mark.parametrize("new_header", [True, False], ids=["with Original Title", "without"])
def test_a_list_export_holds_watchlist_titles_not_films(client, db, new_header):
    rows = [
        ("tt0079944", "2023-01-01", "Stalker", "movie", 1979),
        ("tt0306414", "2023-01-02", "The Wire", "tvSeries", 2002),
        ("tt0047478", "2023-01-03", "Seven Samurai", "Movie", 1954),
    ]
    session = upload(client, ("WATCHLIST.csv", imdb_list(rows, new_header=new_header)))
    assert session["source"] == "imdb"
    assert session["status"] == "completed"  # no films: nothing to enrich
    assert session["files"] == [
        {"name": "WATCHLIST.csv", "kind": "list", "rows": 3, "skipped": {"TV Series": 1}}
    ]
    entries = db.execute(
        "SELECT name, year, added_on::text AS added FROM watchlist_entries ORDER BY entry_no"
    )
    assert entries.fetchall() == [
        {"name": "Stalker", "year": 1979, "added": "2023-01-01"},
        {"name": "Seven Samurai", "year": 1954, "added": "2023-01-03"},
    ]
    assert db.execute("SELECT count(*) AS n FROM films").fetchone()["n"] == 0


def test_ratings_and_several_lists_make_one_upload(client, db):
    session = upload(
        client,
        ("ratings.csv", imdb_ratings([HEAT])),
        ("WATCHLIST.csv", imdb_list([("tt0079944", "2023-01-01", "Stalker", "Movie", 1979)])),
        (
            "ls012345678.csv",
            imdb_list([("tt0113277", "2023-01-01", "Heat", "Movie", 1995)], new_header=False),
        ),
    )
    assert [f["kind"] for f in session["files"]] == ["ratings", "list", "list"]
    assert session["progress"]["total"] == 1
    analytics = client.get(f"/api/sessions/{session['id']}/analytics").json()
    assert (analytics["films"], analytics["watches"], analytics["watchlist"], analytics["rated"]) == (
        1,
        1,
        1,
        1,
    )


def test_two_ratings_files_are_refused(client, db):
    response = client.post(
        "/api/sessions",
        files=files(("ratings.csv", imdb_ratings([HEAT])), ("ratings (1).csv", imdb_ratings([PARASITE]))),
    )
    assert response.status_code == 422
    assert "two IMDb ratings files (ratings.csv and ratings (1).csv)" in response.json()["error"]
