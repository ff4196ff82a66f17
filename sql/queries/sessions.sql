-- name: insert_session
-- Create an upload session; enriching when it has films, completed at once when it has none.
INSERT INTO upload_sessions (id, status, films_total, upload_bytes, files, finished_at)
VALUES (%(id)s, %(status)s, %(films_total)s, %(upload_bytes)s, %(files)s,
        CASE WHEN %(status)s = 'enriching' THEN NULL ELSE now() END)
RETURNING id, status, created_at, updated_at, error, films_total, films_matched,
          films_not_found, films_failed, files

-- name: copy_films
-- Stream the films of a new session (COPY text format, see api/letterboxd/export.py).
COPY films (session_id, film_no, name, year, letterboxd_uri, watched_on, liked_on, rating, rated_on)
FROM STDIN

-- name: copy_diary_entries
-- Stream the diary entries of a new session.
COPY diary_entries (session_id, entry_no, film_no, logged_on, watched_on, rating, rewatch, tags,
                    letterboxd_uri)
FROM STDIN

-- name: copy_reviews
-- Stream the reviews of a new session.
COPY reviews (session_id, entry_no, film_no, logged_on, watched_on, rating, rewatch, review, tags,
              letterboxd_uri)
FROM STDIN

-- name: copy_watchlist_entries
-- Stream the watchlist titles of a new session.
COPY watchlist_entries (session_id, entry_no, name, year, letterboxd_uri, added_on)
FROM STDIN

-- name: queue_session_jobs
-- Split a session's films into chunks of %(chunk)s, one job each, and wake the workers with a
-- single NOTIFY; it is delivered when (and only if) the upload's transaction commits.
WITH jobs AS (
    INSERT INTO enrichment_jobs (session_id, chunk_no, first_film, last_film)
    SELECT %(session_id)s, n, n * %(chunk)s + 1, least((n + 1) * %(chunk)s, %(films)s)
    FROM generate_series(0, (%(films)s - 1) / %(chunk)s) AS n
    RETURNING 1
)
SELECT (SELECT count(*) FROM jobs) AS jobs,
       pg_notify('reelstats_jobs', %(session_id)s::text) AS notified

-- name: get_session
-- One session with its progress counters.
SELECT id, status, created_at, updated_at, error, films_total, films_matched, films_not_found,
       films_failed, files
FROM upload_sessions
WHERE id = %(id)s

-- name: delete_session
-- Remove a session; its films, entries and jobs go with it (ON DELETE CASCADE).
DELETE FROM upload_sessions WHERE id = %(id)s RETURNING id
