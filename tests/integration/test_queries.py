"""Every named query of sql/queries/ is valid SQL for the current schema: PostgreSQL plans each
one (EXPLAIN, with every parameter null), so a typo fails here, not in a worker's log."""

from __future__ import annotations

import re

import psycopg
import pytest

from common.sqlfiles import SQL_DIR, load_queries

FILES = sorted(path.stem for path in (SQL_DIR / "queries").glob("*.sql"))
QUERIES = load_queries(*FILES)
_PARAMETER = re.compile(r"%\((\w+)\)s")
_COMMENTS = re.compile(r"^\s*--.*$", re.MULTILINE)
# Statements EXPLAIN cannot take.
NOT_PLANNABLE = re.compile(r"^\s*(COPY|LISTEN|CREATE)\b", re.IGNORECASE)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_query_plans(db, name):
    sql = QUERIES[name]
    if NOT_PLANNABLE.match(_COMMENTS.sub("", sql)):
        pytest.skip("not a statement EXPLAIN takes")
    params = dict.fromkeys(_PARAMETER.findall(sql))
    try:
        db.execute("EXPLAIN " + sql, params)
    except psycopg.errors.SyntaxError as error:  # a typed error would be our test's nulls, not the SQL
        pytest.fail(f"{name}: {error}")
    except psycopg.errors.UndefinedTable as error:
        pytest.fail(f"{name}: {error}")
    except psycopg.errors.UndefinedColumn as error:
        pytest.fail(f"{name}: {error}")
    except psycopg.Error:
        pass  # null parameters where a value is needed (an ambiguous type, say): the SQL parsed
