"""Cache honesty: a cached search answer is served only to the matcher version that made it."""

from __future__ import annotations

import pytest

from tests.support.exports import WATCHED, csv_bytes
from tests.support.sessions import film, upload, wait_final
from worker.tmdb.matching import MATCHER_VERSION

pytestmark = pytest.mark.slow
HEAT_1972, HEAT_1995 = 9000002, 949
HEAT = csv_bytes(WATCHED, [("2024-01-01", "Heat", 1995, "")])


def cache_answer(db, tmdb_id, version):
    """A fresh cached answer for Heat (1995) pointing at `tmdb_id`, with its details cached."""
    db.execute(
        "INSERT INTO tmdb_searches (title_key, year, tmdb_id, match_rule, matcher_version, expires_at)"
        " VALUES ('heat', 1995, %s, 'title_primary_year', %s, now() + interval '1 day')",
        (tmdb_id, version),
    )
    db.execute(
        "INSERT INTO tmdb_movies (tmdb_id, title, alternative_titles, release_years)"
        " VALUES (%s, 'Heat', '{}', '{}')",
        (tmdb_id,),
    )


def test_an_answer_of_an_older_matcher_is_resolved_again(client, db, tmdb, worker):
    cache_answer(db, HEAT_1972, MATCHER_VERSION - 1)  # an old rule's wrong answer
    tmdb.reset()
    session_id = upload(client, HEAT)
    wait_final(client, session_id)
    assert film(client, session_id, 1)["tmdb_id"] == HEAT_1995
    assert tmdb.stats()["by_endpoint"]["search"] == 1
    row = db.execute("SELECT tmdb_id, matcher_version FROM tmdb_searches WHERE title_key = 'heat'").fetchone()
    assert row == {"tmdb_id": HEAT_1995, "matcher_version": MATCHER_VERSION}


def test_an_answer_of_this_matcher_is_served_without_asking_tmdb(client, db, tmdb, worker):
    cache_answer(db, HEAT_1972, MATCHER_VERSION)  # planted: proves the cache is what answered
    tmdb.reset()
    session_id = upload(client, HEAT)
    wait_final(client, session_id)
    assert film(client, session_id, 1)["tmdb_id"] == HEAT_1972
    assert tmdb.stats()["requests_total"] == 0
