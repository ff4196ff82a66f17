-- name: get_film
-- One film of a session with what TMDB says about it and the candidates its search found.
SELECT f.film_no, f.name, f.year, f.status, f.tmdb_id, f.match_rule, f.error, f.alternatives,
       coalesce(f.candidates, '[]'::jsonb) AS candidates, f.letterboxd_uri, f.rating,
       m.title, m.original_title, m.original_language, m.release_date::text AS release_date,
       m.runtime, m.genres, m.directors, m.cast_members, m.countries, m.languages
FROM films AS f
LEFT JOIN tmdb_movies AS m ON m.tmdb_id = f.tmdb_id
WHERE f.session_id = %(session_id)s AND f.film_no = %(film_no)s

-- name: lock_session_for_match
-- A manual match changes the session's counters: the session row is locked first (then the
-- film), the order every writer of a session keeps.
SELECT status FROM upload_sessions WHERE id = %(session_id)s FOR UPDATE

-- name: choose_film_match
-- The person chose a TMDB id: the film waits (pending, match_rule manual) for a worker to fetch
-- the details, in a job of its own; the session is enriching again and the workers are woken by
-- one NOTIFY, delivered with the commit. The API never asks TMDB. Returns nothing for no film.
WITH previous AS (
    SELECT film_no, status FROM films
    WHERE session_id = %(session_id)s AND film_no = %(film_no)s
    FOR UPDATE
),
chosen AS (
    UPDATE films AS f
    SET status = 'pending', tmdb_id = NULL, match_rule = 'manual', manual_tmdb_id = %(tmdb_id)s,
        alternatives = 0, error = NULL, enriched_at = NULL
    FROM previous AS p
    WHERE f.session_id = %(session_id)s AND f.film_no = p.film_no
    RETURNING f.film_no
),
queued AS (
    INSERT INTO enrichment_jobs (session_id, chunk_no, first_film, last_film, kind)
    SELECT %(session_id)s, 0, film_no, film_no, 'film' FROM chosen
    RETURNING id
),
reopened AS (
    UPDATE upload_sessions AS s
    SET status = 'enriching', error = NULL, finished_at = NULL, updated_at = now(),
        films_matched = s.films_matched - (SELECT count(*) FROM previous WHERE status = 'matched'),
        films_not_found = s.films_not_found - (SELECT count(*) FROM previous WHERE status = 'not_found'),
        films_failed = s.films_failed - (SELECT count(*) FROM previous WHERE status = 'failed')
    WHERE s.id = %(session_id)s AND EXISTS (SELECT FROM chosen)
    RETURNING s.id
)
SELECT (SELECT id FROM queued) AS job_id,
       pg_notify(reelstats_jobs_channel(%(session_id)s, 1), %(session_id)s::text || ' 1') AS notified
FROM chosen

-- name: choose_not_on_tmdb
-- The person said the film is not on TMDB: not_found at once (no job), remembered for the film's
-- Letterboxd URI, counted, and one progress NOTIFY for the session's event streams.
WITH previous AS (
    SELECT film_no, status, letterboxd_uri FROM films
    WHERE session_id = %(session_id)s AND film_no = %(film_no)s
    FOR UPDATE
),
changed AS (
    UPDATE films AS f
    SET status = 'not_found', tmdb_id = NULL, match_rule = 'manual', manual_tmdb_id = NULL,
        alternatives = 0, error = NULL, enriched_at = now()
    FROM previous AS p
    WHERE f.session_id = %(session_id)s AND f.film_no = p.film_no
    RETURNING f.film_no
),
remembered AS (
    INSERT INTO film_identities (letterboxd_uri, tmdb_id, session_id)
    SELECT letterboxd_uri, NULL, %(session_id)s FROM previous WHERE letterboxd_uri IS NOT NULL
    ON CONFLICT (letterboxd_uri) DO UPDATE
    SET tmdb_id = NULL, chosen_at = now(), session_id = excluded.session_id
),
counted AS (
    UPDATE upload_sessions AS s
    SET films_matched = s.films_matched - (SELECT count(*) FROM previous WHERE status = 'matched'),
        films_not_found = s.films_not_found + 1
                          - (SELECT count(*) FROM previous WHERE status = 'not_found'),
        films_failed = s.films_failed - (SELECT count(*) FROM previous WHERE status = 'failed'),
        updated_at = now()
    WHERE s.id = %(session_id)s AND EXISTS (SELECT FROM changed)
    RETURNING s.id
)
SELECT film_no, pg_notify('reelstats_progress', %(session_id)s::text) AS notified
FROM changed
