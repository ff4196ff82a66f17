-- name: register_worker
-- Announce a worker (the worker_status view lists it while it heart-beats).
INSERT INTO workers (id, host, pid, lease_seconds, tmdb_demo)
VALUES (%(worker_id)s, %(host)s, %(pid)s, %(lease_seconds)s, %(tmdb_demo)s)

-- name: unregister_worker
-- A worker that stops cleanly leaves the registry.
DELETE FROM workers WHERE id = %(worker_id)s

-- name: heartbeat
-- Renew the leases of the jobs a worker still holds and its own registration, in one statement.
-- Returns the ids of the jobs it still holds: a job missing from them was lost (its lease expired
-- and another worker claimed it), so its work must stop.
WITH seen AS (
    UPDATE workers SET last_seen_at = now() WHERE id = %(worker_id)s
)
UPDATE enrichment_jobs
SET lease_expires_at = now() + make_interval(secs => %(lease_seconds)s), updated_at = now()
WHERE id = ANY(%(job_ids)s) AND locked_by = %(worker_id)s AND status = 'running'
RETURNING id

-- name: claim_jobs
-- Claim up to %(limit)s runnable jobs: queued ones whose backoff has passed, and running ones whose
-- lease expired (their worker died). Low chunk numbers first, so every session's first chunk goes
-- before anyone's later chunks; SKIP LOCKED lets workers claim side by side without waiting.
WITH candidates AS (
    SELECT id
    FROM enrichment_jobs
    WHERE status IN ('queued', 'running')
      AND chunk_no <= %(max_chunk)s
      AND CASE status
              WHEN 'queued' THEN run_after <= now()
              ELSE lease_expires_at < now()
          END
    ORDER BY chunk_no, id
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE enrichment_jobs AS j
SET status = 'running',
    locked_by = %(worker_id)s,
    lease_expires_at = now() + make_interval(secs => %(lease_seconds)s),
    attempts = j.attempts + 1,
    claimed_at = clock_timestamp(),
    updated_at = now()
FROM candidates
WHERE j.id = candidates.id
RETURNING j.id, j.session_id, j.chunk_no, j.first_film, j.last_film, j.attempts, j.max_attempts,
          j.fresh_lookups

-- name: pending_films
-- The films of a job that still need enriching (a job done before by a dead worker may be half done).
SELECT film_no, name, year
FROM films
WHERE session_id = %(session_id)s
  AND film_no BETWEEN %(first_film)s AND %(last_film)s
  AND status = 'pending'
ORDER BY film_no

-- name: upsert_movies
-- Store TMDB details in the shared cache; a newer fetch replaces an older one.
INSERT INTO tmdb_movies (tmdb_id, title, original_title, original_language, release_date, runtime,
                         genres, directors, cast_members, countries, languages, popularity, vote_average, fetched_at)
SELECT m.tmdb_id, m.title, m.original_title, m.original_language, m.release_date, m.runtime,
       m.genres, m.directors, m.cast_members, m.countries, m.languages, m.popularity, m.vote_average, now()
FROM jsonb_to_recordset(%(movies)s) AS m (
    tmdb_id integer, title text, original_title text, original_language text, release_date date,
    runtime integer, genres text[], directors text[], cast_members text[], countries text[],
    languages text[], popularity real, vote_average real
)
ON CONFLICT (tmdb_id) DO UPDATE
SET title = excluded.title, original_title = excluded.original_title,
    original_language = excluded.original_language, release_date = excluded.release_date,
    runtime = excluded.runtime, genres = excluded.genres, directors = excluded.directors,
    cast_members = excluded.cast_members, countries = excluded.countries,
    languages = excluded.languages, popularity = excluded.popularity, vote_average = excluded.vote_average, fetched_at = now()

-- name: record_film_results
-- Give films their final status and add them to the session's counters, in one statement.
-- Only pending films change, so a job done twice counts each film once. One progress NOTIFY per
-- batch (not per film) tells the API's event streams.
WITH results AS (
    SELECT *
    FROM jsonb_to_recordset(%(results)s)
         AS r (film_no integer, status text, tmdb_id integer, match_rule text, error text)
),
changed AS (
    UPDATE films AS f
    SET status = r.status, tmdb_id = r.tmdb_id, match_rule = r.match_rule, error = r.error,
        enriched_at = now()
    FROM results AS r
    WHERE f.session_id = %(session_id)s AND f.film_no = r.film_no AND f.status = 'pending'
    RETURNING f.status
)
UPDATE upload_sessions AS s
SET films_matched = s.films_matched + (SELECT count(*) FROM changed WHERE status = 'matched'),
    films_not_found = s.films_not_found + (SELECT count(*) FROM changed WHERE status = 'not_found'),
    films_failed = s.films_failed + (SELECT count(*) FROM changed WHERE status = 'failed'),
    updated_at = now()
WHERE s.id = %(session_id)s AND EXISTS (SELECT FROM changed)
RETURNING pg_notify('reelstats_progress', s.id::text)

-- name: lock_session
-- Serialise the workers that finish jobs of one session, so exactly one of them sees the last
-- job end and completes the session.
SELECT status FROM upload_sessions WHERE id = %(session_id)s FOR UPDATE

-- name: finish_job
-- A job whose films all got a final status.
UPDATE enrichment_jobs
SET status = 'succeeded', locked_by = NULL, lease_expires_at = NULL, finished_at = now(),
    updated_at = now(), last_error = NULL
WHERE id = %(job_id)s AND locked_by = %(worker_id)s AND status = 'running'
RETURNING id

-- name: retry_job
-- A failed attempt: back off (run_after), or fail for good once attempts are used up.
UPDATE enrichment_jobs
SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
    run_after = now() + make_interval(secs => %(delay_seconds)s),
    finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
    last_error = %(error)s, locked_by = NULL, lease_expires_at = NULL, updated_at = now()
WHERE id = %(job_id)s AND locked_by = %(worker_id)s AND status = 'running'
RETURNING status

-- name: fail_job
-- A job that must not be tried again (attempts used up by dying workers, or a fatal error).
UPDATE enrichment_jobs
SET status = 'failed', finished_at = now(), last_error = %(error)s, locked_by = NULL,
    lease_expires_at = NULL, updated_at = now()
WHERE id = %(job_id)s AND locked_by = %(worker_id)s AND status = 'running'
RETURNING id

-- name: fail_pending_films
-- The films a failed job leaves pending are failed too, and counted.
WITH changed AS (
    UPDATE films
    SET status = 'failed', error = %(error)s, enriched_at = now()
    WHERE session_id = %(session_id)s AND film_no BETWEEN %(first_film)s AND %(last_film)s
      AND status = 'pending'
    RETURNING 1
)
UPDATE upload_sessions
SET films_failed = films_failed + (SELECT count(*) FROM changed), updated_at = now()
WHERE id = %(session_id)s

-- name: complete_session_if_done
-- When no job of the session is open any more, the session is final: completed, or failed when
-- not a single film could be enriched. Run after lock_session, in the same transaction.
UPDATE upload_sessions AS s
SET status = CASE WHEN s.films_matched + s.films_not_found = 0 AND s.films_failed > 0
                  THEN 'failed' ELSE 'completed' END,
    error = CASE WHEN s.films_matched + s.films_not_found = 0 AND s.films_failed > 0
                 THEN 'None of the films could be enriched: '
                      || coalesce((SELECT j.last_error FROM enrichment_jobs AS j
                                   WHERE j.session_id = s.id AND j.status = 'failed'
                                   ORDER BY j.finished_at DESC LIMIT 1), 'enrichment failed')
            END,
    finished_at = now(),
    updated_at = now()
WHERE s.id = %(session_id)s
  AND s.status = 'enriching'
  AND NOT EXISTS (SELECT FROM enrichment_jobs AS j
                  WHERE j.session_id = s.id AND j.status IN ('queued', 'running'))
RETURNING s.status, pg_notify('reelstats_progress', s.id::text)

-- name: release_jobs
-- A worker stopping before its jobs are done hands them back at once, without waiting for the
-- lease to expire (the claim is not counted as an attempt), and wakes the other workers once.
WITH released AS (
    UPDATE enrichment_jobs
    SET status = 'queued', locked_by = NULL, lease_expires_at = NULL, run_after = now(),
        attempts = greatest(attempts - 1, 0), updated_at = now()
    WHERE id = ANY(%(job_ids)s) AND locked_by = %(worker_id)s AND status = 'running'
    RETURNING id
)
SELECT count(*) AS released,
       CASE WHEN count(*) > 0 THEN pg_notify('reelstats_jobs', %(worker_id)s::text) END AS notified
FROM released

-- name: listener_check
-- The listener's keepalive: a round trip that also proves the LISTEN is still in place.
SELECT %(channel)s = ANY(ARRAY(SELECT pg_listening_channels())) AS listening

-- name: listen_jobs
-- Subscribe the listener connection to job notifications (payload: a session id).
LISTEN reelstats_jobs

-- name: resolve_from_cache
-- Finish every film of a job whose (title key, year) TMDB already answered, with no request at all:
-- matched from a fresh positive search whose film details are cached, not_found from a fresh
-- negative one. Returns the film numbers it finished.
WITH wanted AS (
    SELECT * FROM jsonb_to_recordset(%(films)s) AS w (film_no integer, title_key text, year smallint)
),
hits AS (
    SELECT w.film_no, s.tmdb_id, s.match_rule
    FROM wanted AS w
    JOIN tmdb_searches AS s ON s.title_key = w.title_key AND s.year = w.year
    WHERE s.expires_at > now()
      AND (s.tmdb_id IS NOT NULL OR NOT %(fresh_lookups)s)
      AND (s.tmdb_id IS NULL OR EXISTS (
              SELECT FROM tmdb_movies AS m
              WHERE m.tmdb_id = s.tmdb_id AND m.fetched_at > now() - interval '30 days'))
),
changed AS (
    UPDATE films AS f
    SET status = CASE WHEN h.tmdb_id IS NULL THEN 'not_found' ELSE 'matched' END,
        tmdb_id = h.tmdb_id, match_rule = h.match_rule, enriched_at = now()
    FROM hits AS h
    WHERE f.session_id = %(session_id)s AND f.film_no = h.film_no AND f.status = 'pending'
    RETURNING f.film_no, f.status
),
counted AS (
    UPDATE upload_sessions AS s
    SET films_matched = s.films_matched + (SELECT count(*) FROM changed WHERE status = 'matched'),
        films_not_found = s.films_not_found + (SELECT count(*) FROM changed WHERE status = 'not_found'),
        updated_at = now()
    WHERE s.id = %(session_id)s AND EXISTS (SELECT FROM changed)
    RETURNING pg_notify('reelstats_progress', s.id::text)
)
SELECT film_no FROM changed

-- name: cached_search
-- The cached outcome of one search key, if fresh (a waiting worker polls this while another
-- worker fetches the same key).
SELECT s.tmdb_id, s.match_rule
FROM tmdb_searches AS s
WHERE s.title_key = %(title_key)s AND s.year = %(year)s AND s.expires_at > now()

-- name: cached_movie
-- Fresh cached details of one film.
SELECT tmdb_id, title, original_title, original_language, release_date::text AS release_date, runtime,
       genres, directors, cast_members, countries, languages, popularity
FROM tmdb_movies
WHERE tmdb_id = %(tmdb_id)s AND fetched_at > now() - interval '30 days'

-- name: claim_fetch
-- Take the right to fetch a key from TMDB. True when this worker may fetch it now; false when
-- another worker is fetching it (wait for the cache instead). An expired claim is taken over.
INSERT INTO tmdb_fetches (fetch_key, worker_id, expires_at)
VALUES (%(fetch_key)s, %(worker_id)s, now() + make_interval(secs => %(seconds)s))
ON CONFLICT (fetch_key) DO UPDATE
SET worker_id = excluded.worker_id, expires_at = excluded.expires_at
WHERE tmdb_fetches.expires_at < now() OR tmdb_fetches.worker_id = excluded.worker_id
RETURNING true AS claimed

-- name: store_searches
-- Cache search outcomes (a null tmdb_id is a negative entry with a shorter lifetime) and release
-- their fetch claims; the details of matched films are stored by upsert_movies first.
WITH stored AS (
    INSERT INTO tmdb_searches (title_key, year, tmdb_id, match_rule, fetched_at, expires_at)
    SELECT s.title_key, s.year, s.tmdb_id, s.match_rule, now(),
           now() + CASE WHEN s.tmdb_id IS NULL THEN interval '1 day' ELSE interval '30 days' END
    FROM jsonb_to_recordset(%(searches)s)
         AS s (title_key text, year smallint, tmdb_id integer, match_rule text)
    ON CONFLICT (title_key, year) DO UPDATE
    SET tmdb_id = excluded.tmdb_id, match_rule = excluded.match_rule,
        fetched_at = excluded.fetched_at, expires_at = excluded.expires_at
    RETURNING 'search:' || title_key || '|' || year AS fetch_key
)
DELETE FROM tmdb_fetches AS f
WHERE f.worker_id = %(worker_id)s
  AND (f.fetch_key IN (SELECT fetch_key FROM stored) OR f.fetch_key = ANY(%(movie_keys)s))

-- name: release_fetch
-- Give up a fetch claim without an answer (the fetch failed), so another worker may try.
DELETE FROM tmdb_fetches WHERE fetch_key = %(fetch_key)s AND worker_id = %(worker_id)s

-- name: reserve_tmdb_slots
-- Reserve %(count)s evenly spaced request slots from the fleet's schedule (%(rate)s per second,
-- at most %(burst)s slots of catch-up after idle time, none before a 429's Retry-After).
-- Returns when the first slot begins and the database's clock now (both as epoch seconds, so the
-- worker can place the slots on its own clock), and whether these credentials were refused.
UPDATE tmdb_rate_limit
SET next_slot_at = greatest(next_slot_at,
                            clock_timestamp() - make_interval(secs => %(burst)s / %(rate)s),
                            paused_until)
                   + make_interval(secs => %(count)s / %(rate)s),
    updated_at = now()
RETURNING extract(epoch FROM next_slot_at - make_interval(secs => %(count)s / %(rate)s))::float8 AS first_slot,
          extract(epoch FROM clock_timestamp())::float8 AS database_now,
          EXISTS (SELECT FROM tmdb_rejected_credentials AS r
                  WHERE r.fingerprint = %(fingerprint)s
                    AND r.rejected_at > now() - interval '1 hour') AS rejected

-- name: pause_tmdb
-- TMDB answered 429: no worker starts a request before its Retry-After has passed.
UPDATE tmdb_rate_limit
SET paused_until = greatest(paused_until, clock_timestamp() + make_interval(secs => %(seconds)s)),
    updated_at = now()

-- name: reject_credentials
-- TMDB answered 401 to these credentials: every worker using them stops sending requests.
INSERT INTO tmdb_rejected_credentials (fingerprint) VALUES (%(fingerprint)s)
ON CONFLICT (fingerprint) DO UPDATE SET rejected_at = now()

-- name: worker_alive_on_host
-- The container health check: a worker of this host heart-beated within its lease.
SELECT 1 FROM workers
WHERE host = %(host)s AND last_seen_at > now() - make_interval(secs => lease_seconds)
LIMIT 1

-- name: try_housekeeping_lock
-- Housekeeping is done by one worker at a time: whoever gets this lock for its transaction.
SELECT pg_try_advisory_xact_lock(hashtextextended('reelstats:housekeeping', 0)) AS locked

-- name: purge_finished_jobs
-- Finished jobs do not pile up: succeeded ones go after a minute, failed ones after a week
-- (operators inspect those); a retry re-creates the jobs it needs.
DELETE FROM enrichment_jobs
WHERE status IN ('succeeded', 'failed')
  AND finished_at < now() - CASE status WHEN 'succeeded' THEN interval '1 minute' ELSE interval '7 days' END

-- name: purge_one_expired_session
-- Delete the oldest session past SESSION_RETENTION_DAYS, with everything uploaded with it.
DELETE FROM upload_sessions
WHERE id = (SELECT id FROM upload_sessions
            WHERE created_at < now() - make_interval(days => %(retention_days)s)
            ORDER BY created_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
RETURNING id

-- name: purge_stale_rows
-- Expired fetch claims, expired cache answers, and workers gone for a day.
WITH claims AS (
    DELETE FROM tmdb_fetches WHERE expires_at < now() RETURNING 1
),
searches AS (
    DELETE FROM tmdb_searches WHERE expires_at < now() - interval '1 day' RETURNING 1
),
gone AS (
    DELETE FROM workers WHERE last_seen_at < now() - interval '1 day' RETURNING 1
)
SELECT (SELECT count(*) FROM claims) AS claims, (SELECT count(*) FROM searches) AS searches,
       (SELECT count(*) FROM gone) AS workers
