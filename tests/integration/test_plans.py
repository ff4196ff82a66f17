"""With a cache of realistic size, EXPLAIN shows every purge of housekeeping and every cache
look-up of the worker reading its index: no statement scans a table that grows with use."""

from __future__ import annotations

import json
import uuid

import pytest

from common.sqlfiles import load_queries
from tests.support.jobs import add_session
from worker.tmdb.matching import MATCHER_VERSION

QUERIES = load_queries("worker", "start")


@pytest.fixture
def big(db):
    db.execute(
        "INSERT INTO tmdb_movies (tmdb_id, title) SELECT n, 'Film ' || n FROM generate_series(1, 50000) AS n"
    )
    db.execute(
        "INSERT INTO tmdb_searches (title_key, year, tmdb_id, match_rule, matcher_version, expires_at)"
        " SELECT 'film ' || n, 2000 + n %% 20, n, 'title_primary_year', %s,"
        " now() + (n %% 40 - 5) * interval '1 day'"
        " FROM generate_series(1, 100000) AS n",
        (MATCHER_VERSION,),
    )
    db.execute(
        "INSERT INTO tmdb_imdb_ids (imdb_id, tmdb_id, expires_at)"
        " SELECT 'tt' || lpad(n::text, 7, '0'), n, now() + (n % 40 - 5) * interval '1 day'"
        " FROM generate_series(1, 50000) AS n"
    )
    db.execute(
        "INSERT INTO tmdb_fetches (fetch_key, worker_id, expires_at) SELECT 'search:film ' || n || '|2000',"
        " gen_random_uuid(), now() + (n % 10 - 5) * interval '1 minute'"
        " FROM generate_series(1, 20000) AS n"
    )
    db.execute(
        "INSERT INTO upload_sessions (id, status, created_at)"
        " SELECT gen_random_uuid(), 'completed', now() - n * interval '1 minute'"
        " FROM generate_series(1, 20000) AS n"
    )
    for _ in range(20):
        add_session(db, films=100)
    db.execute(
        "INSERT INTO enrichment_jobs (session_id, chunk_no, first_film, last_film, status, finished_at)"
        " SELECT s.id, 0, 1, 1, 'succeeded', now() - interval '1 hour' FROM upload_sessions AS s"
        " WHERE s.status = 'completed'"
    )
    db.execute("ANALYZE")
    return db


# Tables that grow with use; `workers` holds the live fleet and stays small.
GROWING = {
    "upload_sessions",
    "films",
    "enrichment_jobs",
    "tmdb_searches",
    "tmdb_movies",
    "tmdb_imdb_ids",
    "tmdb_fetches",
}


def plan(db, name: str, **params) -> str:
    row = db.execute("EXPLAIN (FORMAT JSON) " + QUERIES[name], params).fetchone()
    return json.dumps(row)


def scanned_whole(found: str) -> set[str]:
    """The growing tables some node of the plan reads with a sequential scan."""
    nodes, tables = [json.loads(found)["QUERY PLAN"][0]["Plan"]], set()
    while nodes:
        node = nodes.pop()
        if node.get("Node Type") == "Seq Scan":
            tables.add(node.get("Relation Name"))
        nodes.extend(node.get("Plans", []))
    return tables & GROWING


@pytest.mark.parametrize(
    ("name", "params", "indexes"),
    [
        (
            "purge_stale_rows",
            {"batch": 10000},
            ["tmdb_fetches_expires", "tmdb_searches_expires", "tmdb_imdb_ids_expires"],
        ),
        ("purge_expired_sessions", {"retention_days": 7, "batch": 100}, ["upload_sessions_created"]),
        ("purge_finished_jobs", {"batch": 10000}, ["enrichment_jobs_finished"]),
    ],
)
def test_every_purge_is_an_index_range_scan(big, name, params, indexes):
    found = plan(big, name, **params)
    for index in indexes:
        assert index in found, f"{name} does not read {index}"
    assert scanned_whole(found) == set()


@pytest.mark.parametrize(
    ("name", "params", "index"),
    [
        (
            "search_or_claim",
            {
                "title_key": "film 7",
                "year": 2007,
                "matcher_version": MATCHER_VERSION,
                "fresh": False,
                "fetch_key": "search:film 7|2007",
                "worker_id": uuid.uuid4(),
                "seconds": 30,
            },
            "tmdb_searches_pkey",
        ),
        (
            "movie_or_claim",
            {"tmdb_id": 7, "fetch_key": "movie:7", "worker_id": uuid.uuid4(), "seconds": 30},
            "tmdb_movies_pkey",
        ),
        (
            "imdb_or_claim",
            {
                "imdb_id": "tt0000007",
                "fresh": False,
                "fetch_key": "find:tt0000007",
                "worker_id": uuid.uuid4(),
                "seconds": 30,
            },
            "tmdb_imdb_ids_pkey",
        ),
    ],
)
def test_a_cache_look_up_reads_its_key(big, name, params, index):
    found = plan(big, name, **params)
    assert index in found
    assert scanned_whole(found) == set()


def test_the_start_statement_reads_the_cache_by_key(big):
    found = plan(
        big,
        "start_jobs",
        worker_id=uuid.uuid4(),
        limit=2,
        spare=8,
        max_chunk=2**31 - 1,
        running=[],
        lease_seconds=30,
        matcher_version=MATCHER_VERSION,
        first_requests=8,
        claim_seconds=30,
        rate=39.0,
        burst=1,
        fingerprint="x",
    )
    for index in ("enrichment_jobs_runnable", "films_pending", "tmdb_searches_pkey", "tmdb_movies_pkey"):
        assert index in found, index
