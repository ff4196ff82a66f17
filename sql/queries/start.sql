-- name: start_jobs
-- The worker's one round trip from a wake-up to its first TMDB request. In one statement:
-- claim up to %(limit)s runnable jobs (queued ones whose backoff has passed, running ones whose
-- lease expired, never one this worker still runs); finish every film of them the shared cache
-- already answers (a TMDB id chosen by a person or given by the export, an IMDb id TMDB's /find
-- answered, a fresh search answer of this matcher version, each with cached details), and a job
-- with nothing left, and its session when that was the last open job; claim
-- the TMDB fetches of the first %(first_requests)s films left, and reserve their rate slots.
--
-- Locks are taken in the order every writer keeps (session, then jobs, then films, then cache
-- rows by key): the sessions of the candidates first, FOR NO KEY UPDATE SKIP LOCKED, so a
-- session being deleted or written by another worker at this instant is skipped (`more` says
-- so, and the worker asks again), never waited for.
WITH candidates AS (
    SELECT j.id, j.session_id, j.chunk_no
    FROM enrichment_jobs AS j
    WHERE j.status IN ('queued', 'running')
      AND j.chunk_no <= %(max_chunk)s
      AND j.id <> ALL(%(running)s::bigint[])
      AND CASE j.status WHEN 'queued' THEN j.run_after <= now() ELSE j.lease_expires_at < now() END
    ORDER BY j.chunk_no, j.id
    LIMIT %(limit)s + %(spare)s
),
sessions AS (
    SELECT s.id
    FROM upload_sessions AS s
    WHERE s.id = ANY(ARRAY(SELECT DISTINCT session_id FROM candidates))
    ORDER BY s.id
    FOR NO KEY UPDATE SKIP LOCKED
),
picked AS (
    SELECT c.id, c.session_id
    FROM candidates AS c
    JOIN sessions AS s ON s.id = c.session_id
    ORDER BY c.chunk_no, c.id
    LIMIT %(limit)s
),
pending AS (
    -- Per job, an index range scan of its films (LATERAL: never a scan of every pending film).
    SELECT p.id AS job_id, p.session_id, j.fresh_lookups, f.film_no, f.name, f.year, f.title_key,
           f.match_rule IS NOT DISTINCT FROM 'manual' AS manual, f.manual_tmdb_id,
           i.letterboxd_uri IS NOT NULL AS remembered, i.tmdb_id AS remembered_tmdb_id,
           f.source_tmdb_id, f.imdb_id
    FROM picked AS p
    JOIN enrichment_jobs AS j ON j.id = p.id
    CROSS JOIN LATERAL (
        SELECT f.film_no, f.name, f.year, f.title_key, f.match_rule, f.manual_tmdb_id, f.letterboxd_uri,
               f.source_tmdb_id, f.imdb_id
        FROM films AS f
        WHERE f.session_id = j.session_id AND f.film_no BETWEEN j.first_film AND j.last_film
          AND f.status = 'pending'
    ) AS f
    LEFT JOIN film_identities AS i ON i.letterboxd_uri = f.letterboxd_uri
),
answers AS (
    -- A person's choice, else the export's TMDB id, else its IMDb id, else its title: the first
    -- the film has decides how it is matched.
    SELECT p.job_id, p.film_no, true AS chosen,
           CASE WHEN p.manual THEN p.manual_tmdb_id
                WHEN p.remembered THEN p.remembered_tmdb_id ELSE p.source_tmdb_id END AS tmdb_id,
           CASE WHEN p.manual THEN 'manual' WHEN p.remembered THEN 'letterboxd_uri' ELSE 'tmdb_id' END
               AS match_rule,
           0 AS alternatives, NULL::jsonb AS candidates
    FROM pending AS p
    WHERE p.manual OR p.remembered OR p.source_tmdb_id IS NOT NULL
    UNION ALL
    SELECT p.job_id, p.film_no, true, x.tmdb_id, 'imdb_id', 0, NULL::jsonb
    FROM pending AS p
    JOIN tmdb_imdb_ids AS x ON x.imdb_id = p.imdb_id AND x.expires_at > now()
    WHERE NOT p.manual AND NOT p.remembered AND p.source_tmdb_id IS NULL
      AND (x.tmdb_id IS NOT NULL OR NOT p.fresh_lookups)
    UNION ALL
    SELECT p.job_id, p.film_no, false, s.tmdb_id, s.match_rule, s.alternatives, s.candidates
    FROM pending AS p
    JOIN tmdb_searches AS s ON s.title_key = p.title_key AND s.year = coalesce(p.year, 0)
    WHERE NOT p.manual AND NOT p.remembered AND p.source_tmdb_id IS NULL AND p.imdb_id IS NULL
      AND s.matcher_version = %(matcher_version)s
      AND s.expires_at > now()
      AND (s.tmdb_id IS NOT NULL OR NOT p.fresh_lookups)
),
hits AS (
    SELECT a.*
    FROM answers AS a
    WHERE a.tmdb_id IS NULL OR EXISTS (
              SELECT FROM tmdb_movies AS m
              WHERE m.tmdb_id = a.tmdb_id AND m.fetched_at > now() - interval '30 days')
),
left_films AS (
    SELECT p.job_id, p.film_no, p.name, p.year, p.title_key, p.imdb_id,
           CASE WHEN p.manual THEN 'manual' WHEN p.remembered THEN 'letterboxd_uri'
                WHEN p.source_tmdb_id IS NOT NULL THEN 'tmdb_id'
                WHEN a.chosen THEN 'imdb_id' END AS chosen_by,
           CASE WHEN p.manual THEN p.manual_tmdb_id WHEN p.remembered THEN p.remembered_tmdb_id
                WHEN p.source_tmdb_id IS NOT NULL THEN p.source_tmdb_id
                WHEN a.chosen THEN a.tmdb_id END AS chosen_tmdb_id,
           CASE WHEN NOT a.chosen THEN jsonb_build_object(
                    'tmdb_id', a.tmdb_id, 'match_rule', a.match_rule, 'alternatives', a.alternatives,
                    'candidates', a.candidates) END AS answer,
           CASE WHEN a.tmdb_id IS NOT NULL THEN 'movie:' || a.tmdb_id
                WHEN p.manual OR p.remembered THEN NULL
                WHEN p.source_tmdb_id IS NOT NULL THEN 'movie:' || p.source_tmdb_id
                WHEN p.imdb_id IS NOT NULL THEN 'find:' || p.imdb_id
                WHEN p.title_key IS NOT NULL THEN 'search:' || p.title_key || '|' || coalesce(p.year, 0)
           END AS fetch_key
    FROM pending AS p
    LEFT JOIN answers AS a ON a.job_id = p.job_id AND a.film_no = p.film_no
    WHERE NOT EXISTS (SELECT FROM hits AS h WHERE h.job_id = p.job_id AND h.film_no = p.film_no)
),
claimed AS (
    UPDATE enrichment_jobs AS j
    SET status = CASE WHEN p.busy THEN 'running' ELSE 'succeeded' END,
        locked_by = CASE WHEN p.busy THEN %(worker_id)s::uuid END,
        lease_expires_at = CASE WHEN p.busy THEN now() + make_interval(secs => %(lease_seconds)s) END,
        finished_at = CASE WHEN p.busy THEN NULL ELSE now() END,
        attempts = j.attempts + 1, claimed_at = clock_timestamp(), updated_at = now(), last_error = NULL
    FROM (SELECT picked.id, EXISTS (SELECT FROM left_films AS l WHERE l.job_id = picked.id) AS busy
          FROM picked) AS p
    WHERE j.id = p.id
      AND j.status IN ('queued', 'running')
      AND CASE j.status WHEN 'queued' THEN j.run_after <= now() ELSE j.lease_expires_at < now() END
    RETURNING j.id, j.session_id, j.chunk_no, j.first_film, j.last_film, j.attempts, j.max_attempts,
              j.fresh_lookups, j.status
),
changed AS (
    UPDATE films AS f
    SET status = CASE WHEN h.tmdb_id IS NULL THEN 'not_found' ELSE 'matched' END,
        tmdb_id = h.tmdb_id, match_rule = h.match_rule, alternatives = h.alternatives,
        candidates = coalesce(h.candidates, f.candidates), error = NULL, enriched_at = now()
    FROM hits AS h
    JOIN claimed AS c ON c.id = h.job_id
    WHERE f.session_id = c.session_id AND f.film_no = h.film_no AND f.status = 'pending'
    RETURNING f.session_id, f.status
),
session_changes AS (
    SELECT c.session_id,
           (SELECT count(*) FROM changed AS x WHERE x.session_id = c.session_id AND x.status = 'matched')
               AS matched,
           (SELECT count(*) FROM changed AS x WHERE x.session_id = c.session_id AND x.status = 'not_found')
               AS not_found,
           bool_or(c.status = 'succeeded')
           AND NOT EXISTS (SELECT FROM enrichment_jobs AS j
                           WHERE j.session_id = c.session_id AND j.status IN ('queued', 'running')
                             AND j.id NOT IN (SELECT id FROM claimed WHERE status = 'succeeded'))
               AS completes
    FROM claimed AS c
    GROUP BY c.session_id
),
sessions_updated AS (
    UPDATE upload_sessions AS s
    SET films_matched = s.films_matched + d.matched,
        films_not_found = s.films_not_found + d.not_found,
        status = CASE WHEN NOT (d.completes AND s.status = 'enriching') THEN s.status
                      WHEN s.films_matched + d.matched + s.films_not_found + d.not_found = 0
                           AND s.films_failed > 0 THEN 'failed'
                      ELSE 'completed' END,
        error = CASE WHEN d.completes AND s.status = 'enriching'
                          AND s.films_matched + d.matched + s.films_not_found + d.not_found = 0
                          AND s.films_failed > 0
                     THEN 'None of the films could be enriched: '
                          || coalesce((SELECT j.last_error FROM enrichment_jobs AS j
                                       WHERE j.session_id = s.id AND j.status = 'failed'
                                       ORDER BY j.finished_at DESC LIMIT 1), 'enrichment failed')
                     ELSE s.error END,
        finished_at = CASE WHEN d.completes AND s.status = 'enriching' THEN now() ELSE s.finished_at END,
        updated_at = now(),
        notified_at = CASE WHEN s.notified_at > now() - interval '250 milliseconds'
                                AND NOT (d.completes AND s.status = 'enriching')
                           THEN s.notified_at ELSE now() END
    FROM session_changes AS d
    WHERE s.id = d.session_id AND (d.matched + d.not_found > 0 OR (d.completes AND s.status = 'enriching'))
    -- A final status always tells the event streams; progress at most four times a second.
    RETURNING s.id, s.status,
              CASE WHEN s.notified_at = now() THEN pg_notify('reelstats_progress', s.id::text) END
),
firsts AS (
    SELECT DISTINCT fetch_key
    FROM (SELECT l.fetch_key
          FROM left_films AS l
          JOIN claimed AS c ON c.id = l.job_id
          WHERE l.fetch_key IS NOT NULL
          ORDER BY c.chunk_no, c.id, l.film_no
          LIMIT %(first_requests)s) AS first_left
),
fetch_claims AS (
    INSERT INTO tmdb_fetches (fetch_key, worker_id, expires_at)
    SELECT f.fetch_key, %(worker_id)s,
           greatest(now(), (SELECT next_slot_at FROM tmdb_rate_limit)) + make_interval(secs => %(claim_seconds)s)
    FROM firsts AS f
    ORDER BY f.fetch_key
    ON CONFLICT (fetch_key) DO UPDATE
    SET worker_id = excluded.worker_id, expires_at = excluded.expires_at
    WHERE tmdb_fetches.expires_at < now() OR tmdb_fetches.worker_id = excluded.worker_id
    RETURNING fetch_key
),
slots AS (
    UPDATE tmdb_rate_limit
    SET next_slot_at = greatest(next_slot_at,
                                clock_timestamp() - make_interval(secs => %(burst)s / %(rate)s),
                                paused_until)
                       + make_interval(secs => n.wanted / %(rate)s),
        updated_at = now()
    FROM (SELECT count(*)::float8 AS wanted FROM fetch_claims) AS n
    WHERE n.wanted > 0
    RETURNING extract(epoch FROM next_slot_at - make_interval(secs => n.wanted / %(rate)s))::float8 AS first_slot,
              n.wanted::integer AS reserved,
              extract(epoch FROM paused_until)::float8 AS paused_until
)
SELECT
    (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.chunk_no, c.id), '[]'::jsonb) FROM claimed AS c) AS jobs,
    (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'job_id', l.job_id, 'film_no', l.film_no, 'name', l.name, 'year', l.year,
                'title_key', l.title_key, 'imdb_id', l.imdb_id, 'chosen_by', l.chosen_by,
                'chosen_tmdb_id', l.chosen_tmdb_id,
                'answer', l.answer,
                'claim', CASE WHEN l.fetch_key IN (SELECT fetch_key FROM fetch_claims) THEN 'own'
                              WHEN l.fetch_key IN (SELECT fetch_key FROM firsts) THEN 'other' END)
                ORDER BY l.job_id, l.film_no), '[]'::jsonb)
     FROM left_films AS l
     WHERE l.job_id IN (SELECT id FROM claimed WHERE status = 'running')) AS films,
    (SELECT coalesce(jsonb_object_agg(u.id, u.status), '{}'::jsonb)
     FROM sessions_updated AS u WHERE u.status <> 'enriching') AS finished_sessions,
    (SELECT count(*) FROM changed) AS from_cache,
    (SELECT first_slot FROM slots) AS first_slot,
    (SELECT reserved FROM slots) AS reserved,
    (SELECT paused_until FROM slots) AS paused_until,
    extract(epoch FROM clock_timestamp())::float8 AS database_now,
    EXISTS (SELECT FROM tmdb_rejected_credentials AS r
            WHERE r.fingerprint = %(fingerprint)s AND r.rejected_at > now() - interval '1 hour') AS rejected,
    (SELECT count(*) FROM candidates) > (SELECT count(*) FROM claimed) AS more,
    (SELECT extract(epoch FROM min(j.run_after))::float8
     FROM enrichment_jobs AS j WHERE j.status = 'queued' AND j.run_after > now()) AS next_run_after
