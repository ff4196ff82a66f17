"""Bad IMDb, Trakt and Netflix files, and uploads mixing services: a clear 4xx, nothing stored."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.support.exports import DIARY, csv_bytes, files, row_counts, zip_bytes
from tests.support.sources import (
    IMDB_RATINGS_NEW,
    imdb_list,
    imdb_ratings,
    json_bytes,
    netflix_activity,
    netflix_history,
    play,
    trakt_movie,
    watched,
)

NOTHING_STORED = dict.fromkeys(
    ("upload_sessions", "films", "diary_entries", "reviews", "watchlist_entries", "enrichment_jobs"), 0
)
HEAT = trakt_movie("Heat", 1995, imdb="tt0113277", tmdb=949)
GOOD_PLAY = play(1, "2024-02-01T20:00:00.000Z", HEAT)
GOOD_RATING = ("tt0113277", "9", "2024-01-05", "Heat", "Movie", 1995)
GOOD_ACTIVITY = ("Sam", "2023-12-26 19:40:00", "01:58:02", "The Irishman", "")
LETTERBOXD_DIARY = csv_bytes(DIARY, [["2024-01-02", "Heat", "1995", "", "4", "", "", "2024-01-01"]])


def ratings_with(*changes: tuple[int, str]) -> bytes:
    row = ["tt0000002", *GOOD_RATING[1:]]
    for index, value in changes:
        row[index] = value
    return imdb_ratings([GOOD_RATING, row])


def history_with(entry: object) -> bytes:
    return json_bytes([GOOD_PLAY, entry])


def changed_play(**changes: object) -> dict:
    return {**GOOD_PLAY, "id": 2, **changes}


def json_bomb(size: int) -> bytes:
    entries = json.dumps([GOOD_PLAY] * (size // len(json.dumps(GOOD_PLAY)))).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("history-1.json", entries)
    return out.getvalue()


CASES = [
    # Mixing services
    (
        "Letterboxd and IMDb",
        [("diary.csv", LETTERBOXD_DIARY), ("ratings.csv", imdb_ratings([GOOD_RATING]))],
        422,
        "The upload mixes two services: diary.csv is from Letterboxd, ratings.csv from IMDb; upload one",
    ),
    (
        "IMDb and Trakt",
        [("ratings.csv", imdb_ratings([GOOD_RATING])), ("history-1.json", json_bytes([GOOD_PLAY]))],
        422,
        "ratings.csv is from IMDb, history-1.json from Trakt",
    ),
    (
        "Trakt and Netflix",
        [
            ("history-1.json", json_bytes([GOOD_PLAY])),
            ("NetflixViewingHistory.csv", netflix_history([("Roma", "1/2/24")])),
        ],
        422,
        "history-1.json is from Trakt, NetflixViewingHistory.csv from Netflix",
    ),
    (
        "one zip holding Letterboxd and Trakt files",
        [
            (
                "export.zip",
                zip_bytes({"diary.csv": LETTERBOXD_DIARY, "history-1.json": json_bytes([GOOD_PLAY])}),
            )
        ],
        422,
        "The upload mixes two services",
    ),
    # IMDb
    (
        "IMDb header only",
        [("ratings.csv", csv_bytes(IMDB_RATINGS_NEW, []))],
        422,
        "has a header row but no rows",
    ),
    (
        "IMDb header lacking a column",
        [("ratings.csv", csv_bytes([c for c in IMDB_RATINGS_NEW if c != "Date Rated"], [["tt1"] * 13]))],
        422,
        "looks like an IMDb ratings export, but it lacks 'Date Rated'",
    ),
    (
        "IMDb bad Const",
        [("ratings.csv", ratings_with((0, "nm0000123")))],
        422,
        "line 3: Const 'nm0000123' is not an IMDb title id",
    ),
    (
        "IMDb rating 11",
        [("ratings.csv", ratings_with((1, "11")))],
        422,
        "line 3: Your Rating '11' is not a whole number from 1 to 10",
    ),
    (
        "IMDb rating 7.5",
        [("ratings.csv", ratings_with((1, "7.5")))],
        422,
        "Your Rating '7.5' is not a whole number",
    ),
    (
        "IMDb bad date",
        [("ratings.csv", ratings_with((2, "05/01/2024")))],
        422,
        "line 3: Date Rated '05/01/2024' is not a date",
    ),
    ("IMDb empty title", [("ratings.csv", ratings_with((3, " ")))], 422, "line 3: the Title is empty"),
    (
        "IMDb bad year",
        [("ratings.csv", ratings_with((5, "1995-1999")))],
        422,
        "line 3: Year '1995-1999' is not a year",
    ),
    (
        "IMDb title rated twice",
        [("ratings.csv", imdb_ratings([GOOD_RATING, GOOD_RATING]))],
        422,
        "line 3: tt0113277 is rated twice (also on line 2)",
    ),
    (
        "IMDb list with a bad Created date",
        [("WATCHLIST.csv", imdb_list([("tt0079944", "2023-02-30", "Stalker", "Movie", 1979)]))],
        422,
        "WATCHLIST.csv, line 2: Created '2023-02-30' is not a real date",
    ),
    # Trakt
    ("Trakt cut short", [("history-1.json", json_bytes([GOOD_PLAY])[:-40])], 422, "it is cut short"),
    (
        "Trakt not JSON",
        [("history-1.json", b'[{"id": 1, "watched_at": nope}]')],
        422,
        "history-1.json, line 1: it is not valid JSON",
    ),
    (
        "Trakt text after the array",
        [("history-1.json", json_bytes([GOOD_PLAY]) + b" []")],
        422,
        "more text after the end of the JSON array",
    ),
    (
        "Trakt entry not an object",
        [
            (
                "history-1.json",
                b'[{"watched_at": "2024-01-01T00:00:00Z", "type": "movie", "movie": {"title": "Heat"}}, 3]',
            )
        ],
        422,
        "expected entry 2 as an object",
    ),
    (
        "Trakt missing comma",
        [("history-1.json", b'[{"watched_at": "2024-01-01T00:00:00Z", "movie": {"title": "Heat"}} {}]')],
        422,
        "expected a comma or ']'",
    ),
    (
        "Trakt not UTF-8",
        [("history-1.json", json_bytes([GOOD_PLAY]).replace(b"Heat", b"H\xe9at"))],
        422,
        "is not UTF-8 text",
    ),
    (
        "Trakt bad watched_at",
        [("history-1.json", history_with(changed_play(watched_at="yesterday")))],
        422,
        "entry 2: watched_at 'yesterday' is not a date and time",
    ),
    (
        "Trakt bad type",
        [("history-1.json", history_with(changed_play(type="film")))],
        422,
        "entry 2: type 'film' is not movie, show, season or episode",
    ),
    (
        "Trakt movie without title",
        [("history-1.json", history_with(changed_play(movie={"year": 1995, "ids": {}})))],
        422,
        "entry 2: the movie title is empty",
    ),
    (
        "Trakt movie without movie",
        [("history-1.json", history_with({"id": 9, "watched_at": "2024-01-01T00:00:00Z", "type": "movie"}))],
        422,
        "entry 2: it has no movie object",
    ),
    (
        "Trakt bad imdb id",
        [("history-1.json", history_with(changed_play(movie=trakt_movie("Heat", 1995, imdb="0113277"))))],
        422,
        "ids.imdb '0113277' is not an IMDb title id",
    ),
    (
        "Trakt bad tmdb id",
        [("history-1.json", history_with(changed_play(movie=trakt_movie("Heat", 1995, tmdb=-4))))],
        422,
        "ids.tmdb '-4' is not a TMDB id",
    ),
    (
        "Trakt bad year",
        [("history-1.json", history_with(changed_play(movie=trakt_movie("Heat", 19955))))],
        422,
        "movie year 19955 is not between",
    ),
    (
        "Trakt title with a NUL escape",
        [("history-1.json", history_with(changed_play(movie=trakt_movie("He\x00at", 1995))))],
        422,
        "the movie title contains a NUL character",
    ),
    (
        "Trakt title with a lone surrogate",
        [
            (
                "history-1.json",
                b'[{"watched_at": "2024-01-01T00:00:00Z", "type": "movie", "movie": {"title": "\\ud800"}}]',
            )
        ],
        422,
        "lone surrogate",
    ),
    (
        "Trakt rating 0",
        [
            (
                "ratings-movies.json",
                json_bytes(
                    [{"rated_at": "2024-01-01T00:00:00Z", "rating": 0, "type": "movie", "movie": HEAT}]
                ),
            )
        ],
        422,
        "entry 1: rating '0' is not a whole number from 1 to 10",
    ),
    (
        "Trakt bad plays",
        [("watched-movies.json", json_bytes([{**watched(HEAT, "2024-01-01T00:00:00Z"), "plays": "many"}]))],
        422,
        "entry 1: plays 'many' is not a count",
    ),
    ("Trakt empty file", [("history-1.json", b"[]")], 422, "history-1.json holds no entries"),
    (
        "Trakt entry over 256 KiB",
        [("history-1.json", history_with(changed_play(note="x" * 300_000)))],
        422,
        "an entry is longer than 256 KiB",
    ),
    (
        "Trakt deeply nested",
        [("history-1.json", b'[{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]")],
        422,
        "nests that deep",
    ),
    (
        "Trakt huge number",
        [("history-1.json", b'[{"id": ' + b"9" * 5000 + b', "watched_at": "2024-01-01T00:00:00Z"}]')],
        422,
        "a number that long",
    ),
    (
        "two Trakt watched files",
        [("watched-movies.json", json_bytes([watched(HEAT, "2024-01-01T00:00:00Z")]))] * 2,
        422,
        "The upload holds two Trakt watched files",
    ),
    (
        "Trakt zip inflating past the limit",
        [("trakt.zip", json_bomb(3 * 1024 * 1024))],
        413,
        "The zip inflates to more than 2 MB",
    ),
    # Netflix
    (
        "Netflix header only",
        [("NetflixViewingHistory.csv", b'"Title","Date"\n')],
        422,
        "has a header row but no rows",
    ),
    (
        "Netflix header of neither file",
        [("NetflixViewingHistory.csv", b'"Title","Date","Profile"\n"Roma","1/2/24","Sam"\n')],
        422,
        "looks like a Netflix viewing history, but its columns (Title, Date, Profile)",
    ),
    (
        "Netflix month names",
        [("NetflixViewingHistory.csv", netflix_history([("Roma", "May 27, 2022")]))],
        422,
        "line 2: Date 'May 27, 2022' is not written in a way reelstats reads",
    ),
    (
        "Netflix other digits",
        [("NetflixViewingHistory.csv", netflix_history([("Roma", "٢٧/٥/٢٠٢٢")]))],
        422,
        "is not written in a way reelstats reads",
    ),
    (
        "Netflix Buddhist year",
        [("NetflixViewingHistory.csv", netflix_history([("Roma", "27/5/2565")]))],
        422,
        "Date '27/5/2565' has the year 2565",
    ),
    (
        "Netflix empty date",
        [("NetflixViewingHistory.csv", netflix_history([("Roma", "")]))],
        422,
        "line 2: the Date is empty",
    ),
    (
        "Netflix day-first and month-first dates in one file",
        [("NetflixViewingHistory.csv", netflix_history([("Roma", "25/2/22"), ("Roma", "2/25/22")]))],
        422,
        "line 3: Date '2/25/22' must be read M/D/Y, but line 2's date only reads D/M/Y",
    ),
    (
        "Netflix dates written two ways",
        [("NetflixViewingHistory.csv", netflix_history([("Roma", "1/2/22"), ("Roma", "01.02.22")]))],
        422,
        "line 3: Date '01.02.22' is written differently from the date on line 2",
    ),
    (
        "Netflix date impossible when read as decided",
        [("NetflixViewingHistory.csv", netflix_history([("Roma", "2/30/22"), ("Roma", "1/13/22")]))],
        422,
        "line 2: Date '2/30/22' is not a real date when read as M/D/Y",
    ),
    (
        "Netflix no month",
        [("NetflixViewingHistory.csv", netflix_history([("Roma", "13/13/22")]))],
        422,
        "both numbers are above 12",
    ),
    (
        "Netflix bad Start Time",
        [("ViewingActivity.csv", netflix_activity([("Sam", "26/12/2023 19:40", "01:58:02", "Roma", "")]))],
        422,
        "ViewingActivity.csv, line 2: Start Time '26/12/2023 19:40' is not a date and time",
    ),
    (
        "Netflix impossible Start Time",
        [("ViewingActivity.csv", netflix_activity([("Sam", "2023-02-30 19:40:00", "01:58:02", "Roma", "")]))],
        422,
        "Start Time '2023-02-30' is not a real date",
    ),
    (
        "Netflix bad Duration",
        [("ViewingActivity.csv", netflix_activity([("Sam", "2023-12-26 19:40:00", "2h", "Roma", "")]))],
        422,
        "line 2: Duration '2h' is not like 01:42:07",
    ),
    (
        "Netflix empty profile",
        [("ViewingActivity.csv", netflix_activity([("", "2023-12-26 19:40:00", "01:00:00", "Roma", "")]))],
        422,
        "line 2: the Profile Name is empty",
    ),
    (
        "Netflix too many profiles",
        [
            (
                "ViewingActivity.csv",
                netflix_activity(
                    [(f"P{n}", "2023-12-26 19:40:00", "01:00:00", "Roma", "") for n in range(60)]
                ),
            )
        ],
        422,
        "line 52: it names a 51st profile",
    ),
    (
        "two Netflix viewing activities",
        [("ViewingActivity.csv", netflix_activity([GOOD_ACTIVITY]))] * 2,
        422,
        "two ViewingActivity files",
    ),
]


@pytest.mark.parametrize(("parts", "status", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_upload_of_another_service_is_refused_clearly_and_stores_nothing(
    client, db, parts, status, message
):
    response = client.post("/api/sessions", files=files(*parts))
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert message in body["error"]
    assert row_counts(db) == NOTHING_STORED


def test_after_every_kind_of_bad_input_a_good_upload_of_each_service_still_works(client, db):
    for _, parts, _, _ in CASES:
        assert client.post("/api/sessions", files=files(*parts)).status_code >= 400
    for part in [
        ("ratings.csv", imdb_ratings([GOOD_RATING])),
        ("history-1.json", json_bytes([GOOD_PLAY])),
        ("ViewingActivity.csv", netflix_activity([GOOD_ACTIVITY])),
    ]:
        assert client.post("/api/sessions", files=files(part)).status_code == 202
    assert row_counts(db)["films"] == 3
