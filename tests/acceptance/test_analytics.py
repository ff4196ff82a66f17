"""The sample export, enriched for real from the demo catalogue: all-time analytics, film pages, retry.

Expected values are hand-checked against samples/letterboxd/*.csv and tmdbdemo/catalogue.json
(see samples/README.md): 66 diary entries from 2022-01-03 to 2024-12-25, 50 films, 3 not on TMDB.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.support.exports import files
from tests.support.sample import SAMPLE_ZIP, enriched_sample
from tests.support.sessions import wait_final

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(database_factory, tmp_path_factory):
    """One enriched sample session shared by the tests that only read it."""
    with enriched_sample(database_factory, tmp_path_factory.mktemp("sample")) as found:
        yield found


@pytest.fixture
def sample_session(client, worker):
    """A sample session of the test's own (for tests that change it)."""
    response = client.post("/api/sessions", files=files(("letterboxd-export.zip", SAMPLE_ZIP.read_bytes())))
    assert response.status_code == 202
    session = wait_final(client, response.json()["id"])
    assert session["status"] == "completed"
    return session


def test_the_sample_exports_analytics_match_the_hand_checked_values(sample):
    a = sample.analytics()
    assert a["complete"] is True
    assert a["year"] is None
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
    assert a["top_actors"][:3] == [
        {"name": "Jamie Lee Curtis", "count": 3},
        {"name": "Oscar Isaac", "count": 3},
        {"name": "Rebecca Ferguson", "count": 3},
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


def test_the_new_spec_fields_all_time(sample):
    a = sample.analytics()
    assert a["years"] == [
        {"year": 2022, "count": 27},
        {"year": 2023, "count": 21},
        {"year": 2024, "count": 18},
    ]
    # Watched dates by ISO weekday: the member watches on Saturdays.
    assert [(w["weekday"], w["count"]) for w in a["watches_by_weekday"]] == [
        (1, 6), (2, 4), (3, 5), (4, 2), (5, 1), (6, 43), (7, 5),
    ]  # fmt: skip
    # 2022-01-06 has two diary rows, but Princess Mononoke's watched date is the 5th: no such day.
    assert a["multi_film_days"] == 0
    # 66 watches: the 1st, and the 50th (27 in 2022 + 21 in 2023, then Past Lives, then this).
    assert a["milestones"] == [
        {"n": 1, "date": "2022-01-03", "name": "Spirited Away", "year": 2001},
        {"n": 50, "date": "2024-02-10", "name": "The Zone of Interest", "year": 2023},
    ]
    assert [(r["name"], r["year"], r["count"]) for r in a["most_rewatched"]] == [
        ("Everything Everywhere All at Once", 2022, 3),
        ("Halloween", 1978, 3),
        ("Spirited Away", 2001, 3),
        ("Aftersun", 2022, 2),
        ("Amélie", 2001, 2),
        ("Dune", 1984, 2),
        ("Dune", 2021, 2),
        ("Heat", 1995, 2),
        ("Parasite", 2019, 2),
        ("Past Lives", 2023, 2),
    ]  # 13 films were watched twice or more: the first ten by count, then name, then year


def test_the_fields_beyond_spec_all_time(sample):
    a = sample.analytics()
    assert (a["first_watches"], a["rewatches"]) == (47, 19)
    # Hayao Miyazaki is the only director with three rated films: 4.5 (Spirited Away 5, Totoro 4,
    # Mononoke 4.5); three actors have three rated films each.
    assert a["top_directors_by_rating"] == [{"name": "Hayao Miyazaki", "average": 4.5, "count": 3}]
    assert a["top_actors_by_rating"] == [
        {"name": "Oscar Isaac", "average": 4.0, "count": 3},
        {"name": "Rebecca Ferguson", "average": 4.0, "count": 3},
        {"name": "Jamie Lee Curtis", "average": 3.67, "count": 3},
    ]
    versus = a["versus_tmdb"]
    # 46 rated matched films (48 rated, less Kummatty and Chunking Express, which TMDB lacks).
    assert (versus["compared"], versus["higher"], versus["lower"], versus["same"]) == (46, 26, 10, 10)
    assert versus["average_difference"] == 0.22
    assert versus["biggest_disagreements"][:3] == [
        # Crash (2004): rated 2 in the diary, TMDB 6.9 of 10 = 3.45 stars.
        {"name": "Crash", "year": 2004, "rating": 2.0, "tmdb_rating": 3.45, "difference": -1.45},
        {"name": "Halloween", "year": 2018, "rating": 2.0, "tmdb_rating": 3.25, "difference": -1.25},
        {"name": "Aftersun", "year": 2022, "rating": 5.0, "tmdb_rating": 3.9, "difference": 1.1},
    ]
    assert [(r["bucket"], r["min_minutes"], r["max_minutes"], r["count"]) for r in a["runtime_spread"]] == [
        ("short", 1, 40, 0), ("feature", 41, 149, 34), ("long", 150, None, 13),
    ]  # fmt: skip
    assert a["year_over_year"] == [
        {"year": 2022, "films": 24, "watches": 27, "rated": 24, "average_rating": 4.23,
         "total_runtime_minutes": 2927},
        {"year": 2023, "films": 21, "watches": 21, "rated": 19, "average_rating": 4.16,
         "total_runtime_minutes": 2623},
        {"year": 2024, "films": 18, "watches": 18, "rated": 18, "average_rating": 4.28,
         "total_runtime_minutes": 2026},
    ]  # fmt: skip
    assert a["top_directors_by_hours"][:2] == [
        {"name": "Hayao Miyazaki", "hours": 9.9, "count": 3},  # Spirited Away three times
        {"name": "John Carpenter", "hours": 8.2, "count": 2},  # Halloween (1978) three times
    ]
    assert (a["watches_by_week"], a["calendar"]) == ([], [])  # a year view's
    assert a["best_rated"][:2] == [
        {"name": "Spirited Away", "year": 2001, "rating": 5.0, "count": 3},  # five stars, watched most
        {"name": "Aftersun", "year": 2022, "rating": 5.0, "count": 2},
    ]


def test_rankings_order_by_count_then_name_and_series_by_key(sample):
    a = sample.analytics()
    for field in ("genres", "top_directors", "top_actors", "countries", "languages", "original_languages"):
        assert a[field] == sorted(
            a[field], key=lambda r: (-r["count"], r["name"] if field != "original_languages" else r["code"])
        )
    for field in ("top_directors_by_rating", "top_actors_by_rating"):
        assert a[field] == sorted(a[field], key=lambda r: (-r["average"], -r["count"], r["name"]))
        assert all(r["count"] >= 3 for r in a[field])
    for field, key in (
        ("decades", "decade"),
        ("release_years", "year"),
        ("watches_by_month", "month"),
        ("years", "year"),
        ("year_over_year", "year"),
    ):
        keys = [r[key] for r in a[field]]
        assert keys == sorted(keys)
    assert {r["code"] for r in a["original_languages"]} >= {"en", "ja", "ko"}
    assert next(r for r in a["original_languages"] if r["code"] == "ja")["name"] == "Japanese"


def test_the_kept_watch_counts_give_the_same_answer_as_counting_afresh(sample):
    first = sample.analytics()
    with psycopg.connect(sample.database_url, autocommit=True) as db:
        kept = db.execute(
            "SELECT (SELECT count(*) FROM tally_film_years WHERE year = -1),"
            " (SELECT count(*) FROM tally_film_years WHERE year > 0), (SELECT count(*) FROM tally_days)"
        ).fetchone()
        # 48 films in the diary; 63 (film, year) pairs: 66 watches, three films twice in 2022;
        # 66 days: one watch a day.
        assert kept == (48, 63, 66)
        assert sample.analytics(year="2023") == sample.analytics(year="2023")
        assert sample.analytics() == first  # from the kept counts
        db.execute("DELETE FROM tally_film_years")
        db.execute("DELETE FROM tally_days")
    assert sample.analytics() == first  # counted afresh


def test_films_are_listed_in_pages_with_their_tmdb_details(sample):
    seen = sample.films(limit="20")
    assert len(seen) == 50
    assert len({(f["name"], f["year"]) for f in seen}) == 50
    dune = next(f for f in seen if (f["name"], f["year"]) == ("Dune", 1984))
    assert dune["tmdb_id"] == 841
    assert dune["match_rule"] == "title_primary_year"
    assert dune["directors"] == ["David Lynch"]
    assert dune["runtime"] > 0
    assert (dune["rating"], dune["watches"], dune["last_watched"]) == (3.0, 2, "2024-02-24")
    missing = sample.films(status="not_found")
    assert sorted(f["name"] for f in missing) == ["Chunking Express", "Hen Hop", "Kummatty"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "lost"}, "status must be one of"),
        ({"limit": "0"}, "limit must be a whole number from 1 to 500"),
        ({"cursor": "not-ours"}, "The cursor is not valid"),
    ],
)
def test_bad_film_list_parameters_are_400(sample, params, message):
    response = sample.client.get(f"/api/sessions/{sample.session_id}/films", params=params)
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
