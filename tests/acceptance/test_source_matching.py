"""Matching by the ids exports carry, for real (API, worker, loopback TMDB): an IMDb film is found by
/find and never searched by title, a Trakt film with a TMDB id costs its details alone (nothing
when cached), a Netflix film is searched by its title without a year."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.exports import files
from tests.support.sessions import wait_final

pytestmark = pytest.mark.slow
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def upload(client, *paths: Path) -> dict:
    response = client.post("/api/sessions", files=files(*((p.name, p.read_bytes()) for p in paths)))
    assert response.status_code == 202, response.text
    return wait_final(client, response.json()["id"])


def films(client, session_id: str) -> list[dict]:
    return client.get(f"/api/sessions/{session_id}/films", params={"limit": 500}).json()["films"]


def test_imdb_films_are_found_by_their_imdb_id_and_never_searched_by_title(client, db, tmdb, worker):
    tmdb.reset()
    session = upload(client, SAMPLES / "imdb" / "ratings.csv", SAMPLES / "imdb" / "watchlist.csv")
    stats = tmdb.stats()
    assert session["progress"]["matched"] == session["progress"]["total"] == 15
    assert stats["by_endpoint"]["search"] == 0
    assert stats["by_endpoint"]["find"] == 15
    assert stats["requests_total"] / 15 <= 2.0
    imdb_ids = {r["imdb_id"] for r in db.execute("SELECT imdb_id FROM films")}
    assert set(stats["finds_by_id"]) == imdb_ids
    assert {f["match_rule"] for f in films(client, session["id"])} == {"imdb_id"}


def test_an_imdb_id_tmdb_does_not_know_is_not_found_and_not_searched(client, tmdb, worker):
    body = (
        b"Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,"
        b"Num Votes,Release Date,Directors\n"
        b"tt0000042,7,2024-01-02,Heat,https://www.imdb.com/title/tt0000042/,Movie,8.3,170,1995,Crime,"
        b"700000,1995-12-15,Michael Mann\n"
    )
    tmdb.reset()
    session_id = client.post("/api/sessions", files=files(("ratings.csv", body))).json()["id"]
    session = wait_final(client, session_id)
    assert session["progress"]["not_found"] == 1
    [film] = films(client, session_id)
    assert (film["match_rule"], film["error"]) == ("imdb_id", "TMDB has no film with IMDb id tt0000042")
    assert tmdb.stats()["by_endpoint"]["search"] == 0  # a known title, but the export's id decides


def test_a_trakt_film_with_a_tmdb_id_costs_its_details_alone_and_nothing_when_cached(
    client, db, tmdb, worker
):
    tmdb.reset()
    first = upload(client, SAMPLES / "trakt-export.zip")
    stats = tmdb.stats()
    with_ids = [
        r["source_tmdb_id"]
        for r in db.execute("SELECT source_tmdb_id FROM films WHERE source_tmdb_id IS NOT NULL")
    ]
    assert with_ids
    assert first["progress"]["matched"] == first["progress"]["total"]
    for tmdb_id in with_ids:
        assert stats["details_by_id"][str(tmdb_id)] == 1
    rules = [f["match_rule"] for f in films(client, first["id"])]
    assert rules.count("tmdb_id") == len(with_ids)
    # Requests beyond one per TMDB-id film are the films without one (found by IMDb id or title).
    others = len(rules) - len(with_ids)
    assert stats["requests_total"] <= len(with_ids) + 2 * others
    tmdb.reset()
    again = upload(client, SAMPLES / "trakt-export.zip")
    assert again["progress"]["matched"] == again["progress"]["total"]
    assert tmdb.stats()["requests_total"] == 0


def test_netflix_films_are_searched_by_their_title_without_a_year(client, tmdb, worker):
    tmdb.reset()
    session = upload(client, SAMPLES / "netflix" / "NetflixViewingHistory.csv")
    stats = tmdb.stats()
    assert session["source"] == "netflix"
    assert session["progress"]["matched"] == session["progress"]["total"] == 7
    assert stats["by_endpoint"]["find"] == 0
    assert all(query.split("|")[1:] == ["", ""] for query in stats["searches_by_query"])  # no year filter
    assert {f["match_rule"] for f in films(client, session["id"])} == {"title_without_year"}
