"""The IMDb, Trakt and Netflix samples enriched for real (one worker, the loopback TMDB): their
analytics equal values checked by hand, and what a source cannot tell is null, never zero.

Every expected number below was worked out from the sample files (samples/README.md describes
them) and the runtimes of tmdbdemo/catalogue.json, written out in the comments; none was copied
from a run. One database and one worker serve the whole module; each test uploads its own session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.config import ApiConfig
from tests.support.exports import files
from tests.support.processes import ROOT
from tests.support.sessions import wait_final
from tests.support.workers import fleet
from tmdbdemo.testing import FakeTmdb

pytestmark = pytest.mark.slow
SAMPLES = ROOT / "samples"
# Everything that is computed from ratings: null when the upload holds none.
RATING_FIELDS = (
    "rated",
    "average_rating",
    "ratings",
    "best_rated",
    "average_rating_by_genre",
    "average_rating_by_decade",
    "top_directors_by_rating",
    "top_actors_by_rating",
    "versus_tmdb",
)
HISTORY_FIELDS = ("rewatches", "first_watches", "most_rewatched")
COUNTS = ("films", "watches", "rated", "average_rating", "watchlist", "unmatched", "total_runtime_minutes")


@pytest.fixture(scope="module")
def client(database_factory: Any, tmp_path_factory: Any) -> Iterator[TestClient]:
    with (
        database_factory.temporary() as url,
        FakeTmdb() as tmdb,
        fleet(url, tmdb.base_url, tmp_path_factory.mktemp("sources")) as workers,
        TestClient(create_app(ApiConfig(database_url=url)), raise_server_exceptions=False) as api,
    ):
        workers.start(1)
        yield api


def enriched(client: TestClient, *paths: Path) -> str:
    response = client.post("/api/sessions", files=files(*((p.name, p.read_bytes()) for p in paths)))
    assert response.status_code == 202, response.text
    session = wait_final(client, response.json()["id"])
    assert session["status"] == "completed", session
    return str(session["id"])


def analytics(client: TestClient, session_id: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/api/sessions/{session_id}/analytics", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def counts(a: dict[str, Any]) -> dict[str, Any]:
    return {key: a[key] for key in COUNTS}


def test_the_imdb_sample_has_no_rewatch_information(client):
    a = analytics(
        client, enriched(client, SAMPLES / "imdb" / "ratings.csv", SAMPLES / "imdb" / "watchlist.csv")
    )
    # ratings.csv: 19 rows, 15 of them films (Movie), each one watch dated by Date Rated and rated:
    #   Your Rating 9+8+6+10+7+8+5+4+9+10+9+8+6+5+9 = 113 out of 10, 113 / 2 / 15 = 3.77 stars.
    # watchlist.csv: 8 rows, 6 films (The Wire and Shōgun are series), none of them rated.
    # Runtimes, the catalogue's for each Const: Dune: Part Two 167, Oppenheimer 181, Barbie 114,
    #   Parasite 133, Midsommar 148, Halloween 1978 91, Halloween 2018 106, The Thing 2011 103,
    #   The Thing 1982 109, Spirited Away 125, Three Colors: Red 99, Dune 2021 155, Crash 1996 100,
    #   Crash 2004 112, Heat 1995 170 = 1913 minutes; every Const is in the catalogue.
    assert counts(a) == {
        "films": 15,
        "watches": 15,
        "rated": 15,
        "average_rating": 3.77,
        "watchlist": 6,
        "unmatched": 0,
        "total_runtime_minutes": 1913,
    }
    # IMDb keeps one rating per title and no history: whether a film was seen twice is unknown.
    for field in HISTORY_FIELDS:
        assert a[field] is None, field
    # Out of 10 halved: 4 -> 2 stars (The Thing 2011), 5 -> 2.5 (Halloween 2018, Crash 2004), 6 -> 3
    # (Barbie, Crash 1996), 7 -> 3.5 (Midsommar), 8 -> 4 (3 films), 9 -> 4.5 (4), 10 -> 5 (2).
    assert {r["rating"]: r["count"] for r in a["ratings"] if r["count"]} == {
        2.0: 1, 2.5: 2, 3.0: 2, 3.5: 1, 4.0: 3, 4.5: 4, 5.0: 2,
    }  # fmt: skip
    assert [(f["name"], f["rating"]) for f in a["best_rated"][:2]] == [
        ("Parasite", 5.0),
        ("Spirited Away", 5.0),
    ]
    assert a["versus_tmdb"]["compared"] == 15


def test_imdb_ratings_without_a_list_have_no_watchlist_to_count(client):
    a = analytics(client, enriched(client, SAMPLES / "imdb" / "ratings.csv"))
    assert (a["films"], a["rated"], a["watchlist"]) == (15, 15, None)


def test_the_trakt_sample_counts_every_play(client):
    a = analytics(client, enriched(client, SAMPLES / "trakt-export.zip"))
    # history-1.json and history-2.json: 16 movie plays of 12 films (5 episode plays skipped);
    #   Stalker is only in watched-movies.json: one more watch, 17, of 13 films. The Matrix 3 plays,
    #   Mad Max: Fury Road 2, Everything Everywhere All at Once 2: 4 rewatches, 13 first watches.
    # ratings-movies.json: 9+8+7+6+5+9+9+10+8+10 = 81 out of 10 over 10 films, 81 / 2 / 10 = 4.05.
    # watchlist-movies.json: 3 films (watchlist-shows.json's one show is skipped).
    # Runtimes: The Matrix 136, Mad Max: Fury Road 121, Everything Everywhere All at Once 140,
    #   Stalker 162, Aftersun 102, Spider-Man: Across the Spider-Verse 140, Past Lives 106,
    #   Heat 1972 102 (no ids: found by title and year), Godzilla Minus One 125, Poor Things 141,
    #   The Zone of Interest 105, Anatomy of a Fall 152, Perfect Days 124 (IMDb id only) = 1656.
    assert counts(a) == {
        "films": 13,
        "watches": 17,
        "rated": 10,
        "average_rating": 4.05,
        "watchlist": 3,
        "unmatched": 0,
        "total_runtime_minutes": 1656,
    }
    assert (a["rewatches"], a["first_watches"]) == (4, 13)
    assert [(f["name"], f["count"]) for f in a["most_rewatched"]] == [
        ("The Matrix", 3),
        ("Everything Everywhere All at Once", 2),
        ("Mad Max: Fury Road", 2),
    ]
    assert all(a[field] is not None for field in RATING_FIELDS)


def test_trakt_without_history_files_has_no_rewatch_information(client):
    trakt = SAMPLES / "trakt"
    a = analytics(client, enriched(client, trakt / "watched-movies.json", trakt / "ratings-movies.json"))
    # watched-movies.json alone: one watch per movie, dated by its last_watched_at; its "plays" say
    # nothing of when, so rewatches are unknown. Same 13 films, ratings and runtimes as above.
    assert counts(a) == {
        "films": 13,
        "watches": 13,
        "rated": 10,
        "average_rating": 4.05,
        "watchlist": None,  # no watchlist-movies.json in this upload
        "unmatched": 0,
        "total_runtime_minutes": 1656,
    }
    for field in HISTORY_FIELDS:
        assert a[field] is None, field


@pytest.mark.parametrize("name", ["NetflixViewingHistory.csv", "ViewingActivity.csv"])
def test_a_netflix_history_has_watches_but_no_ratings_and_no_watchlist(client, name):
    session_id = enriched(client, SAMPLES / "netflix" / name)
    a = analytics(client, session_id)
    # Either file: 7 films on 9 viewing days (The Irishman 2019-11-28 and 2023-12-26, Glass Onion
    #   2022-12-24 and 2023-12-26: 2 rewatches; ViewingActivity's two sittings of one day are one).
    # Runtimes: Godzilla Minus One 125, Glass Onion: A Knives Out Mystery 140, Spirited Away 125,
    #   The Irishman 209, My Neighbor Totoro 86, Marriage Story 137, Roma 135 = 957 minutes.
    assert counts(a) == {
        "films": 7,
        "watches": 9,
        "rated": None,
        "average_rating": None,
        "watchlist": None,
        "unmatched": 0,
        "total_runtime_minutes": 957,
    }
    assert (a["rewatches"], a["first_watches"]) == (2, 7)
    assert [(f["name"], f["year"], f["count"]) for f in a["most_rewatched"]] == [
        ("Glass Onion: A Knives Out Mystery", None, 2),
        ("The Irishman", None, 2),
    ]
    for field in RATING_FIELDS:
        assert a[field] is None, field
    assert all((row["rated"], row["average_rating"]) == (None, None) for row in a["year_over_year"])
    # Netflix gives no year: decades and release years are the matched films' release years
    # (Totoro 1988; Spirited Away 2001; Roma 2018, The Irishman and Marriage Story 2019; Glass Onion
    # 2022, Godzilla Minus One 2023), and the drill-down lists the same films.
    assert [(d["decade"], d["count"]) for d in a["decades"]] == [(1980, 1), (2000, 1), (2010, 3), (2020, 2)]
    assert [(y["year"], y["count"]) for y in a["release_years"]] == [
        (1988, 1), (2001, 1), (2018, 1), (2019, 2), (2022, 1), (2023, 1),
    ]  # fmt: skip
    listed = client.get(f"/api/sessions/{session_id}/films", params={"decade": "2010"}).json()["films"]
    assert sorted(f["name"] for f in listed) == ["Marriage Story", "Roma", "The Irishman"]
    year = analytics(client, session_id, year="2023")
    # 2023: Glass Onion on 26 December (and, in ViewingActivity, The Irishman the same day).
    assert year["rated"] is None and year["watchlist"] is None and year["rewatches"] is not None


def test_films_other_tmdb_films_fit_as_well_are_listed_for_checking(client, tmp_path):
    # Netflix gives no year: the catalogue's two Crashes (1996, 2004) and two Heats (1972, 1995)
    # both fit, the more popular is chosen and `alternatives` counts the other one.
    history = tmp_path / "NetflixViewingHistory.csv"
    history.write_text('Title,Date\n"Crash","3/2/2024"\n"Heat","3/1/2024"\n"Roma","2/28/2024"\n')
    session_id = enriched(client, history)
    listed = client.get(f"/api/sessions/{session_id}/films", params={"has_alternatives": "true"}).json()
    assert [(f["name"], f["tmdb_id"], f["alternatives"]) for f in listed["films"]] == [
        ("Crash", 9000008, 1),
        ("Heat", 949, 1),
    ]
    others = client.get(f"/api/sessions/{session_id}/films", params={"has_alternatives": "false"}).json()
    assert [f["name"] for f in others["films"]] == ["Roma"]
    bad = client.get(f"/api/sessions/{session_id}/films", params={"has_alternatives": "yes"})
    assert (bad.status_code, bad.json()) == (400, {"error": "has_alternatives must be true or false"})
