-- name: insert_session
-- Create an upload session; enriching when it has films, completed at once when it has none.
INSERT INTO upload_sessions (id, status, source, films_total, upload_bytes, files, finished_at)
VALUES (%(id)s, %(status)s, %(source)s, %(films_total)s, %(upload_bytes)s, %(files)s,
        CASE WHEN %(status)s = 'enriching' THEN NULL ELSE now() END)
RETURNING id, status, source, created_at, updated_at, error, films_total, films_matched,
          films_not_found, films_failed, files

-- name: copy_films
-- Stream the films of a new session (COPY text format, see api/letterboxd/export.py).
COPY films (session_id, film_no, name, year, letterboxd_uri, watched_on, liked_on, rating, rated_on,
            imdb_id, source_tmdb_id, title_key)
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
-- single NOTIFY (payload "<session id> <jobs queued>"; one job is addressed to one worker, see
-- reelstats_jobs_channel in migration 0011, more wake the fleet, whose workers with room decide by
-- the count who claims); it is delivered when (and only if) the upload's transaction commits.
WITH jobs AS (
    INSERT INTO enrichment_jobs (session_id, chunk_no, first_film, last_film)
    SELECT %(session_id)s, n, n * %(chunk)s + 1, least((n + 1) * %(chunk)s, %(films)s)
    FROM generate_series(0, (%(films)s - 1) / %(chunk)s) AS n
    RETURNING 1
)
SELECT (SELECT count(*) FROM jobs) AS jobs,
       pg_notify(reelstats_jobs_channel(%(session_id)s, (SELECT count(*) FROM jobs)),
                 %(session_id)s::text || ' ' || (SELECT count(*) FROM jobs)) AS notified

-- name: store_small_export
-- An upload of a few thousand rows at most, stored in one statement (one round trip, no BEGIN or
-- COMMIT on an autocommit connection): the session, its films, diary entries, reviews and
-- watchlist titles (each row the fields of its COPY line, see api/store.py), its jobs, and the
-- NOTIFY that wakes a worker (payload "<session id> <jobs queued>", addressed as in
-- queue_session_jobs), all or nothing.
WITH session AS (
    INSERT INTO upload_sessions (id, status, source, films_total, upload_bytes, files, finished_at)
    VALUES (%(id)s, %(status)s, %(source)s, %(films_total)s, %(upload_bytes)s, %(files)s,
            CASE WHEN %(status)s = 'enriching' THEN NULL ELSE now() END)
    RETURNING id, status, source, created_at, updated_at, error, films_total, films_matched,
              films_not_found, films_failed, files
),
films AS (
    INSERT INTO films (session_id, film_no, name, year, letterboxd_uri, watched_on, liked_on, rating,
                       rated_on, imdb_id, source_tmdb_id, title_key)
    SELECT %(id)s, (r->>1)::integer, r->>2, (r->>3)::smallint, r->>4, (r->>5)::date, (r->>6)::date,
           (r->>7)::numeric, (r->>8)::date, r->>9, (r->>10)::integer, r->>11
    FROM jsonb_array_elements(%(films)s) AS r
),
diary AS (
    INSERT INTO diary_entries (session_id, entry_no, film_no, logged_on, watched_on, rating, rewatch,
                               tags, letterboxd_uri)
    SELECT %(id)s, (r->>1)::integer, (r->>2)::integer, (r->>3)::date, (r->>4)::date, (r->>5)::numeric,
           (r->>6)::boolean, (r->>7)::text[], r->>8
    FROM jsonb_array_elements(%(diary)s) AS r
),
reviews AS (
    INSERT INTO reviews (session_id, entry_no, film_no, logged_on, watched_on, rating, rewatch, review,
                         tags, letterboxd_uri)
    SELECT %(id)s, (r->>1)::integer, (r->>2)::integer, (r->>3)::date, (r->>4)::date, (r->>5)::numeric,
           (r->>6)::boolean, r->>7, (r->>8)::text[], r->>9
    FROM jsonb_array_elements(%(reviews)s) AS r
),
watchlist AS (
    INSERT INTO watchlist_entries (session_id, entry_no, name, year, letterboxd_uri, added_on)
    SELECT %(id)s, (r->>1)::integer, r->>2, (r->>3)::smallint, r->>4, (r->>5)::date
    FROM jsonb_array_elements(%(watchlist)s) AS r
),
jobs AS (
    INSERT INTO enrichment_jobs (session_id, chunk_no, first_film, last_film)
    SELECT %(id)s, n, n * %(chunk)s + 1, least((n + 1) * %(chunk)s, %(films_total)s)
    FROM generate_series(0, (%(films_total)s - 1) / %(chunk)s) AS n
    WHERE %(films_total)s > 0
    RETURNING 1
)
SELECT session.*,
       CASE WHEN %(films_total)s > 0
            THEN pg_notify(reelstats_jobs_channel(%(id)s, (SELECT count(*) FROM jobs)),
                           %(id)s::text || ' ' || (SELECT count(*) FROM jobs)) END AS notified
FROM session

-- name: get_session
-- One session with its progress counters.
SELECT id, status, source, created_at, updated_at, error, films_total, films_matched,
       films_not_found, films_failed, files
FROM upload_sessions
WHERE id = %(id)s

-- name: delete_session
-- Remove a session; its films, entries and jobs go with it (ON DELETE CASCADE).
DELETE FROM upload_sessions WHERE id = %(id)s RETURNING id

-- name: retry_session
-- Re-queue the not_found and failed films of a finished session, in one transaction with one
-- NOTIFY: the films become pending, the counters drop, the chunks holding them are queued again
-- (re-created if housekeeping removed them) with fresh look-ups, and the session is enriching.
-- A film the person said is not on TMDB (a manual match) stays as they said.
-- Returns nothing when the session does not exist or is still enriching.
WITH locked AS (
    SELECT id, films_total FROM upload_sessions
    WHERE id = %(session_id)s AND status IN ('completed', 'failed')
    FOR UPDATE
),
todo AS (
    SELECT f.film_no, f.status FROM films AS f JOIN locked AS l ON f.session_id = l.id
    WHERE f.status IN ('not_found', 'failed') AND f.match_rule IS DISTINCT FROM 'manual'
),
reset AS (
    UPDATE films AS f
    SET status = 'pending', tmdb_id = NULL, match_rule = NULL, error = NULL, enriched_at = NULL,
        alternatives = 0
    FROM todo AS t
    WHERE f.session_id = %(session_id)s AND f.film_no = t.film_no
),
requeued AS (
    INSERT INTO enrichment_jobs (session_id, chunk_no, first_film, last_film, fresh_lookups)
    SELECT %(session_id)s, c.chunk_no, c.chunk_no * %(chunk)s + 1,
           least((c.chunk_no + 1) * %(chunk)s, (SELECT films_total FROM locked)), true
    FROM (SELECT DISTINCT (film_no - 1) / %(chunk)s AS chunk_no FROM todo) AS c
    ON CONFLICT (session_id, chunk_no) WHERE kind = 'chunk' DO UPDATE
    SET status = 'queued', attempts = 0, run_after = now(), last_error = NULL, finished_at = NULL,
        locked_by = NULL, lease_expires_at = NULL, fresh_lookups = true, updated_at = now()
    RETURNING 1
),
reopened AS (
    UPDATE upload_sessions AS s
    SET status = 'enriching', error = NULL, finished_at = NULL, updated_at = now(),
        films_not_found = s.films_not_found - (SELECT count(*) FROM todo WHERE status = 'not_found'),
        films_failed = s.films_failed - (SELECT count(*) FROM todo WHERE status = 'failed')
    FROM locked
    WHERE s.id = locked.id AND EXISTS (SELECT FROM todo)
    RETURNING s.id
)
SELECT (SELECT count(*) FROM todo) AS retried,
       (SELECT count(*) FROM requeued) AS jobs,
       CASE WHEN EXISTS (SELECT FROM reopened)
            THEN pg_notify(reelstats_jobs_channel(%(session_id)s, (SELECT count(*) FROM requeued)),
                           %(session_id)s::text || ' ' || (SELECT count(*) FROM requeued))
       END AS notified
FROM locked

-- name: demo_catalogue
-- Whether the live workers enrich from the demo catalogue (no TMDB credentials).
SELECT coalesce(bool_or(tmdb_demo), false) AS demo, count(*) AS workers
FROM workers
WHERE last_seen_at > now() - make_interval(secs => lease_seconds)

-- name: listen_progress
-- The API's single listener: one NOTIFY per batch of worker results (payload: a session id).
LISTEN reelstats_progress

-- name: listener_ping
-- The progress listener's keepalive round trip.
SELECT 1

-- name: queue_metrics
-- The queue for /metrics: jobs per status with the oldest one's age, the NOTIFY queue's fill
-- level and the live workers, as (status, value, oldest_seconds) rows.
SELECT status, jobs::float8 AS value, extract(epoch FROM oldest_age)::float8 AS oldest_seconds
FROM job_overview
UNION ALL
SELECT '_notify_queue', pg_notification_queue_usage(), NULL
UNION ALL
SELECT '_workers', count(*)::float8, NULL FROM worker_status

-- name: watched_sessions
-- Every session an event stream watches, in one query a second (progress NOTIFYs are bounded to
-- a few a second per session, so this is what tells the last batch of a pause).
SELECT id, status, source, created_at, updated_at, error, films_total, films_matched,
       films_not_found, films_failed, files
FROM upload_sessions
WHERE id = ANY(%(ids)s)
