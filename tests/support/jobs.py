"""Arranging sessions and jobs directly in SQL, for tests of the queue itself."""

from __future__ import annotations

import uuid

import psycopg


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
            "INSERT INTO films (session_id, film_no, name, year)"
            " SELECT %s, n, 'Synthetic Feature ' || lpad((n + %s)::text, 5, '0'), 1950 + (n + %s) %% 70"
            " FROM generate_series(1, %s) AS n",
            (session_id, first_film_no, first_film_no, films),
        )
        db.execute(
            "INSERT INTO enrichment_jobs (session_id, chunk_no, first_film, last_film)"
            " SELECT %s, c, c * %s + 1, least((c + 1) * %s, %s) FROM generate_series(0, (%s - 1) / %s) AS c",
            (session_id, chunk, chunk, films, films, chunk),
        )
        if notify:
            db.execute("SELECT pg_notify('reelstats_jobs', %s)", (str(session_id),))
    return session_id
