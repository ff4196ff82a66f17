"""Arranging sessions and jobs directly in SQL, for tests of the queue itself."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from tests.support.processes import wait_until


def add_session(
    db: psycopg.Connection, films: int, chunk: int = 50, notify: bool = False, first_film_no: int = 0
) -> uuid.UUID:
    """A session of `films` pending films split into jobs of `chunk`, committed (autocommit).

    Film n is the fake TMDB's synthetic film `first_film_no + n`, so sessions can share films or not.
    """
    session_id = uuid.uuid4()
    with db.transaction():
        db.execute("INSERT INTO upload_sessions (id, films_total) VALUES (%s, %s)", (session_id, films))
        db.execute(
            "INSERT INTO films (session_id, film_no, name, title_key, year)"
            " SELECT %s, n, 'Synthetic Feature ' || lpad((n + %s)::text, 5, '0'),"
            " 'synthetic feature ' || lpad((n + %s)::text, 5, '0'), 1950 + (n + %s) %% 70"
            " FROM generate_series(1, %s) AS n",
            (session_id, first_film_no, first_film_no, first_film_no, films),
        )
        db.execute(
            "INSERT INTO enrichment_jobs (session_id, chunk_no, first_film, last_film)"
            " SELECT %s, c, c * %s + 1, least((c + 1) * %s, %s) FROM generate_series(0, (%s - 1) / %s) AS c",
            (session_id, chunk, chunk, films, films, chunk),
        )
        if notify:  # as an upload does: "<session> <jobs>", one job addressed to one worker
            jobs = (films - 1) // chunk + 1
            db.execute(
                "SELECT pg_notify(reelstats_jobs_channel(%s, %s), %s)",
                (session_id, jobs, f"{session_id} {jobs}"),
            )
    return session_id


def session_row(db: Any, session_id: uuid.UUID) -> dict[str, Any]:
    """A session's status and counters, as the worker tests compare them."""
    return db.execute(
        "SELECT status, films_total AS total, films_matched + films_not_found + films_failed AS done,"
        " films_matched AS matched FROM upload_sessions WHERE id = %s",
        (session_id,),
    ).fetchone()


def wait_completed(
    db: Any, session_id: uuid.UUID, timeout: float, progress: list[int] | None = None
) -> dict[str, Any]:
    """Wait (with a deadline) until the session is completed; `progress` collects `done` as it goes."""

    def completed() -> bool:
        row = session_row(db, session_id)
        if progress is not None:
            progress.append(row["done"])
        return row["status"] == "completed"

    wait_until(completed, timeout, f"session {session_id} to complete", interval=0.02)
    return session_row(db, session_id)


def first_claim_seconds(db: Any, session_id: uuid.UUID, since: float) -> float | None:
    """Seconds from `since` (epoch) to the session's first claim, or None before it is claimed."""
    row = db.execute(
        "SELECT extract(epoch FROM min(claimed_at)) AS at FROM enrichment_jobs WHERE session_id = %s",
        (session_id,),
    ).fetchone()
    return None if row["at"] is None else float(row["at"]) - since
