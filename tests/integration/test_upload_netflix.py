"""Uploading Netflix histories: the viewing history in its locales, the data request's activity."""

from __future__ import annotations

import pytest

from tests.support.exports import csv_bytes, files, zip_bytes
from tests.support.sources import netflix_activity, netflix_history


def upload(client, *parts):
    response = client.post("/api/sessions", files=files(*parts))
    assert response.status_code == 202, response.text
    return response.json()


def watches_of(db):
    return db.execute(
        "SELECT f.name, d.watched_on::text AS day, d.rewatch FROM diary_entries d"
        " JOIN films f USING (session_id, film_no) ORDER BY d.entry_no"
    ).fetchall()


def films_of(db):
    return [(r["name"], r["year"]) for r in db.execute("SELECT name, year FROM films ORDER BY film_no")]


@pytest.mark.parametrize(
    ("dates", "fmt"),
    [
        (["3/14/24", "3/2/24"], "M/D/Y"),  # the United States
        (["14/03/2024", "02/03/2024"], "D/M/Y"),  # the UK, France, Spain, Brazil...
        (["14.03.24", "2.3.24"], "D.M.Y"),  # Germany, the Nordics, Poland...
        (["14-3-2024", "2-3-2024"], "D-M-Y"),  # the Netherlands
        (["2024-03-14", "2024-03-02"], "Y-M-D"),  # Sweden
        (["2024/03/14", "2024/03/02"], "Y-M-D"),  # Japan, China
        (["2024. 3. 14.", "2024. 3. 2."], "Y-M-D"),  # Korea
    ],
)
def test_viewing_history_dates_are_read_in_every_accepted_locale(client, db, dates, fmt):
    session = upload(
        client, ("NetflixViewingHistory.csv", netflix_history([("Roma", dates[0]), ("Roma", dates[1])]))
    )
    assert session["source"] == "netflix"
    [summary] = session["files"]
    assert (summary["kind"], summary["rows"], summary["dates"]["format"]) == ("viewing_history", 2, fmt)
    assert watches_of(db) == [
        {"name": "Roma", "day": "2024-03-02", "rewatch": False},
        {"name": "Roma", "day": "2024-03-14", "rewatch": True},
    ]
    assert films_of(db) == [("Roma", None)]


@pytest.mark.parametrize(
    ("dates", "fmt", "why"),
    [
        (["3/4/22", "3/2/22", "2/11/22"], "M/D/Y", "read month first, the rows are in date order"),
        (["4/3/22", "2/3/22", "11/2/22"], "D/M/Y", "read day first, the rows are in date order"),
        (["2/11/22", "3/2/22", "3/4/22"], "M/D/Y", "read month first, the rows are in date order"),
        (["3/4/22", "1/1/22", "2/3/22"], "M/D/Y", "the rows' order does not tell; month first assumed"),
        (["5/5/22"], "M/D/Y", "the rows' order does not tell; month first assumed"),
    ],
)
def test_ambiguous_slash_dates_are_read_by_the_documented_rule(client, db, dates, fmt, why):
    rows = [(f"Film {n}", date) for n, date in enumerate(dates)]
    session = upload(client, ("NetflixViewingHistory.csv", netflix_history(rows)))
    how = session["files"][0]["dates"]
    assert how["format"] == fmt
    assert how["why"].endswith(why)


def test_a_day_above_twelve_anywhere_decides_the_whole_file(client, db):
    rows = [("Roma", "1/2/22"), ("Dune: Part Two", "1/3/22"), ("Barbie", "25/2/22")]
    session = upload(client, ("NetflixViewingHistory.csv", netflix_history(rows)))
    assert session["files"][0]["dates"] == {"format": "D/M/Y", "why": "line 4 has a first number above 12"}
    assert [w["day"] for w in watches_of(db)] == ["2022-02-01", "2022-02-25", "2022-03-01"]


EPISODES = [
    "Stranger Things: Season 4: Chapter One: The Hellfire Club",
    "The Queen's Gambit: Limited Series: Openings",
    "Money Heist: Part 1: Episode 1",
    "Avatar: The Last Airbender: Book One: Water: The Boy in the Iceberg",
    "Dark: Staffel 1: Geheimnisse",
    "La casa de papel: Parte 1: Episodio 1",
    "Our Planet: Collection 1: One Planet",
    "Black Mirror: Series 3: Nosedive",
    "Stranger Things: Stranger Things 2: Chapter One: MADMAX",
]
FILMS_WITH_COLONS = [
    "Dune: Part Two",
    "Kill Bill: Vol. 1",
    "Mission: Impossible – Dead Reckoning Part One",
    "Glass Onion: A Knives Out Mystery",
    "Black Mirror: Bandersnatch",
    "Spider-Man: Across the Spider-Verse",
]


def test_episodes_are_skipped_and_counted_and_films_with_colons_are_kept(client, db):
    rows = [(title, "1/15/24") for title in EPISODES + FILMS_WITH_COLONS]
    session = upload(client, ("NetflixViewingHistory.csv", netflix_history(rows)))
    assert session["files"][0]["skipped"] == {"episode": len(EPISODES)}
    assert films_of(db) == [(title, None) for title in FILMS_WITH_COLONS]


ACTIVITY = [
    ("Sam", "2023-12-26 19:40:00", "01:58:02", "The Irishman", ""),
    ("Sam", "2023-12-26 14:10:00", "01:32:15", "The Irishman", ""),
    ("Robin", "2023-12-26 09:00:00", "00:20:00", "The Irishman", ""),
    ("Sam", "2023-12-26 13:55:31", "00:02:31", "The Irishman", "TRAILER"),
    ("Robin", "2023-12-20 13:55:31", "00:00:31", "Glass Onion: A Knives Out Mystery", "TEASER_TRAILER"),
    ("Robin", "2023-12-20 13:50:31", "00:00:41", "Glass Onion: A Knives Out Mystery", "HOOK"),
    (
        "Sam",
        "2023-05-27 20:02:10",
        "01:17:45",
        "Stranger Things: Season 4: Chapter One: The Hellfire Club (Episode 1)",
        "",
    ),
    ("Sam", "2019-11-28 19:30:00", "03:29:05", "The Irishman", ""),
]


def test_viewing_activity_counts_one_watch_per_film_and_day_whatever_the_sittings(client, db):
    session = upload(client, ("ViewingActivity.csv", netflix_activity(ACTIVITY)))
    assert session["files"] == [
        {
            "name": "ViewingActivity.csv",
            "kind": "viewing_activity",
            "rows": 8,
            "skipped": {"episode": 1, "supplemental video": 1, "trailer": 2},
            "profiles": [{"name": "Robin", "rows": 3}, {"name": "Sam", "rows": 5}],
        }
    ]
    assert watches_of(db) == [
        {"name": "The Irishman", "day": "2019-11-28", "rewatch": False},
        {"name": "The Irishman", "day": "2023-12-26", "rewatch": True},
    ]
    assert films_of(db) == [("The Irishman", None)]


def test_the_data_request_zip_is_read_for_its_viewing_activity_alone(client, db):
    archive = zip_bytes(
        {
            "netflix-report/CONTENT_INTERACTION/ViewingActivity.csv": netflix_activity(ACTIVITY[:1]),
            "netflix-report/CONTENT_INTERACTION/Ratings.csv": csv_bytes(
                ["Profile Name", "Title Name", "Thumbs Value", "Device Model", "Event Utc Ts"],
                [["Sam", "Roma", "2", "Chrome", "2019-01-01 10:00:00"]],
            ),
            "netflix-report/PROFILES/Profiles.csv": csv_bytes(
                ["Profile Name", "Email Address"], [["Sam", ""]]
            ),
            "netflix-report/Cover sheet.pdf": b"%PDF-1.4",
        }
    )
    session = upload(client, ("netflix-report.zip", archive))
    assert session["source"] == "netflix"
    kinds = {f["name"]: f["kind"] for f in session["files"]}
    assert kinds == {
        "netflix-report/CONTENT_INTERACTION/ViewingActivity.csv": "viewing_activity",
        "netflix-report/CONTENT_INTERACTION/Ratings.csv": "skipped",
        "netflix-report/PROFILES/Profiles.csv": "skipped",
        "netflix-report/Cover sheet.pdf": "skipped",
    }
    assert len(watches_of(db)) == 1


def test_viewing_histories_of_several_profiles_merge_into_one_watch_per_day(client, db):
    sam = netflix_history([("Roma", "12/16/18"), ("Roma", "1/1/19")])
    robin = netflix_history([("Roma", "12/16/18")])
    session = upload(client, ("NetflixViewingHistory.csv", sam), ("NetflixViewingHistory (1).csv", robin))
    assert [f["kind"] for f in session["files"]] == ["viewing_history", "viewing_history"]
    assert [w["day"] for w in watches_of(db)] == ["2018-12-16", "2019-01-01"]


def test_viewing_history_and_viewing_activity_together_are_refused(client, db):
    response = client.post(
        "/api/sessions",
        files=files(
            ("NetflixViewingHistory.csv", netflix_history([("Roma", "12/16/18")])),
            ("ViewingActivity.csv", netflix_activity(ACTIVITY[:1])),
        ),
    )
    assert response.status_code == 422
    assert "list the same viewings" in response.json()["error"]
