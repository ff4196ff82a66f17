"""Named queries: loading, and the positional form of a hot query for a raw cursor."""

from __future__ import annotations

from common.sqlfiles import load_queries, positional


def test_a_named_query_becomes_positional_with_each_name_numbered_once():
    query = positional("SELECT %(a)s, %(b)s, %(a)s, 100 %% 7")
    assert query.sql == "SELECT $1, $2, $1, 100 % 7"
    assert query.names == ("a", "b")
    assert query.values({"b": 2, "a": 1, "unused": 3}) == [1, 2]


def test_the_start_statement_has_every_parameter_it_names():
    query = positional(load_queries("start")["start_jobs"])
    assert "%(" not in query.sql
    assert set(query.names) >= {"worker_id", "limit", "running", "rate", "fingerprint"}
