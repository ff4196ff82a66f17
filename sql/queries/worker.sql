-- name: register_worker
-- Announce a worker (the worker_status view lists it while it heart-beats).
INSERT INTO workers (id, host, pid, lease_seconds, tmdb_demo)
VALUES (%(worker_id)s, %(host)s, %(pid)s, %(lease_seconds)s, %(tmdb_demo)s)

-- name: unregister_worker
-- A worker that stops cleanly leaves the registry.
DELETE FROM workers WHERE id = %(worker_id)s

-- name: heartbeat
-- Renew the leases of the jobs a worker still holds and its own registration (with whether all
-- its tasks are healthy), in one statement. Returns every one of the given jobs that still exists
-- with whether this worker still holds it: a job not held was lost (its lease expired and another
-- worker claimed it), a job missing was deleted with its session; either way its work must stop.
WITH seen AS (
    UPDATE workers SET last_seen_at = now(), healthy = %(healthy)s, problem = %(problem)s, room = %(room)s
    WHERE id = %(worker_id)s
),
renewed AS (
    UPDATE enrichment_jobs
    SET lease_expires_at = now() + make_interval(secs => %(lease_seconds)s), updated_at = now()
    WHERE id = ANY(%(job_ids)s) AND locked_by = %(worker_id)s AND status = 'running'
    RETURNING id
)
SELECT j.id, j.id IN (SELECT id FROM renewed) AS held
FROM enrichment_jobs AS j
WHERE j.id = ANY(%(job_ids)s)

-- name: upsert_movies
-- Store TMDB details in the shared cache; a newer fetch replaces an older one. Rows in id order,
-- the order every writer of the cache keeps.
INSERT INTO tmdb_movies (tmdb_id, title, original_title, original_language, release_date, runtime,
                         genres, directors, cast_members, countries, languages, popularity,
                         vote_average, alternative_titles, release_years, fetched_at)
SELECT m.tmdb_id, m.title, m.original_title, m.original_language, m.release_date, m.runtime,
       m.genres, m.directors, m.cast_members, m.countries, m.languages, m.popularity,
       m.vote_average, m.alternative_titles, m.release_years, now()
FROM jsonb_to_recordset(%(movies)s) AS m (
    tmdb_id integer, title text, original_title text, original_language text, release_date date,
    runtime integer, genres text[], directors text[], cast_members text[], countries text[],
    languages text[], popularity real, vote_average real, alternative_titles text[],
    release_years smallint[]
)
ORDER BY m.tmdb_id
ON CONFLICT (tmdb_id) DO UPDATE
SET title = excluded.title, original_title = excluded.original_title,
    original_language = excluded.original_language, release_date = excluded.release_date,
    runtime = excluded.runtime, genres = excluded.genres, directors = excluded.directors,
    cast_members = excluded.cast_members, countries = excluded.countries,
    languages = excluded.languages, popularity = excluded.popularity,
    vote_average = excluded.vote_average, alternative_titles = excluded.alternative_titles,
    release_years = excluded.release_years, fetched_at = now()

-- name: record_film_results
-- Give films their final status and add them to the session's counters, in one statement.
-- Only pending films change, and only by an outcome for the choice they wait for (a search result
-- never overwrites a manual choice made meanwhile, nor an old choice a newer one), so a job done
-- twice counts each film once. A confirmed manual match is remembered for the film's Letterboxd
-- URI. The session row is locked first (then the films), the order every writer keeps. A
-- progress NOTIFY tells the API's event streams, at most four a second per session. Says whether
-- the session still exists (it may have been deleted while the job ran).
WITH locked AS (
    SELECT id FROM upload_sessions WHERE id = %(session_id)s FOR NO KEY UPDATE
),
results AS (
    SELECT *
    FROM jsonb_to_recordset(%(results)s)
         AS r (film_no integer, status text, tmdb_id integer, match_rule text, error text,
               alternatives smallint, candidates jsonb, manual_tmdb_id integer)
),
changed AS (
    UPDATE films AS f
    SET status = r.status, tmdb_id = r.tmdb_id, match_rule = r.match_rule, error = r.error,
        alternatives = r.alternatives, candidates = coalesce(r.candidates, f.candidates),
        enriched_at = now()
    FROM results AS r, locked AS l
    WHERE f.session_id = l.id AND f.film_no = r.film_no AND f.status = 'pending'
      AND f.manual_tmdb_id IS NOT DISTINCT FROM r.manual_tmdb_id
    RETURNING f.status, f.match_rule, f.letterboxd_uri, f.tmdb_id
),
remembered AS (
    INSERT INTO film_identities (letterboxd_uri, tmdb_id, session_id)
    SELECT c.letterboxd_uri, c.tmdb_id, %(session_id)s
    FROM changed AS c
    WHERE c.match_rule = 'manual' AND c.status = 'matched' AND c.letterboxd_uri IS NOT NULL
    ON CONFLICT (letterboxd_uri) DO UPDATE
    SET tmdb_id = excluded.tmdb_id, chosen_at = now(), session_id = excluded.session_id
),
counted AS (
    UPDATE upload_sessions AS s
    SET films_matched = s.films_matched + (SELECT count(*) FROM changed WHERE status = 'matched'),
        films_not_found = s.films_not_found + (SELECT count(*) FROM changed WHERE status = 'not_found'),
        films_failed = s.films_failed + (SELECT count(*) FROM changed WHERE status = 'failed'),
        updated_at = now(),
        notified_at = CASE WHEN s.notified_at > now() - interval '250 milliseconds' THEN s.notified_at
                           ELSE now() END
    WHERE s.id = %(session_id)s AND EXISTS (SELECT FROM changed)
    -- At most four progress NOTIFYs a second per session, however many workers share it (the
    -- API's event streams also look every second, so the last batch is never left unsaid).
    RETURNING CASE WHEN s.notified_at = now() THEN pg_notify('reelstats_progress', s.id::text) END
)
SELECT EXISTS (SELECT FROM locked) AS session_exists, (SELECT count(*) FROM counted) AS notified

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
-- Subscribe the listener connection to job notifications (payload: a session id) and to the
-- fleet's TMDB news: "pause <paused until, epoch seconds> <shift seconds>" after a 429,
-- "rejected <credentials fingerprint>" after a 401.
LISTEN reelstats_jobs; LISTEN reelstats_tmdb

-- name: listen_as_worker
-- Subscribe the listener connection to the worker's own channel too: job notifications meant for
-- this worker alone (an upload of one job, see reelstats_jobs_channel in migration 0011).
SELECT reelstats_listen_as_worker(%(worker_id)s) AS channel

-- name: pass_on_wake
-- A notification meant for this worker, which has no room after all, passed on to the fleet.
SELECT pg_notify('reelstats_jobs', %(payload)s) AS notified

-- name: store_searches
-- Cache search outcomes (a null tmdb_id is a negative entry with a shorter lifetime) with the
-- matcher version that made them, and end their fetch claims (and those of the details stored
-- with them). A claim is not deleted but left to expire in a few seconds: a worker whose statement
-- began before this commit cannot see the answer yet, and must find the claim taken (it then
-- looks again and finds the answer) rather than free (it would fetch the same thing again).
WITH stored AS (
    INSERT INTO tmdb_searches (title_key, year, tmdb_id, match_rule, alternatives, candidates,
                               matcher_version, fetched_at, expires_at)
    SELECT s.title_key, s.year, s.tmdb_id, s.match_rule, s.alternatives, s.candidates,
           %(matcher_version)s, now(),
           now() + CASE WHEN s.tmdb_id IS NULL THEN interval '1 day' ELSE interval '30 days' END
    FROM jsonb_to_recordset(%(searches)s)
         AS s (title_key text, year smallint, tmdb_id integer, match_rule text, alternatives smallint,
               candidates jsonb)
    ORDER BY s.title_key, s.year
    ON CONFLICT (title_key, year) DO UPDATE
    SET tmdb_id = excluded.tmdb_id, match_rule = excluded.match_rule,
        alternatives = excluded.alternatives, candidates = excluded.candidates,
        matcher_version = excluded.matcher_version,
        fetched_at = excluded.fetched_at, expires_at = excluded.expires_at
    RETURNING 'search:' || title_key || '|' || year AS fetch_key
)
UPDATE tmdb_fetches AS f
SET expires_at = least(f.expires_at, now() + interval '3 seconds')
WHERE f.worker_id = %(worker_id)s
  AND (f.fetch_key IN (SELECT fetch_key FROM stored) OR f.fetch_key = ANY(%(movie_keys)s))

-- name: release_fetch
-- Give up a fetch claim without an answer (the fetch failed), so another worker may try.
DELETE FROM tmdb_fetches WHERE fetch_key = %(fetch_key)s AND worker_id = %(worker_id)s

-- name: reserve_tmdb_slots
-- Reserve %(count)s evenly spaced request slots from the fleet's schedule (%(rate)s per second,
-- at most %(burst)s slots of catch-up after idle time, none before a 429's Retry-After).
-- Returns when the first slot begins, the database's clock now and when a pause ends (all as
-- epoch seconds, so the worker can place the slots on its own clock), and whether these
-- credentials were refused.
UPDATE tmdb_rate_limit
SET next_slot_at = greatest(next_slot_at,
                            clock_timestamp() - make_interval(secs => %(burst)s / %(rate)s),
                            paused_until)
                   + make_interval(secs => %(count)s / %(rate)s),
    updated_at = now()
RETURNING extract(epoch FROM next_slot_at - make_interval(secs => %(count)s / %(rate)s))::float8 AS first_slot,
          extract(epoch FROM clock_timestamp())::float8 AS database_now,
          extract(epoch FROM paused_until)::float8 AS paused_until,
          EXISTS (SELECT FROM tmdb_rejected_credentials AS r
                  WHERE r.fingerprint = %(fingerprint)s
                    AND r.rejected_at > now() - interval '1 hour') AS rejected

-- name: pause_tmdb
-- TMDB answered 429: no worker starts a request before its Retry-After has passed. The pause moves
-- the whole schedule by the time it adds, so slots already handed out keep their spacing after
-- it; every worker hears of it at once by NOTIFY and moves the slots it holds by as much. (The
-- row is read FOR UPDATE first, so two workers pausing at once add the pause once.)
WITH old AS (
    SELECT greatest(paused_until, clock_timestamp()) AS pause_end,
           greatest(paused_until, clock_timestamp() + make_interval(secs => %(seconds)s)) AS new_end
    FROM tmdb_rate_limit
    FOR UPDATE
),
moved AS (
    UPDATE tmdb_rate_limit AS t
    SET paused_until = old.new_end,
        next_slot_at = greatest(t.next_slot_at, clock_timestamp()) + (old.new_end - old.pause_end),
        updated_at = now()
    FROM old
    RETURNING extract(epoch FROM old.new_end)::float8 AS paused_until,
              extract(epoch FROM old.new_end - old.pause_end)::float8 AS shift
)
SELECT paused_until, shift,
       pg_notify('reelstats_tmdb', 'pause ' || paused_until::text || ' ' || shift::text) AS notified
FROM moved

-- name: reject_credentials
-- TMDB answered 401 to these credentials: every worker using them stops sending requests, told at
-- once by NOTIFY (and by every later reservation).
WITH recorded AS (
    INSERT INTO tmdb_rejected_credentials (fingerprint) VALUES (%(fingerprint)s)
    ON CONFLICT (fingerprint) DO UPDATE SET rejected_at = now()
    RETURNING fingerprint
)
SELECT pg_notify('reelstats_tmdb', 'rejected ' || fingerprint) AS notified FROM recorded

-- name: worker_alive_on_host
-- The container health check: a worker of this host heart-beated within its lease, with all its
-- tasks healthy.
SELECT 1 FROM workers
WHERE host = %(host)s AND last_seen_at > now() - make_interval(secs => lease_seconds) AND healthy
LIMIT 1

-- name: try_housekeeping_lock
-- Housekeeping is done by one worker at a time: whoever gets this lock for its transaction.
SELECT pg_try_advisory_xact_lock(hashtextextended('reelstats:housekeeping', 0)) AS locked

-- name: purge_finished_jobs
-- Finished jobs do not pile up: succeeded ones go after a minute, failed ones after a week
-- (operators inspect those); a retry re-creates the jobs it needs.
-- At most %(batch)s a round, oldest first: a range of the index on finished_at.
DELETE FROM enrichment_jobs
WHERE ctid = ANY(ARRAY(SELECT ctid FROM enrichment_jobs
                       WHERE status IN ('succeeded', 'failed')
                         AND finished_at < now() - interval '1 minute'
                         AND (status = 'succeeded' OR finished_at < now() - interval '7 days')
                       ORDER BY finished_at
                       LIMIT %(batch)s))

-- name: purge_expired_sessions
-- Delete up to %(batch)s of the oldest sessions past SESSION_RETENTION_DAYS, with everything
-- uploaded with them (ON DELETE CASCADE; every table is reached through an index led by
-- session_id). Sessions someone holds this instant are skipped for the next batch.
DELETE FROM upload_sessions
WHERE id IN (SELECT id FROM upload_sessions
             WHERE created_at < now() - make_interval(days => %(retention_days)s)
             ORDER BY created_at
             LIMIT %(batch)s
             FOR UPDATE SKIP LOCKED)
RETURNING id

-- name: purge_stale_rows
-- Expired fetch claims, expired cache answers (searches, IMDb ids), and workers gone for a day, at
-- most %(batch)s of each per round (the oldest first, found by index and deleted by row address:
-- a backlog goes over a few rounds).
WITH claims AS (
    DELETE FROM tmdb_fetches
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM tmdb_fetches WHERE expires_at < now()
                           ORDER BY expires_at LIMIT %(batch)s))
    RETURNING 1
),
searches AS (
    DELETE FROM tmdb_searches
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM tmdb_searches WHERE expires_at < now() - interval '1 day'
                           ORDER BY expires_at LIMIT %(batch)s))
    RETURNING 1
),
imdb_ids AS (
    DELETE FROM tmdb_imdb_ids
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM tmdb_imdb_ids WHERE expires_at < now() - interval '1 day'
                           ORDER BY expires_at LIMIT %(batch)s))
    RETURNING 1
),
gone AS (
    DELETE FROM workers
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM workers WHERE last_seen_at < now() - interval '1 day'
                           ORDER BY last_seen_at LIMIT %(batch)s))
    RETURNING 1
)
SELECT (SELECT count(*) FROM claims) AS claims,
       (SELECT count(*) FROM searches) AS searches,
       (SELECT count(*) FROM imdb_ids) AS imdb_ids,
       (SELECT count(*) FROM gone) AS workers

-- name: search_or_claim
-- A film's search key, at the moment its first request slot is granted: the fresh cached answer
-- of this matcher version if there is one, else the right to fetch it (claimed: true), else
-- nobody's answer yet because another worker is fetching it (claimed: false).
WITH cached AS (
    SELECT s.tmdb_id, s.match_rule, s.alternatives, s.candidates
    FROM tmdb_searches AS s
    WHERE s.title_key = %(title_key)s AND s.year = %(year)s AND s.expires_at > now()
      AND s.matcher_version = %(matcher_version)s
      AND (s.tmdb_id IS NOT NULL OR NOT %(fresh)s)
),
claim AS (
    INSERT INTO tmdb_fetches (fetch_key, worker_id, expires_at)
    SELECT %(fetch_key)s, %(worker_id)s, now() + make_interval(secs => %(seconds)s)
    WHERE NOT EXISTS (SELECT FROM cached)
    ON CONFLICT (fetch_key) DO UPDATE
    SET worker_id = excluded.worker_id, expires_at = excluded.expires_at
    WHERE tmdb_fetches.expires_at < now() OR tmdb_fetches.worker_id = excluded.worker_id
    RETURNING true
)
SELECT (SELECT to_jsonb(c) FROM cached AS c) AS cached, EXISTS (SELECT FROM claim) AS claimed

-- name: movie_or_claim
-- A film's details, at the moment a request slot for them is granted: the fresh cached row (with
-- alternative titles, so it can prove a title) if there is one, else the right to fetch it, else
-- nothing while another worker fetches it.
WITH cached AS (
    SELECT tmdb_id, title, original_title, original_language, release_date::text AS release_date,
           runtime, genres, directors, cast_members, countries, languages, popularity,
           alternative_titles, release_years::integer[] AS release_years
    FROM tmdb_movies
    WHERE tmdb_id = %(tmdb_id)s AND fetched_at > now() - interval '30 days'
      AND alternative_titles IS NOT NULL
),
claim AS (
    INSERT INTO tmdb_fetches (fetch_key, worker_id, expires_at)
    SELECT %(fetch_key)s, %(worker_id)s, now() + make_interval(secs => %(seconds)s)
    WHERE NOT EXISTS (SELECT FROM cached)
    ON CONFLICT (fetch_key) DO UPDATE
    SET worker_id = excluded.worker_id, expires_at = excluded.expires_at
    WHERE tmdb_fetches.expires_at < now() OR tmdb_fetches.worker_id = excluded.worker_id
    RETURNING true
)
SELECT (SELECT to_jsonb(c) FROM cached AS c) AS cached, EXISTS (SELECT FROM claim) AS claimed

-- name: imdb_or_claim
-- A film's IMDb id, at the moment its request slot is granted: what TMDB's /find answered for it
-- if that is fresh (null tmdb_id: TMDB has no such film), else the right to ask, else nothing
-- while another worker asks.
WITH cached AS (
    SELECT x.tmdb_id
    FROM tmdb_imdb_ids AS x
    WHERE x.imdb_id = %(imdb_id)s AND x.expires_at > now() AND (x.tmdb_id IS NOT NULL OR NOT %(fresh)s)
),
claim AS (
    INSERT INTO tmdb_fetches (fetch_key, worker_id, expires_at)
    SELECT %(fetch_key)s, %(worker_id)s, now() + make_interval(secs => %(seconds)s)
    WHERE NOT EXISTS (SELECT FROM cached)
    ON CONFLICT (fetch_key) DO UPDATE
    SET worker_id = excluded.worker_id, expires_at = excluded.expires_at
    WHERE tmdb_fetches.expires_at < now() OR tmdb_fetches.worker_id = excluded.worker_id
    RETURNING true
)
SELECT (SELECT to_jsonb(c) FROM cached AS c) AS cached, EXISTS (SELECT FROM claim) AS claimed

-- name: store_imdb_ids
-- Cache what /find answered for IMDb ids (30 days; a day when TMDB had no film), in key order, and
-- end their fetch claims (left to expire shortly, as store_searches explains).
WITH stored AS (
    INSERT INTO tmdb_imdb_ids (imdb_id, tmdb_id, fetched_at, expires_at)
    SELECT a.imdb_id, a.tmdb_id, now(),
           now() + CASE WHEN a.tmdb_id IS NULL THEN interval '1 day' ELSE interval '30 days' END
    FROM jsonb_to_recordset(%(answers)s) AS a (imdb_id text, tmdb_id integer)
    ORDER BY a.imdb_id
    ON CONFLICT (imdb_id) DO UPDATE
    SET tmdb_id = excluded.tmdb_id, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at
    RETURNING 'find:' || imdb_id AS fetch_key
)
UPDATE tmdb_fetches AS f
SET expires_at = least(f.expires_at, now() + interval '3 seconds')
WHERE f.worker_id = %(worker_id)s AND f.fetch_key IN (SELECT fetch_key FROM stored)

-- name: fleet_with_room
-- The live workers that had room for a job at their last heartbeat, for ranking who claims a
-- small upload (every worker computes the same ranking from the same list).
SELECT id FROM workers
WHERE last_seen_at > now() - make_interval(secs => lease_seconds) AND room > 0 AND healthy
