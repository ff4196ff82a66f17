"""A person corrects a match: by TMDB id, by TMDB address, or "not on TMDB"; the choice is final,
fetched by a real worker, shown in the statistics, and remembered for the film's Letterboxd URI."""

from __future__ import annotations

import json

import pytest

from tests.support.exports import WATCHED, csv_bytes
from tests.support.sessions import film, upload, wait_final

pytestmark = pytest.mark.slow
CRASH_1996, CRASH_2004, HEAT_1995, DUNE_2021 = 9000005, 9000008, 949, 438631
EXPORT = csv_bytes(
    WATCHED,
    [
        ("2024-01-01", "Crash", 2004, "https://boxd.it/crash04"),
        ("2024-01-02", "Kummatty", 1979, "https://boxd.it/kummatty"),
        ("2024-01-03", "Heat", 1995, "https://boxd.it/heat95"),
        ("2024-01-04", "Dune", 2021, "https://boxd.it/dune21"),
    ],
)
CRASH, KUMMATTY, HEAT, DUNE = 1, 2, 3, 4


def put_match(client, session_id, film_id, body):
    return client.put(f"/api/sessions/{session_id}/films/{film_id}/match", json=body)


@pytest.fixture
def enriched(client, workers):
    workers.start(1)
    session_id = upload(client, EXPORT)
    assert wait_final(client, session_id)["progress"]["matched"] == 3
    return session_id


def analytics(client, session_id):
    return client.get(f"/api/sessions/{session_id}/analytics").json()


def test_a_film_page_shows_the_candidates_without_asking_tmdb(client, tmdb, enriched):
    tmdb.reset()
    crash = film(client, enriched, CRASH)
    assert (crash["id"], crash["name"], crash["tmdb_id"]) == (CRASH, "Crash", CRASH_2004)
    assert crash["status"] == "matched"
    assert crash["match_rule"] == "title_primary_year"
    assert crash["alternatives"] == 0
    assert crash["candidates"][0] == {
        "tmdb_id": CRASH_2004,
        "title": "Crash",
        "original_title": "Crash",
        "release_date": "2004-09-10",
        "year": 2004,
        "fits": True,
    }
    assert tmdb.stats()["requests_total"] == 0


def test_an_unmatched_film_offers_what_its_searches_found_to_pick_from(client, enriched):
    heat = upload(client, csv_bytes(WATCHED, [("2024-01-01", "Heat", 1980, "")]))
    wait_final(client, heat)
    unmatched = film(client, heat, 1)
    assert (unmatched["status"], unmatched["candidates"][0]["fits"]) == ("not_found", False)
    # No Heat is near 1980, but both are the title: the person can pick one in a click.
    assert {9000002, HEAT_1995} <= {c["tmdb_id"] for c in unmatched["candidates"][:2]}


def test_a_manual_match_by_id_replaces_the_film_and_its_statistics(client, db, enriched):
    before = analytics(client, enriched)
    response = put_match(client, enriched, CRASH, {"tmdb_id": CRASH_1996})
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["match_rule"]) == ("pending", "manual")
    assert client.get(f"/api/sessions/{enriched}").json()["status"] == "enriching"
    session = wait_final(client, enriched)
    assert session["progress"] == {"total": 4, "done": 4, "matched": 3, "not_found": 1, "failed": 0}
    crash = film(client, enriched, CRASH)
    assert (crash["tmdb_id"], crash["status"], crash["match_rule"]) == (CRASH_1996, "matched", "manual")
    assert crash["directors"] == ["David Cronenberg"]
    after = analytics(client, enriched)
    rows = db.execute("SELECT tmdb_id, runtime FROM tmdb_movies").fetchall()
    runtime = {row["tmdb_id"]: row["runtime"] for row in rows}
    assert after["total_runtime_minutes"] == (
        before["total_runtime_minutes"] - runtime[CRASH_2004] + runtime[CRASH_1996]
    )
    directors = {d["name"] for d in after["top_directors"]}
    assert "David Cronenberg" in directors
    assert "Paul Haggis" not in directors


@pytest.mark.parametrize(
    "url",
    [
        "https://www.themoviedb.org/movie/949-heat",
        "https://www.themoviedb.org/movie/949",
        "https://www.themoviedb.org/movie/949-heat?language=de-DE",
        "http://themoviedb.org/movie/949/",
    ],
)
def test_a_manual_match_by_tmdb_address_matches_an_unmatched_film(client, enriched, url):
    before = analytics(client, enriched)
    assert before["unmatched"] == 1
    assert put_match(client, enriched, KUMMATTY, {"tmdb_url": url}).status_code == 202
    wait_final(client, enriched)
    kummatty = film(client, enriched, KUMMATTY)
    assert (kummatty["tmdb_id"], kummatty["match_rule"]) == (HEAT_1995, "manual")
    assert kummatty["status"] == "matched"
    after = analytics(client, enriched)
    assert after["unmatched"] == 0
    assert after["total_runtime_minutes"] == before["total_runtime_minutes"] + 170


def test_not_on_tmdb_takes_effect_at_once_and_leaves_the_charts(client, tmdb, enriched):
    before = analytics(client, enriched)
    tmdb.reset()
    response = put_match(client, enriched, DUNE, {"tmdb_id": None})
    assert response.status_code == 202
    dune = response.json()
    assert (dune["status"], dune["match_rule"]) == ("not_found", "manual")
    assert (dune["tmdb_id"], dune["genres"]) == (None, [])
    session = client.get(f"/api/sessions/{enriched}").json()
    assert session["status"] == "completed"
    assert session["progress"] == {"total": 4, "done": 4, "matched": 2, "not_found": 2, "failed": 0}
    after = analytics(client, enriched)
    assert after["unmatched"] == before["unmatched"] + 1
    assert {g["name"]: g["count"] for g in after["genres"]}.get("Science Fiction", 0) == (
        {g["name"]: g["count"] for g in before["genres"]}["Science Fiction"] - 1
    )
    assert tmdb.stats()["requests_total"] == 0
    # A retry asks TMDB about unmatched films again, but never overrides the person's choice.
    assert client.post(f"/api/sessions/{enriched}/retry").status_code == 202
    wait_final(client, enriched)
    assert film(client, enriched, DUNE)["status"] == "not_found"


def test_a_tmdb_id_that_does_not_exist_ends_not_found_with_a_clear_error(client, enriched):
    assert put_match(client, enriched, CRASH, {"tmdb_id": 987654321}).status_code == 202
    wait_final(client, enriched)
    crash = film(client, enriched, CRASH)
    assert (crash["status"], crash["match_rule"], crash["tmdb_id"]) == ("not_found", "manual", None)
    assert crash["error"] == "TMDB has no film with id 987654321"


def test_a_correction_is_remembered_for_the_letterboxd_uri_and_costs_no_search(client, tmdb, enriched):
    assert put_match(client, enriched, CRASH, {"tmdb_id": CRASH_1996}).status_code == 202
    assert put_match(client, enriched, DUNE, {"tmdb_id": None}).status_code == 202
    wait_final(client, enriched)
    tmdb.reset()
    again = upload(client, EXPORT)
    assert wait_final(client, again)["status"] == "completed"
    assert tmdb.stats()["by_endpoint"]["search"] == 0
    crash, dune = film(client, again, CRASH), film(client, again, DUNE)
    assert (crash["tmdb_id"], crash["match_rule"]) == (CRASH_1996, "letterboxd_uri")
    assert (dune["status"], dune["match_rule"]) == ("not_found", "letterboxd_uri")


def test_a_correction_never_leaks_into_another_film_of_the_same_title(client, enriched):
    assert put_match(client, enriched, CRASH, {"tmdb_id": CRASH_1996}).status_code == 202
    wait_final(client, enriched)
    other = upload(
        client, csv_bytes(WATCHED, [("2024-02-01", "Crash", 2004, "https://boxd.it/someone-else")])
    )
    wait_final(client, other)
    crash = film(client, other, 1)
    assert (crash["tmdb_id"], crash["match_rule"]) == (CRASH_2004, "title_primary_year")


def test_a_choice_made_while_the_film_waits_for_its_search_is_kept(client, db, workers):
    session_id = upload(client, EXPORT)  # no worker yet: every film is pending
    assert put_match(client, session_id, CRASH, {"tmdb_id": CRASH_1996}).status_code == 202
    workers.start(1)
    assert wait_final(client, session_id)["progress"]["done"] == 4
    crash = film(client, session_id, CRASH)
    assert (crash["tmdb_id"], crash["match_rule"]) == (CRASH_1996, "manual")
    assert db.execute("SELECT count(*) AS n FROM enrichment_jobs WHERE kind = 'film'").fetchone()["n"] == 1


def _state(db):
    rows = db.execute(
        "SELECT film_no, status, tmdb_id, match_rule, manual_tmdb_id FROM films ORDER BY session_id, film_no"
    ).fetchall()
    jobs = db.execute("SELECT count(*) AS n FROM enrichment_jobs").fetchone()["n"]
    identities = db.execute("SELECT count(*) AS n FROM film_identities").fetchone()["n"]
    return rows, jobs, identities


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"not json", 400, "not JSON"),
        (b'{"tmdb_id": ', 400, "not JSON"),
        (b"[1640]", 422, "exactly one of tmdb_id or tmdb_url"),
        (b"{}", 422, "exactly one of tmdb_id or tmdb_url"),
        (b'{"tmdb_id": 1640, "tmdb_url": "https://www.themoviedb.org/movie/1640"}', 422, "exactly one"),
        (b'{"id": 1640}', 422, "exactly one"),
        (b'{"tmdb_id": "1640"}', 422, "whole number"),
        (b'{"tmdb_id": true}', 422, "whole number"),
        (b'{"tmdb_id": 0}', 422, "whole number"),
        (b'{"tmdb_id": -5}', 422, "whole number"),
        (b'{"tmdb_id": 1640.5}', 422, "whole number"),
        (b'{"tmdb_id": 2147483648}', 422, "whole number"),
        (b'{"tmdb_url": "https://www.imdb.com/title/tt0375679/"}', 422, "TMDB film address"),
        (b'{"tmdb_url": "https://www.themoviedb.org/tv/1399-game-of-thrones"}', 422, "TMDB film address"),
        (b'{"tmdb_url": "https://x.example/?https://www.themoviedb.org/movie/1"}', 422, "TMDB film address"),
        (b'{"tmdb_url": 1640}', 422, "TMDB film address"),
        (json.dumps({"tmdb_id": 1, "pad": "x" * 5000}).encode(), 413, "larger than"),
    ],
)
def test_a_bad_body_is_refused_and_changes_nothing(client, db, enriched, body, status, message):
    before = _state(db)
    path = f"/api/sessions/{enriched}/films/{CRASH}/match"
    response = client.put(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert message in response.json()["error"]
    assert _state(db) == before


def test_an_unknown_film_or_session_is_404(client, db, enriched):
    before = _state(db)
    for path in (
        f"/api/sessions/{enriched}/films/99/match",
        f"/api/sessions/{enriched}/films/abc/match",
        "/api/sessions/00000000-0000-0000-0000-000000000000/films/1/match",
    ):
        response = client.put(path, json={"tmdb_id": CRASH_1996})
        assert response.status_code == 404, path
    assert client.get(f"/api/sessions/{enriched}/films/99").status_code == 404
    assert _state(db) == before
