"""Uploading Letterboxd exports: every file kind, the zip, encodings, merging, the stored rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support.exports import (
    DIARY,
    LIKES,
    RATINGS,
    REVIEWS,
    WATCHED,
    WATCHLIST,
    csv_bytes,
    files,
    zip_bytes,
)

DUNE_84 = ("Dune", 1984)
DUNE_21 = ("Dune", 2021)


def upload(client, *parts):
    response = client.post("/api/sessions", files=files(*parts))
    assert response.status_code == 202, response.text
    return response.json()


def films_of(db, session_id):
    return db.execute("SELECT * FROM films WHERE session_id = %s ORDER BY film_no", (session_id,)).fetchall()


@pytest.mark.parametrize(
    ("filename", "header", "row", "kind"),
    [
        ("watched.csv", WATCHED, ["2024-01-05", "Heat", 1995, "https://boxd.it/2a4u"], "watched"),
        (
            "diary.csv",
            DIARY,
            ["2024-01-06", "Heat", 1995, "https://boxd.it/5Xk2", "4.5", "", "cinema", "2024-01-05"],
            "diary",
        ),
        ("ratings.csv", RATINGS, ["2024-01-05", "Heat", 1995, "https://boxd.it/2a4u", "4"], "ratings"),
        (
            "reviews.csv",
            REVIEWS,
            [
                "2024-01-06",
                "Heat",
                1995,
                "https://boxd.it/r1",
                "4",
                "",
                "<i>Great</i> &amp; long",
                "",
                "2024-01-05",
            ],
            "reviews",
        ),
        ("likes/films.csv", LIKES, ["2024-01-07", "Heat", 1995, "https://boxd.it/2a4u"], "likes"),
    ],
)
def test_each_watch_file_kind_is_recognised_and_makes_a_film(client, db, filename, header, row, kind):
    session = upload(client, (filename, csv_bytes(header, [row])))
    assert session["status"] == "enriching"
    assert session["progress"] == {"total": 1, "done": 0, "matched": 0, "not_found": 0, "failed": 0}
    assert session["files"] == [{"name": filename, "kind": kind, "rows": 1}]
    [film] = films_of(db, session["id"])
    assert (film["name"], film["year"], film["status"]) == ("Heat", 1995, "pending")


def test_watchlist_only_upload_has_no_films_and_completes_at_once(client, db):
    data = csv_bytes(WATCHLIST, [["2024-02-01", "Stalker", 1979, "https://boxd.it/29ZI"]])
    session = upload(client, ("watchlist.csv", data))
    assert session["status"] == "completed"
    assert session["progress"]["total"] == 0
    assert db.execute("SELECT count(*) AS n FROM enrichment_jobs").fetchone()["n"] == 0
    entry = db.execute("SELECT name, year, added_on::text AS added FROM watchlist_entries").fetchone()
    assert entry == {"name": "Stalker", "year": 1979, "added": "2024-02-01"}
    assert client.get(f"/api/sessions/{session['id']}").json()["status"] == "completed"


def test_a_lone_file_with_the_shared_header_and_another_name_counts_as_watched(client, db):
    session = upload(client, ("my films.csv", csv_bytes(WATCHED, [["2024-01-05", "Heat", 1995, ""]])))
    assert session["files"][0]["kind"] == "watched"
    assert len(films_of(db, session["id"])) == 1


def test_the_whole_export_zip_is_read_and_files_without_watches_are_skipped(client, db):
    archive = zip_bytes(
        {
            "watched.csv": csv_bytes(WATCHED, [["2023-05-01", *DUNE_84, "https://boxd.it/1"]]),
            "diary.csv": csv_bytes(
                DIARY,
                [
                    ["2023-05-02", *DUNE_21, "https://boxd.it/e1", "4", "", "imax", "2023-05-01"],
                    ["2023-06-02", *DUNE_21, "https://boxd.it/e2", "4.5", "Yes", "", "2023-06-01"],
                ],
            ),
            "ratings.csv": csv_bytes(RATINGS, [["2023-05-02", *DUNE_21, "https://boxd.it/2", "5"]]),
            "reviews.csv": csv_bytes(
                REVIEWS, [["2023-05-02", *DUNE_21, "https://boxd.it/r", "4", "", "Sand.", "", ""]]
            ),
            "likes/films.csv": csv_bytes(LIKES, [["2023-05-03", *DUNE_84, "https://boxd.it/1"]]),
            "likes/reviews.csv": b"Date,Name,Year,Letterboxd URI\n",
            "watchlist.csv": csv_bytes(WATCHLIST, [["2023-01-01", "Stalker", 1979, "https://boxd.it/3"]]),
            "profile.csv": b"Date Joined,Username\n2020-01-01,someone\n",
            "comments.csv": b"Date,Content,Comment on\n",
            "lists/best.csv": b"Letterboxd list export v7\n",
            "deleted/diary.csv": csv_bytes(DIARY, [["2023-01-01", "Gone", 2000, "", "", "", "", ""]]),
            "orphaned/diary.csv": csv_bytes(DIARY, []),
        }
    )
    session = upload(client, ("letterboxd-someone-2024.zip", archive))
    kinds = {f["name"]: f["kind"] for f in session["files"]}
    assert kinds == {
        "watched.csv": "watched",
        "diary.csv": "diary",
        "ratings.csv": "ratings",
        "reviews.csv": "reviews",
        "likes/films.csv": "likes",
        "likes/reviews.csv": "skipped",
        "watchlist.csv": "watchlist",
        "profile.csv": "skipped",
        "comments.csv": "skipped",
        "lists/best.csv": "skipped",
        "deleted/diary.csv": "skipped",
        "orphaned/diary.csv": "skipped",
    }
    films = {(f["name"], f["year"]): f for f in films_of(db, session["id"])}
    assert set(films) == {DUNE_84, DUNE_21}  # "Gone" was only in deleted/
    assert films[DUNE_84]["liked_on"] is not None and films[DUNE_84]["letterboxd_uri"] == "https://boxd.it/1"
    assert films[DUNE_21]["rating"] == Decimal("5.0")
    diary = db.execute("SELECT rewatch, rating, tags FROM diary_entries ORDER BY entry_no").fetchall()
    assert diary == [
        {"rewatch": False, "rating": Decimal("4.0"), "tags": ["imax"]},
        {"rewatch": True, "rating": Decimal("4.5"), "tags": []},
    ]
    assert db.execute("SELECT review FROM reviews").fetchone()["review"] == "Sand."
    assert session["progress"]["total"] == 2


def test_an_export_zip_with_a_top_folder_is_read_too(client, db):
    archive = zip_bytes(
        {"letterboxd-x/diary.csv": csv_bytes(DIARY, [["2023-05-02", *DUNE_21, "", "", "", "", ""]])}
    )
    session = upload(client, ("export.zip", archive))
    assert session["files"] == [{"name": "letterboxd-x/diary.csv", "kind": "diary", "rows": 1}]


def test_bom_and_crlf_files_are_read_like_plain_ones(client, db):
    diary = b"\xef\xbb\xbf" + csv_bytes(
        DIARY,
        [["2024-03-01", "Amélie", 2001, "https://boxd.it/e", "3.5", "", "paris, rain", "2024-02-29"]],
        newline="\r\n",
    )
    session = upload(client, ("diary.csv", diary))
    [film] = films_of(db, session["id"])
    assert (film["name"], film["year"]) == ("Amélie", 2001)
    entry = db.execute("SELECT watched_on::text AS d, tags, rating FROM diary_entries").fetchone()
    assert entry == {"d": "2024-02-29", "tags": ["paris", "rain"], "rating": Decimal("3.5")}


def test_titles_with_commas_quotes_accents_newlines_and_html_are_kept_exactly(client, db):
    titles = [
        "Crouching Tiger, Hidden Dragon",
        'The "Burbs',
        "Léon: The Professional",
        "<img src=x onerror=alert(1)>",
        "Tab\there & back\\slash",
        "千と千尋の神隠し",
    ]
    rows = [["2024-01-01", title, 2000 + i, f"https://boxd.it/{i}"] for i, title in enumerate(titles)]
    session = upload(client, ("watched.csv", csv_bytes(WATCHED, rows)))
    assert [f["name"] for f in films_of(db, session["id"])] == titles


def test_films_merge_on_name_and_year_never_on_diary_uri(client, db):
    session = upload(
        client,
        (
            "watched.csv",
            csv_bytes(
                WATCHED,
                [
                    ["2023-01-01", *DUNE_84, "https://boxd.it/film84"],
                    ["2023-01-02", *DUNE_21, "https://boxd.it/film21"],
                ],
            ),
        ),
        (
            "diary.csv",
            csv_bytes(
                DIARY,
                [
                    # Each entry has its own URI; two rewatches of Dune (2021) are one film.
                    ["2023-02-01", *DUNE_21, "https://boxd.it/entryA", "4", "", "", "2023-01-31"],
                    ["2023-03-01", *DUNE_21, "https://boxd.it/entryB", "4.5", "Yes", "", "2023-02-28"],
                    ["2023-04-01", *DUNE_84, "https://boxd.it/entryC", "2", "", "", "2023-03-31"],
                ],
            ),
        ),
        ("ratings.csv", csv_bytes(RATINGS, [["2023-03-01", *DUNE_21, "https://boxd.it/film21", "4.5"]])),
    )
    films = films_of(db, session["id"])
    assert [(f["name"], f["year"], f["letterboxd_uri"]) for f in films] == [
        ("Dune", 1984, "https://boxd.it/film84"),
        ("Dune", 2021, "https://boxd.it/film21"),
    ]
    per_film = db.execute(
        "SELECT f.year, count(*) AS watches FROM diary_entries d JOIN films f USING (session_id, film_no)"
        " GROUP BY f.year ORDER BY f.year"
    ).fetchall()
    assert per_film == [{"year": 1984, "watches": 1}, {"year": 2021, "watches": 2}]
    assert session["progress"]["total"] == 2


def test_a_film_known_only_from_the_diary_keeps_no_film_uri(client, db):
    session = upload(
        client,
        (
            "diary.csv",
            csv_bytes(DIARY, [["2023-02-01", "Heat", 1995, "https://boxd.it/entry", "", "", "", ""]]),
        ),
    )
    [film] = films_of(db, session["id"])
    assert film["letterboxd_uri"] is None
    assert (
        db.execute("SELECT letterboxd_uri FROM diary_entries").fetchone()["letterboxd_uri"]
        == "https://boxd.it/entry"
    )


def test_a_film_without_year_is_one_film(client, db):
    rows = [["2024-01-01", "Untitled Project", "", ""], ["2024-01-02", "Untitled Project", "", ""]]
    session = upload(client, ("watched.csv", csv_bytes(WATCHED, rows)))
    [film] = films_of(db, session["id"])
    assert film["year"] is None


def test_watchlist_titles_are_not_films(client, db):
    session = upload(
        client,
        ("watched.csv", csv_bytes(WATCHED, [["2024-01-01", "Heat", 1995, ""]])),
        (
            "watchlist.csv",
            csv_bytes(WATCHLIST, [["2023-01-01", "Heat", 1995, ""], ["2023-01-02", "Ran", 1985, ""]]),
        ),
    )
    assert [f["name"] for f in films_of(db, session["id"])] == ["Heat"]
    assert db.execute("SELECT count(*) AS n FROM watchlist_entries").fetchone()["n"] == 2


def test_big_uploads_are_split_into_jobs_of_fifty_films(client, db):
    rows = [["2024-01-01", f"Film {n}", 1990, ""] for n in range(1, 121)]
    session = upload(client, ("watched.csv", csv_bytes(WATCHED, rows)))
    jobs = db.execute(
        "SELECT chunk_no, first_film, last_film, status FROM enrichment_jobs ORDER BY chunk_no"
    ).fetchall()
    assert jobs == [
        {"chunk_no": 0, "first_film": 1, "last_film": 50, "status": "queued"},
        {"chunk_no": 1, "first_film": 51, "last_film": 100, "status": "queued"},
        {"chunk_no": 2, "first_film": 101, "last_film": 120, "status": "queued"},
    ]
    assert session["progress"]["total"] == 120


def test_upload_answers_202_with_location_of_the_session(client):
    response = client.post(
        "/api/sessions", files=files(("watched.csv", csv_bytes(WATCHED, [["2024-01-01", "Heat", 1995, ""]])))
    )
    assert response.status_code == 202
    assert response.headers["location"] == f"/api/sessions/{response.json()['id']}"
    session = client.get(response.headers["location"]).json()
    assert set(session) >= {"id", "status", "created_at", "updated_at", "error", "progress"}
    assert session["progress"]["done"] == 0


def test_delete_removes_the_session_and_everything_uploaded_with_it(client, db):
    session = upload(
        client,
        ("diary.csv", csv_bytes(DIARY, [["2023-02-01", "Heat", 1995, "", "4", "", "", ""]])),
        ("reviews.csv", csv_bytes(REVIEWS, [["2023-02-01", "Heat", 1995, "", "4", "", "Good.", "", ""]])),
        ("watchlist.csv", csv_bytes(WATCHLIST, [["2023-01-01", "Ran", 1985, ""]])),
    )
    other = upload(client, ("watched.csv", csv_bytes(WATCHED, [["2024-01-01", "Ran", 1985, ""]])))
    response = client.delete(f"/api/sessions/{session['id']}")
    assert response.status_code == 204
    assert client.get(f"/api/sessions/{session['id']}").status_code == 404
    for table in ("films", "diary_entries", "reviews", "watchlist_entries", "enrichment_jobs"):
        left = db.execute(
            f"SELECT count(*) AS n FROM {table} WHERE session_id = %s", (session["id"],)
        ).fetchone()
        assert left["n"] == 0, table
    assert client.get(f"/api/sessions/{other['id']}").status_code == 200
    assert client.delete(f"/api/sessions/{session['id']}").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/sessions/not-a-uuid", "/api/sessions/7b0b5c55-0000-4000-8000-000000000000"]
)
def test_unknown_sessions_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": "There is no session with this id"}


def test_a_wrong_method_is_405_listing_every_allowed_method(client):
    # Found by schemathesis: GET and DELETE once lived in two routes, and Allow named only GET.
    response = client.request("OPTIONS", "/api/sessions/7b0b5c55-0000-4000-8000-000000000000")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "DELETE"}
    assert response.json() == {"error": "This method is not allowed here"}
