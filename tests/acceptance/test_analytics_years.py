"""GET …/analytics?year=YYYY on the enriched sample export: the same object for one year.

Hand-checked against samples/letterboxd/diary.csv (27 entries in 2022, 21 in 2023, 18 in 2024) with
each film's rating as all time (ratings.csv, else its latest diary rating) and the demo catalogue.
"""

from __future__ import annotations

import pytest

from tests.support.sample import enriched_sample

pytestmark = pytest.mark.slow
EMPTY_RATINGS = [{"rating": step / 2, "count": 0} for step in range(1, 11)]


@pytest.fixture(scope="module")
def sample(database_factory, tmp_path_factory):
    with enriched_sample(database_factory, tmp_path_factory.mktemp("sample")) as found:
        yield found


def counts(entries, key):
    return [(entry[key], entry["count"]) for entry in entries]


def test_2022_hand_checked(sample):
    a = sample.analytics(year="2022")
    assert a["year"] == 2022
    assert a["complete"] is True
    # 27 diary entries, three of them a second watch that year (Everything Everywhere All at Once,
    # Halloween 1978, Spirited Away): 24 films, all matched and rated.
    assert (a["films"], a["unmatched"], a["watches"], a["rated"]) == (24, 0, 27, 24)
    # Added to the watchlist in 2022 and never watched: 9 added, less Jeanne Dielman and Aftersun.
    assert a["watchlist"] == 7
    assert a["average_rating"] == 4.23
    assert a["total_runtime_minutes"] == 2927
    assert (a["rewatches"], a["first_watches"]) == (4, 23)
    assert a["years"] == [{"year": 2022, "count": 27}]
    assert counts(a["watches_by_weekday"], "weekday") == [
        (1, 5),
        (2, 2),
        (3, 2),
        (4, 1),
        (5, 0),
        (6, 14),
        (7, 3),
    ]
    assert a["multi_film_days"] == 0
    assert a["milestones"] == [{"n": 1, "date": "2022-01-03", "name": "Spirited Away", "year": 2001}]
    assert a["most_rewatched"] == [
        {"name": "Everything Everywhere All at Once", "year": 2022, "count": 2},
        {"name": "Halloween", "year": 1978, "count": 2},
        {"name": "Spirited Away", "year": 2001, "count": 2},
    ]
    assert [r["count"] for r in a["ratings"]] == [0, 0, 0, 1, 0, 1, 2, 7, 7, 6]
    assert counts(a["decades"], "decade") == [
        (1960, 2), (1970, 2), (1980, 4), (1990, 3), (2000, 4), (2010, 5), (2020, 4),
    ]  # fmt: skip
    assert counts(a["watches_by_month"], "month") == [
        ("2022-01", 5), ("2022-02", 2), ("2022-03", 3), ("2022-04", 1), ("2022-05", 2), ("2022-06", 1),
        ("2022-07", 1), ("2022-08", 1), ("2022-09", 1), ("2022-10", 7), ("2022-11", 1), ("2022-12", 2),
    ]  # fmt: skip
    assert counts(a["genres"][:6], "name") == [
        ("Drama", 8), ("Horror", 6), ("Thriller", 6),
        ("Adventure", 5), ("Animation", 5), ("Science Fiction", 5),
    ]  # fmt: skip
    assert counts(a["top_directors"][:2], "name") == [("Hayao Miyazaki", 3), ("John Carpenter", 2)]
    assert counts(a["top_actors"][:2], "name") == [("Jamie Lee Curtis", 3), ("Jessica Harper", 2)]
    assert counts(a["countries"][:4], "name") == [
        ("United States of America", 13), ("Japan", 5), ("France", 3), ("Italy", 3),
    ]  # fmt: skip
    assert counts(a["languages"][:3], "name") == [("English", 17), ("Japanese", 5), ("French", 4)]
    assert sum(r["count"] for r in a["release_years"]) == 24
    assert a["busiest_month"] == {"month": "2022-10", "count": 7}


def test_2023_hand_checked(sample):
    a = sample.analytics(year="2023")
    # 21 entries, no film twice; Hen Hop is not on TMDB, it and 8½ have no rating.
    assert (a["films"], a["unmatched"], a["watches"], a["rated"]) == (21, 1, 21, 19)
    assert a["watchlist"] == 5  # Shoplifters, Roma, Sátántangó, Decision to Leave, Three Colours: Red
    assert a["average_rating"] == 4.16  # 79 stars over 19 films (Heat counts 5, its ratings.csv rating)
    assert a["total_runtime_minutes"] == 2623
    assert (a["rewatches"], a["first_watches"]) == (6, 15)
    assert a["years"] == [{"year": 2023, "count": 21}]
    assert counts(a["watches_by_weekday"], "weekday") == [
        (1, 1),
        (2, 2),
        (3, 1),
        (4, 1),
        (5, 1),
        (6, 14),
        (7, 1),
    ]
    assert a["multi_film_days"] == 0
    assert a["milestones"] == [{"n": 1, "date": "2023-02-04", "name": "TÁR", "year": 2022}]
    assert a["most_rewatched"] == []
    assert [r["count"] for r in a["ratings"]] == [0, 0, 0, 2, 0, 0, 2, 3, 8, 4]
    assert counts(a["decades"], "decade") == [
        (1960, 1), (1970, 3), (1980, 2), (1990, 3), (2000, 2), (2010, 1), (2020, 8),
    ]  # fmt: skip
    assert counts(a["watches_by_month"], "month")[-3:] == [("2023-10", 8), ("2023-11", 1), ("2023-12", 1)]
    assert counts(a["genres"][:3], "name") == [("Drama", 10), ("Thriller", 6), ("Horror", 5)]
    assert counts(a["top_directors"][:1], "name") == [("John Carpenter", 2)]
    assert counts(a["countries"][:3], "name") == [
        ("United States of America", 14),
        ("France", 4),
        ("United Kingdom", 4),
    ]
    assert a["longest_streak"] == {"days": 8, "start": "2023-10-24", "end": "2023-10-31"}
    assert a["versus_tmdb"]["compared"] == 19  # the rated films are all matched (Hen Hop is unrated)
    assert a["top_directors_by_rating"] == []  # nobody has three rated films in 2023
    # The four five-star films watched in 2023 (Heat by its ratings.csv rating, rated 4.5 that day).
    assert [(f["name"], f["rating"]) for f in a["best_rated"][:5]] == [
        ("Aftersun", 5.0), ("Heat", 5.0), ("Past Lives", 5.0), ("The Thing", 5.0), ("Amélie", 4.5),
    ]  # fmt: skip


def test_a_year_view_has_its_weeks_and_days(sample):
    a = sample.analytics(year="2023")
    days = a["calendar"]
    assert len(days) == 365 and days[0]["date"] == "2023-01-01" and days[-1]["date"] == "2023-12-31"
    assert sum(d["count"] for d in days) == 21
    assert {d["date"] for d in days if d["count"]} >= {"2023-02-04", "2023-10-24", "2023-12-30"}
    weeks = a["watches_by_week"]
    # 1 January 2023 is a Sunday, in ISO week 2022-W52; 31 December closes 2023-W52.
    assert (weeks[0]["week"], weeks[0]["start"], weeks[-1]["week"], len(weeks)) == (
        "2022-W52",
        "2022-12-26",
        "2023-W52",
        53,
    )
    assert sum(w["count"] for w in weeks) == 21
    assert next(w for w in weeks if w["week"] == "2023-W43")["count"] == 6  # 24 to 29 October


def test_each_year_over_year_row_is_what_the_year_view_says(sample):
    table = sample.analytics()["year_over_year"]
    assert [row["year"] for row in table] == [2022, 2023, 2024]
    for row in table:
        year = sample.analytics(year=str(row["year"]))
        # A year view compares with the year before; every view lists the years with watches.
        assert year["year_over_year"] == [r for r in table if row["year"] - 1 <= r["year"] <= row["year"]]
        assert year["watch_years"] == [2022, 2023, 2024]
        for field in ("films", "watches", "rated", "average_rating", "total_runtime_minutes"):
            assert row[field] == year[field], (row["year"], field)


def test_the_years_add_up_to_all_time(sample):
    everything = sample.analytics()
    years = [sample.analytics(year=str(y)) for y in (2022, 2023, 2024)]
    assert sum(y["watches"] for y in years) == everything["watches"]
    assert sum(y["rewatches"] for y in years) == everything["rewatches"]
    assert [m for y in years for m in y["watches_by_month"]] == everything["watches_by_month"]
    weekdays = [sum(y["watches_by_weekday"][d]["count"] for y in years) for d in range(7)]
    assert weekdays == [w["count"] for w in everything["watches_by_weekday"]]


@pytest.mark.parametrize("year", ["2021", "1999", "2025"])
def test_a_year_without_watches_gives_zeros_and_empty_lists(sample, year):
    a = sample.analytics(year=year)
    assert a["year"] == int(year)
    for field in ("films", "unmatched", "watchlist", "watches", "rated", "total_runtime_minutes", "rewatches",
                  "first_watches", "multi_film_days"):  # fmt: skip
        assert a[field] == 0, field
    assert a["average_rating"] is None
    assert a["ratings"] == EMPTY_RATINGS
    assert a["watches_by_weekday"] == [{"weekday": d, "count": 0} for d in range(1, 8)]
    for field in ("genres", "top_directors", "top_actors", "countries", "languages", "original_languages",
                  "decades", "release_years", "watches_by_month", "years", "milestones", "most_rewatched",
                  "average_rating_by_genre", "average_rating_by_decade", "top_directors_by_hours",
                  "top_directors_by_rating", "top_actors_by_rating"):  # fmt: skip
        assert a[field] == [], field
    assert (a["busiest_month"], a["longest_streak"]) == (None, None)
    assert all(d["count"] == 0 for d in a["calendar"])
    assert all(w["count"] == 0 for w in a["watches_by_week"])
    assert a["versus_tmdb"]["compared"] == 0
    assert [r["count"] for r in a["runtime_spread"]] == [0, 0, 0]
    assert a["year_over_year"] == []  # no comparison with the year before either
    assert a["watch_years"] == [2022, 2023, 2024]  # for the year switcher


@pytest.mark.parametrize("year", ["abc", "", "23", "20233", "2023.0", "-2023", "0000", " 2023"])
def test_a_year_that_is_not_a_year_is_400(sample, year):
    response = sample.client.get(f"/api/sessions/{sample.session_id}/analytics", params={"year": year})
    assert response.status_code == 400
    assert response.json() == {"error": "year must be a four-digit year such as 2023"}


def test_an_unknown_session_is_404_with_or_without_a_year(sample):
    for params in ({}, {"year": "2023"}):
        response = sample.client.get(
            "/api/sessions/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b/analytics", params=params
        )
        assert response.status_code == 404
