"""Uploading Trakt exports: the zip or its JSON files, plays, watched movies, ratings, watchlist."""

from __future__ import annotations

from decimal import Decimal

from tests.support.exports import files, zip_bytes
from tests.support.sources import episode_play, json_bytes, play, rating, trakt_movie, watched

HEAT = trakt_movie("Heat", 1995, imdb="tt0113277", tmdb=949)
DUNE = trakt_movie("Dune", 2021, tmdb=438631)
PERFECT_DAYS = trakt_movie("Perfect Days", 2023, imdb="tt27503384")
HEAT_72 = trakt_movie("Heat", 1972)


def upload(client, *parts):
    response = client.post("/api/sessions", files=files(*parts))
    assert response.status_code == 202, response.text
    return response.json()


def films_of(db):
    return db.execute(
        "SELECT name, year, imdb_id, source_tmdb_id, rating, rated_on::text AS rated_on"
        " FROM films ORDER BY film_no"
    ).fetchall()


def watches_of(db):
    return db.execute(
        "SELECT f.name, f.year, d.watched_on::text AS day, d.rewatch FROM diary_entries d"
        " JOIN films f USING (session_id, film_no) ORDER BY d.entry_no"
    ).fetchall()


def test_watched_movies_alone_give_one_watch_per_movie_on_its_last_watched_day(client, db):
    entries = [watched(HEAT, "2024-03-01T20:15:00.000Z", plays=3), watched(DUNE, "2023-10-02T23:59:59.000Z")]
    session = upload(client, ("watched-movies.json", json_bytes(entries)))
    assert session["source"] == "trakt"
    assert session["files"] == [{"name": "watched-movies.json", "kind": "watched", "rows": 2}]
    assert films_of(db) == [
        {
            "name": "Heat",
            "year": 1995,
            "imdb_id": "tt0113277",
            "source_tmdb_id": 949,
            "rating": None,
            "rated_on": None,
        },
        {
            "name": "Dune",
            "year": 2021,
            "imdb_id": None,
            "source_tmdb_id": 438631,
            "rating": None,
            "rated_on": None,
        },
    ]
    assert watches_of(db) == [
        {"name": "Dune", "year": 2021, "day": "2023-10-02", "rewatch": False},
        {"name": "Heat", "year": 1995, "day": "2024-03-01", "rewatch": False},
    ]


def test_the_history_split_over_files_gives_one_watch_per_play_on_its_utc_day(client, db):
    newer = [play(4, "2024-03-02T01:30:00.000Z", HEAT), episode_play(3, "2024-01-01T20:00:00.000Z")]
    older = [play(2, "2023-06-01T20:00:00.000Z", HEAT), play(1, "2023-01-01T20:00:00.000Z", PERFECT_DAYS)]
    session = upload(
        client, ("history-1.json", json_bytes(newer)), ("history-2.json", json_bytes(older, None))
    )
    assert session["files"] == [
        {"name": "history-1.json", "kind": "history", "rows": 2, "skipped": {"episode": 1}},
        {"name": "history-2.json", "kind": "history", "rows": 2},
    ]
    assert watches_of(db) == [
        {"name": "Perfect Days", "year": 2023, "day": "2023-01-01", "rewatch": False},
        {"name": "Heat", "year": 1995, "day": "2023-06-01", "rewatch": False},
        {"name": "Heat", "year": 1995, "day": "2024-03-02", "rewatch": True},
    ]
    assert session["progress"]["total"] == 2


def test_plays_win_over_watched_movies_and_movies_without_plays_keep_their_last_watch(client, db):
    history = [play(2, "2024-02-01T20:00:00.000Z", HEAT), play(1, "2023-02-01T20:00:00.000Z", HEAT)]
    entries = [
        watched(HEAT, "2024-02-01T20:00:00.000Z", plays=2),
        watched(HEAT_72, "2019-05-05T19:00:00.000Z"),
    ]
    session = upload(
        client, ("watched-movies.json", json_bytes(entries)), ("history-1.json", json_bytes(history))
    )
    assert watches_of(db) == [
        {"name": "Heat", "year": 1972, "day": "2019-05-05", "rewatch": False},
        {"name": "Heat", "year": 1995, "day": "2023-02-01", "rewatch": False},
        {"name": "Heat", "year": 1995, "day": "2024-02-01", "rewatch": True},
    ]
    assert session["progress"]["total"] == 2
    # The movie without ids is its title and year; the other Heat is its IMDb id.
    assert [(f["name"], f["year"], f["imdb_id"]) for f in films_of(db)] == [
        ("Heat", 1995, "tt0113277"),
        ("Heat", 1972, None),
    ]


def test_the_same_play_in_two_uploaded_files_counts_once(client, db):
    entries = [play(7, "2024-02-01T20:00:00.000Z", HEAT)]
    session = upload(
        client, ("history-1.json", json_bytes(entries)), ("history-1 (1).json", json_bytes(entries))
    )
    assert session["files"][1] == {
        "name": "history-1 (1).json",
        "kind": "history",
        "rows": 1,
        "skipped": {"duplicate": 1},
    }
    assert len(watches_of(db)) == 1


def test_ratings_are_halved_and_the_latest_rating_of_a_movie_wins(client, db):
    entries = [
        rating(HEAT, 7, "2024-01-01T10:00:00.000Z"),
        {"rated_at": "2024-01-01T10:00:00.000Z", "rating": 9, "type": "show", "show": {"title": "X"}},
        {"rated_at": "2024-01-02T10:00:00.000Z", "rating": 8, "type": "episode", "episode": {}, "show": {}},
    ]
    session = upload(client, ("ratings-movies.json", json_bytes(entries)))
    assert session["files"] == [
        {"name": "ratings-movies.json", "kind": "ratings", "rows": 3, "skipped": {"episode": 1, "show": 1}}
    ]
    [film] = films_of(db)
    assert (film["rating"], film["rated_on"]) == (Decimal("3.5"), "2024-01-01")


def test_the_export_zip_is_read_and_files_without_film_watches_are_skipped(client, db):
    show = {"title": "Severance", "year": 2022, "ids": {"trakt": 5}}
    archive = zip_bytes(
        {
            "nightowl/watched-movies.json": json_bytes([watched(HEAT, "2024-02-01T20:00:00.000Z")]),
            "nightowl/watched-shows.json": json_bytes(
                [{"plays": 1, "last_watched_at": "2024-01-01T00:00:00Z", "show": show}]
            ),
            "nightowl/history-1.json": json_bytes([play(1, "2024-02-01T20:00:00.000Z", HEAT)]),
            "nightowl/ratings-movies.json": json_bytes([rating(HEAT, 10, "2024-02-02T10:00:00.000Z")]),
            "nightowl/ratings-episodes.json": json_bytes(
                [{"rated_at": "2024-01-01T00:00:00Z", "rating": 8, "type": "episode"}]
            ),
            "nightowl/ratings-shows.json": b"[]",
            "nightowl/watchlist-movies.json": json_bytes(
                [{"rank": 1, "listed_at": "2023-12-01T08:00:00.000Z", "type": "movie", "movie": DUNE}]
            ),
            "nightowl/user-settings.json": json_bytes({"user": {"username": "nightowl"}}),
            "nightowl/network-followers.json": json_bytes(
                [{"followed_at": "2020-01-01T00:00:00Z", "user": {}}]
            ),
            "nightowl/readme.txt": b"Your Trakt data",
        }
    )
    session = upload(client, ("trakt-export.zip", archive))
    assert {f["name"]: (f["kind"], f.get("reason")) for f in session["files"]} == {
        "nightowl/watched-movies.json": ("watched", None),
        "nightowl/watched-shows.json": ("skipped", "shows are not films"),
        "nightowl/history-1.json": ("history", None),
        "nightowl/ratings-movies.json": ("ratings", None),
        "nightowl/ratings-episodes.json": ("skipped", "shows, seasons and episodes are not films"),
        "nightowl/ratings-shows.json": ("skipped", "empty"),
        "nightowl/watchlist-movies.json": ("watchlist", None),
        "nightowl/user-settings.json": ("skipped", "carries no watches"),
        "nightowl/network-followers.json": ("skipped", "not a watch file"),
        "nightowl/readme.txt": ("skipped", "not a CSV file"),
    }
    assert session["source"] == "trakt"
    assert films_of(db) == [
        {
            "name": "Heat",
            "year": 1995,
            "imdb_id": "tt0113277",
            "source_tmdb_id": 949,
            "rating": Decimal("5.0"),
            "rated_on": "2024-02-02",
        },
    ]
    assert len(watches_of(db)) == 1
    assert db.execute("SELECT name, year, added_on::text AS d FROM watchlist_entries").fetchall() == [
        {"name": "Dune", "year": 2021, "d": "2023-12-01"}
    ]


def test_a_json_file_is_known_by_its_content_whatever_its_name(client, db):
    session = upload(
        client, ("my plays.txt", b"\xef\xbb\xbf\n  " + json_bytes([play(1, "2024-02-01T20:00:00Z", DUNE)]))
    )
    assert session["files"] == [{"name": "my plays.txt", "kind": "history", "rows": 1}]


def test_an_entry_split_across_read_blocks_is_read_whole(client, db):
    # Far over one 64 KiB read: entries straddle block boundaries everywhere.
    entries = [
        play(n, f"2024-01-{1 + n % 28:02d}T20:00:00Z", trakt_movie(f"Film {n} " + "é" * 40, 2000))
        for n in range(1500)
    ]
    session = upload(client, ("history-1.json", json_bytes(entries)))
    assert session["files"][0]["rows"] == 1500
    assert session["progress"]["total"] == 1500
