"""The schema: applied once by any number of concurrent processes, and documented for psql users."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg

from api.migrations import apply_migrations, known_migrations, latest_version

ROOT = Path(__file__).resolve().parents[2]


def test_three_processes_migrating_at_once_apply_each_file_exactly_once(empty_database_url):
    env = {**os.environ, "DATABASE_URL": empty_database_url}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "api", "migrate"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    applied_counts = sorted(int(out.split("(")[1].split()[0]) for out, _ in outputs)
    assert applied_counts == [0, 0, len(known_migrations())]
    with psycopg.connect(empty_database_url) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m.version for m in known_migrations()]


def test_migrating_an_up_to_date_database_changes_nothing(database_url):
    assert apply_migrations(database_url) == []
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == latest_version()


def test_every_table_view_and_column_is_commented_for_psql(db):
    undocumented = db.execute(
        """
        SELECT c.relname || coalesce('.' || a.attname, '') AS what
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'v')
          AND (obj_description(c.oid, 'pg_class') IS NULL
               OR (a.attnum IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))
        ORDER BY 1
        """
    ).fetchall()
    assert undocumented == []


def test_the_operators_views_exist_and_answer(db):
    overview = db.execute("SELECT status, jobs FROM job_overview").fetchall()
    assert overview == [
        {"status": "queued", "jobs": 0},
        {"status": "running", "jobs": 0},
        {"status": "succeeded", "jobs": 0},
        {"status": "failed", "jobs": 0},
    ]
    assert db.execute("SELECT * FROM session_progress").fetchall() == []
    assert db.execute("SELECT * FROM worker_status").fetchall() == []


def test_api_migrate_with_a_bad_database_url_exits_with_one_line(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgresql://nobody:secretpw@127.0.0.1:1/none?connect_timeout=2"}
    result = subprocess.run(
        [sys.executable, "-m", "api", "migrate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reelstats api: cannot prepare the database")
    assert "secretpw" not in result.stderr


def test_api_with_a_bad_setting_exits_with_one_line_naming_it():
    env = {**os.environ, "DATABASE_URL": "postgresql://x@localhost/x", "API_PORT": "eighty"}
    result = subprocess.run(
        [sys.executable, "-m", "api"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "reelstats api: API_PORT must be a whole number, got 'eighty'"
