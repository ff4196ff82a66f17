"""The sample export, enriched for real from the demo catalogue: analytics, film pages, retry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.exports import files
from tests.support.sessions import wait_final
from tests.support.workers import fleet
from tmdbdemo.testing import FakeTmdb

pytestmark = pytest.mark.slow
SAMPLE_ZIP = Path(__file__).resolve().parents[2] / "samples" / "letterboxd-export.zip"


@pytest.fixture
def tmdb():
    with FakeTmdb() as fake:
        yield fake


@pytest.fixture
def worker(database_url, tmdb, tmp_path):
    with fleet(database_url, tmdb.base_url, tmp_path) as f:
        f.start(1)
        yield f


@pytest.fixture
def sample_session(client, worker):
    response = client.post("/api/sessions", files=files(("letterboxd-export.zip", SAMPLE_ZIP.read_bytes())))
    assert response.status_code == 202
    session = wait_final(client, response.json()["id"])
    assert session["status"] == "completed"
    return session


def test_the_sample_exports_analytics_match_the_hand_checked_values(client, sample_session):
    a = client.get(f"/api/sessions/{sample_session['id']}/analytics").json()
    # Hand-checked against samples/letterboxd/*.csv and tmdbdemo/catalogue.json (see samples/README.md).
    assert a["complete"] is True
    assert (a["films"], a["unmatched"], a["watchlist"], a["watches"], a["rated"]) == (50, 3, 14, 66, 48)
    assert a["average_rating"] == 4.11
    assert a["total_runtime_minutes"] == 6069
    assert a["rewatches"] == 19
    assert a["genres"][:5] == [
        {"name": "Drama", "count": 24},
        {"name": "Thriller", "count": 12},
        {"name": "Science Fiction", "count": 9},
        {"name": "Horror", "count": 8},
        {"name": "Action", "count": 7},
    ]
    assert a["top_directors"][:3] == [
        {"name": "Hayao Miyazaki", "count": 3},
        {"name": "Denis Villeneuve", "count": 2},
        {"name": "John Carpenter", "count": 2},
    ]
    assert a["countries"][:4] == [
        {"name": "United States of America", "count": 31},
        {"name": "France", "count": 7},
        {"name": "Japan", "count": 6},
        {"name": "United Kingdom", "count": 5},
    ]
    assert a["languages"][:4] == [
        {"name": "English", "count": 35},
        {"name": "French", "count": 7},
        {"name": "Italian", "count": 6},
        {"name": "Japanese", "count": 6},
    ]
    assert [(r["rating"], r["count"]) for r in a["ratings"]] == [
        (0.5, 0), (1.0, 0), (1.5, 0), (2.0, 3), (2.5, 0), (3.0, 3), (3.5, 5), (4.0, 12), (4.5, 16), (5.0, 9),
    ]  # fmt: skip
    assert [(d["decade"], d["count"]) for d in a["decades"]] == [
        (1960, 3), (1970, 5), (1980, 5), (1990, 7), (2000, 7), (2010, 7), (2020, 13),
    ]  # fmt: skip
    assert a["watches_by_month"][:3] == [
        {"month": "2022-01", "count": 5},
        {"month": "2022-02", "count": 2},
        {"month": "2022-03", "count": 3},
    ]
    assert sum(m["count"] for m in a["watches_by_month"]) == 66
    assert a["busiest_month"] == {"month": "2023-10", "count": 8}
    assert a["longest_streak"] == {"days": 8, "start": "2023-10-24", "end": "2023-10-31"}
    assert sum(y["count"] for y in a["release_years"]) == 47  # matched films by the export's Year


def test_rankings_order_by_count_then_name_and_series_by_key(client, sample_session):
    a = client.get(f"/api/sessions/{sample_session['id']}/analytics").json()
    for field in ("genres", "top_directors", "top_actors", "countries", "languages", "original_languages"):
        assert a[field] == sorted(
            a[field], key=lambda r: (-r["count"], r["name"] if field != "original_languages" else r["code"])
        )
    for field, key in (("decades", "decade"), ("release_years", "year"), ("watches_by_month", "month")):
        keys = [r[key] for r in a[field]]
        assert keys == sorted(keys)
    assert {r["code"] for r in a["original_languages"]} >= {"en", "ja", "ko"}
    assert next(r for r in a["original_languages"] if r["code"] == "ja")["name"] == "Japanese"


def test_films_are_listed_in_pages_with_their_tmdb_details(client, sample_session):
    url = f"/api/sessions/{sample_session['id']}/films"
    seen, cursor, pages = [], None, 0
    while True:
        page = client.get(url, params={"limit": 20, **({"cursor": cursor} if cursor else {})}).json()
        seen += page["films"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == 50
    assert len({(f["name"], f["year"]) for f in seen}) == 50
    dune = next(f for f in seen if (f["name"], f["year"]) == ("Dune", 1984))
    assert dune["tmdb_id"] == 841
    assert dune["match_rule"] == "title_primary_year"
    assert dune["directors"] == ["David Lynch"]
    assert dune["runtime"] > 0
    missing = client.get(url, params={"status": "not_found"}).json()
    assert sorted(f["name"] for f in missing["films"]) == ["Chunking Express", "Hen Hop", "Kummatty"]
    assert missing["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "lost"}, "status must be one of"),
        ({"limit": "0"}, "limit must be a whole number from 1 to 500"),
        ({"cursor": "not-ours"}, "The cursor is not valid"),
    ],
)
def test_bad_film_list_parameters_are_400(client, sample_session, params, message):
    response = client.get(f"/api/sessions/{sample_session['id']}/films", params=params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_retry_asks_tmdb_again_for_unmatched_films_without_counting_twice(client, tmdb, sample_session):
    tmdb.reset()
    response = client.post(f"/api/sessions/{sample_session['id']}/retry")
    assert response.status_code == 202
    assert response.json()["status"] == "enriching"
    assert response.json()["progress"]["not_found"] == 0
    session = wait_final(client, sample_session["id"])
    assert session["progress"] == {"total": 50, "done": 50, "matched": 47, "not_found": 3, "failed": 0}
    searched = {query.split("|")[0] for query in tmdb.stats()["searches_by_query"]}
    assert searched == {"Hen Hop", "Kummatty", "Chunking Express"}  # asked afresh, nothing else


def test_retry_of_a_session_still_enriching_is_409(client, db):
    data = b"Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,\n"
    session = client.post("/api/sessions", files=files(("watched.csv", data))).json()  # no worker running
    response = client.post(f"/api/sessions/{session['id']}/retry")
    assert response.status_code == 409
    assert "still being enriched" in response.json()["error"]


def test_analytics_say_incomplete_while_enriching(client, db):
    data = b"Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,\n"
    session = client.post("/api/sessions", files=files(("watched.csv", data))).json()
    analytics = client.get(f"/api/sessions/{session['id']}/analytics").json()
    assert analytics["complete"] is False
    assert (analytics["films"], analytics["unmatched"], analytics["genres"]) == (1, 0, [])
