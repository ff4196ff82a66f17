"""How watches are dated, counted and ordered, on small uploads made for each case (no worker:
the films stay pending, which the watch statistics do not need)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import psycopg

from common.sqlfiles import load_queries
from tests.support.exports import DIARY, RATINGS, WATCHED, csv_bytes, files
from tests.support.processes import wait_until


def upload(client, *parts):
    response = client.post("/api/sessions", files=files(*parts))
    assert response.status_code == 202, response.text
    return response.json()["id"]


def analytics(client, session_id, **params):
    response = client.get(f"/api/sessions/{session_id}/analytics", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def diary_row(day, name, year=2000, rating="", rewatch="", watched=None):
    return [day, name, year, "", rating, rewatch, "", day if watched is None else watched]


def test_milestones_follow_the_watched_date_and_ties_the_export_order(client, db):
    start = date(2024, 1, 1)
    rows = [diary_row((start + timedelta(days=n)).isoformat(), f"Film {n}") for n in range(47)]
    rows += [diary_row("2024-03-01", name) for name in ("First of the day", "Second of the day", "Third")]
    rows.append(diary_row("2024-03-05", "Logged late", watched="2023-12-31"))  # last row, earliest watch
    session = upload(client, ("diary.csv", csv_bytes(DIARY, rows)))
    a = analytics(client, session)
    # Date order: 2023-12-31, 47 days of January and February, then 2024-03-01's three rows in order.
    assert a["milestones"] == [
        {"n": 1, "date": "2023-12-31", "name": "Logged late", "year": 2000},
        {"n": 50, "date": "2024-03-01", "name": "Second of the day", "year": 2000},
    ]
    assert a["multi_film_days"] == 1
    assert a["years"] == [{"year": 2023, "count": 1}, {"year": 2024, "count": 50}]
    assert analytics(client, session, year="2024")["milestones"][0]["name"] == "Film 0"


def test_milestones_reach_every_thousandth_watch(client, db):
    rows = [
        diary_row((date(2020, 1, 1) + timedelta(days=n // 3)).isoformat(), f"Film {n % 400}")
        for n in range(2100)
    ]
    a = analytics(client, upload(client, ("diary.csv", csv_bytes(DIARY, rows))))
    assert [m["n"] for m in a["milestones"]] == [1, 50, 100, 250, 500, 1000, 2000]
    assert [m["name"] for m in a["milestones"]] == [
        "Film 0",
        "Film 49",
        "Film 99",
        "Film 249",
        "Film 99",
        "Film 199",
        "Film 399",
    ]
    assert a["multi_film_days"] == 700  # three watches every day
    assert (a["watches"], a["films"]) == (2100, 400)
    assert a["most_rewatched"][0] == {"name": "Film 0", "year": 2000, "count": 6}
    assert len(a["most_rewatched"]) == 10


def test_without_a_diary_the_films_are_the_watches_dated_by_watched_csv(client, db):
    rows = [
        ["2023-03-04", "Heat", 1995, ""],
        ["2023-03-04", "Alien", 1979, ""],
        ["2024-01-01", "Ran", 1985, ""],
    ]
    rows.append(["", "Undated", 2001, ""])
    session = upload(client, ("watched.csv", csv_bytes(WATCHED, rows)))
    a = analytics(client, session)
    assert (a["watches"], a["films"]) == (4, 4)
    # watched.csv holds each film once: whether any was seen twice is unknown, not zero; no
    # ratings.csv nor diary, no watchlist.csv either.
    assert (a["rewatches"], a["first_watches"], a["most_rewatched"]) == (None, None, None)
    assert (a["rated"], a["average_rating"], a["ratings"], a["watchlist"]) == (None, None, None, None)
    assert a["years"] == [
        {"year": 2023, "count": 2},
        {"year": 2024, "count": 1},
    ]  # the undated one has no year
    assert a["multi_film_days"] == 1
    assert a["watches_by_weekday"][5] == {"weekday": 6, "count": 2}  # 4 March 2023 was a Saturday
    assert [m["name"] for m in a["milestones"]] == ["Heat"]  # first in export order on the first day
    y = analytics(client, session, year="2023")
    assert (y["watches"], y["films"], y["multi_film_days"]) == (2, 2, 1)
    assert [row["year"] for row in y["year_over_year"]] == [2023]  # and 2022, had it watches
    assert y["watch_years"] == [2023, 2024]


def test_undated_watches_count_all_time_but_in_no_year(client, db):
    rows = [diary_row("2022-05-01", "Dated"), diary_row("", "Undated", watched="")]
    session = upload(client, ("diary.csv", csv_bytes(DIARY, rows)))
    a = analytics(client, session)
    assert (a["watches"], a["films"], sum(y["count"] for y in a["years"])) == (2, 2, 1)
    assert sum(w["count"] for w in a["watches_by_weekday"]) == 1
    assert (analytics(client, session, year="2022")["films"], a["year_over_year"][0]["films"]) == (1, 1)


def test_a_films_rating_is_its_latest_diary_rating_in_every_year_unless_ratings_csv_has_one(client, db):
    rows = [
        diary_row("2022-02-01", "Changed Mind", rating="2"),
        diary_row("2023-06-01", "Changed Mind", rating="4", rewatch="Yes"),
        diary_row("2023-07-01", "Changed Mind", rewatch="Yes"),  # latest watch, but unrated
        diary_row("2022-03-01", "Rated Apart", rating="1"),
    ]
    ratings = [["2023-01-01", "Rated Apart", 2000, "", "5"]]
    session = upload(
        client, ("diary.csv", csv_bytes(DIARY, rows)), ("ratings.csv", csv_bytes(RATINGS, ratings))
    )
    for view in ({}, {"year": "2022"}):
        a = analytics(client, session, **view)
        assert {r["rating"]: r["count"] for r in a["ratings"] if r["count"]} == {4.0: 1, 5.0: 1}, view
        assert a["average_rating"] == 4.5
    y2023 = analytics(client, session, year="2023")
    assert (y2023["films"], y2023["watches"], y2023["rewatches"], y2023["rated"]) == (1, 2, 2, 1)
    assert y2023["most_rewatched"] == [{"name": "Changed Mind", "year": 2000, "count": 2}]
    films = client.get(f"/api/sessions/{session}/films").json()["films"]
    assert [(f["name"], f["rating"], f["watches"], f["last_watched"]) for f in films] == [
        ("Changed Mind", 4.0, 3, "2023-07-01"),
        ("Rated Apart", 5.0, 1, "2022-03-01"),
    ]


def test_watch_filters_apply_to_one_and_the_same_watch(client, db):
    rows = [diary_row("2023-03-04", "Saturday in 2023"), diary_row("2022-03-07", "Saturday in 2023")]
    rows += [diary_row("2022-03-05", "Monday in 2023")]
    rows += [diary_row("2023-03-06", "Monday in 2023")]  # a Monday
    session = upload(client, ("diary.csv", csv_bytes(DIARY, rows)))
    url = f"/api/sessions/{session}/films"
    both = client.get(url, params={"watched_year": "2023", "weekday": "6"}).json()["films"]
    assert [(f["name"], f["watches"]) for f in both] == [("Saturday in 2023", 1)]
    assert client.get(url, params={"watched_on": "2022-03-05"}).json()["films"][0]["name"] == "Monday in 2023"
    weekly = client.get(url, params={"watched_week": "2022-W10"}).json()["films"]  # 7 to 13 March 2022
    assert [f["name"] for f in weekly] == ["Saturday in 2023"]


def test_film_lists_count_each_films_watches_that_meet_the_filters(client, db):
    days = [date(2022 + n % 3, n % 9 + 1, 10 + n % 9) for n in range(40)]
    rows = [diary_row(day.isoformat(), f"Film {n % 7}") for n, day in enumerate(days)]
    session = upload(client, ("diary.csv", csv_bytes(DIARY, rows)))
    views = {
        "all": ({}, lambda day: True),
        "a year": ({"watched_year": "2023"}, lambda day: day.year == 2023),
        "a year's Wednesdays": (
            {"watched_year": "2024", "weekday": "3"},
            lambda d: d.year == 2024 and d.isoweekday() == 3,
        ),
        "a month": ({"watched_month": "2022-05"}, lambda day: (day.year, day.month) == (2022, 5)),
    }
    for name, (params, meets) in views.items():
        films = client.get(f"/api/sessions/{session}/films", params=params).json()["films"]
        expected = {}
        for n, day in enumerate(days):
            if meets(day):
                expected.setdefault(f"Film {n % 7}", []).append(day)
        got = {f["name"]: (f["watches"], f["last_watched"]) for f in films if f["watches"]}
        want = {film: (len(d), max(d).isoformat()) for film, d in expected.items()}
        assert got == want, name
    # The first film list of the session counted its watches (one statement, then kept).
    assert db.execute("SELECT count(*) AS n FROM tally_film_years WHERE year = -1").fetchone()["n"] == 7


def test_two_first_requests_at_once_keep_one_set_of_counts(client, db, database_url):
    rows = [
        diary_row((date(2021, 1, 1) + timedelta(days=n)).isoformat(), f"Film {n % 30}") for n in range(300)
    ]
    session = upload(client, ("diary.csv", csv_bytes(DIARY, rows)))
    count = load_queries("analytics")["count_session_watches"]
    answers = {}
    with psycopg.connect(database_url) as first, psycopg.connect(database_url) as second:
        assert first.execute(count, {"session_id": session}).fetchone() == (
            30 + 30,
            300,
        )  # all in 2021; not committed
        racer = threading.Thread(
            target=lambda: answers.update(second=second.execute(count, {"session_id": session}).fetchone())
        )
        racer.start()

        def second_waits() -> bool:
            row = db.execute(
                "SELECT count(*) AS n FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            return row["n"] == 1

        wait_until(second_waits, 10, "the second count to wait for the first")
        first.commit()
        racer.join(10)
        second.commit()
    assert answers["second"] == (0, 0)  # it kept the first one's rows
    kept = db.execute("SELECT count(*) AS n FROM tally_film_years WHERE year = -1").fetchone()["n"]
    assert kept == 30
    assert analytics(client, session)["watches"] == 300
