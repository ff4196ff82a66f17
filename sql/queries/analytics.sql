-- name: session_analytics
-- Every statistic of one session as one JSON object (see README, "Analytics" for each field).
-- Films merge on (Name, Year); watches are diary entries (without a diary: the films); a film's
-- rating is its ratings.csv rating, else its latest diary rating. Rankings order by count
-- descending, then name ascending (C collation); series by key ascending.
WITH
session AS (
    SELECT id, status FROM upload_sessions WHERE id = %(session_id)s
),
film AS (
    SELECT * FROM films WHERE session_id = %(session_id)s
),
matched AS (
    SELECT f.film_no, f.year, m.runtime, m.genres, m.directors, m.cast_members, m.countries,
           m.languages, m.original_language
    FROM film AS f
    JOIN tmdb_movies AS m ON m.tmdb_id = f.tmdb_id
    WHERE f.status = 'matched'
),
diary AS (
    SELECT * FROM diary_entries WHERE session_id = %(session_id)s
),
latest_diary_rating AS (
    SELECT DISTINCT ON (film_no) film_no, rating
    FROM diary
    WHERE rating IS NOT NULL
    ORDER BY film_no, coalesce(watched_on, logged_on) DESC NULLS LAST, entry_no DESC
),
rated AS (
    SELECT f.film_no, f.year, coalesce(f.rating, d.rating) AS rating
    FROM film AS f
    LEFT JOIN latest_diary_rating AS d USING (film_no)
    WHERE coalesce(f.rating, d.rating) IS NOT NULL
),
watch AS (
    -- One row per watch and its day: diary entries, or the films when there is no diary.
    SELECT film_no, coalesce(watched_on, logged_on) AS day FROM diary
    UNION ALL
    SELECT film_no, watched_on FROM film WHERE NOT EXISTS (SELECT FROM diary)
),
watch_month AS (
    SELECT to_char(day, 'YYYY-MM') AS month, count(*) AS n FROM watch WHERE day IS NOT NULL GROUP BY 1
),
watch_day AS (
    SELECT DISTINCT day FROM watch WHERE day IS NOT NULL
),
streak AS (
    SELECT min(day) AS first_day, max(day) AS last_day, count(*) AS days
    FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS island FROM watch_day) AS w
    GROUP BY island
),
director_hours AS (
    SELECT name, sum(m.runtime) / 60.0 AS hours, count(DISTINCT m.film_no) AS films
    FROM watch AS w
    JOIN matched AS m USING (film_no)
    CROSS JOIN LATERAL unnest(m.directors) AS name
    WHERE m.runtime IS NOT NULL
    GROUP BY name
)
SELECT jsonb_build_object(
    'session_id', s.id,
    'status', s.status,
    'complete', s.status <> 'enriching',
    'films', (SELECT count(*) FROM film),
    'unmatched', (SELECT count(*) FROM film WHERE status IN ('not_found', 'failed')),
    'watchlist', (SELECT count(*) FROM watchlist_entries AS w
                  WHERE w.session_id = s.id
                    AND NOT EXISTS (SELECT FROM film AS f
                                    WHERE f.name = w.name AND f.year IS NOT DISTINCT FROM w.year)),
    'watches', (SELECT count(*) FROM watch),
    'rated', (SELECT count(*) FROM rated),
    'average_rating', (SELECT round(avg(rating), 2) FROM rated),
    'total_runtime_minutes', (SELECT coalesce(sum(runtime), 0) FROM matched),
    'rewatches', (SELECT count(*) FROM diary WHERE rewatch),
    'genres', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n)
                                         ORDER BY n DESC, name COLLATE "C"), '[]')
               FROM (SELECT name, count(*) AS n FROM matched, unnest(genres) AS name GROUP BY name) AS r),
    'top_directors', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n)
                                                ORDER BY n DESC, name COLLATE "C"), '[]')
                      FROM (SELECT name, count(*) AS n FROM matched, unnest(directors) AS name
                            GROUP BY name ORDER BY n DESC, name COLLATE "C" LIMIT %(top)s) AS r),
    'top_actors', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n)
                                             ORDER BY n DESC, name COLLATE "C"), '[]')
                   FROM (SELECT name, count(*) AS n FROM matched, unnest(cast_members) AS name
                         GROUP BY name ORDER BY n DESC, name COLLATE "C" LIMIT %(top)s) AS r),
    'countries', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n)
                                            ORDER BY n DESC, name COLLATE "C"), '[]')
                  FROM (SELECT name, count(*) AS n FROM matched, unnest(countries) AS name GROUP BY name) AS r),
    'languages', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n)
                                            ORDER BY n DESC, name COLLATE "C"), '[]')
                  FROM (SELECT name, count(*) AS n FROM matched, unnest(languages) AS name GROUP BY name) AS r),
    'original_languages', (SELECT coalesce(jsonb_agg(jsonb_build_object('code', code, 'count', n)
                                                     ORDER BY n DESC, code COLLATE "C"), '[]')
                           FROM (SELECT original_language AS code, count(*) AS n FROM matched
                                 WHERE original_language IS NOT NULL GROUP BY 1) AS r),
    'ratings', (SELECT jsonb_agg(jsonb_build_object('rating', step / 2.0, 'count',
                                                    (SELECT count(*) FROM rated WHERE rating = step / 2.0))
                                 ORDER BY step)
                FROM generate_series(1, 10) AS step),
    'decades', (SELECT coalesce(jsonb_agg(jsonb_build_object('decade', decade, 'count', n) ORDER BY decade), '[]')
                FROM (SELECT year / 10 * 10 AS decade, count(*) AS n FROM matched
                      WHERE year IS NOT NULL GROUP BY 1) AS r),
    'release_years', (SELECT coalesce(jsonb_agg(jsonb_build_object('year', year, 'count', n) ORDER BY year), '[]')
                      FROM (SELECT year, count(*) AS n FROM matched WHERE year IS NOT NULL GROUP BY 1) AS r),
    'watches_by_month', (SELECT coalesce(jsonb_agg(jsonb_build_object('month', month, 'count', n)
                                                   ORDER BY month), '[]')
                         FROM watch_month),
    'busiest_month', (SELECT jsonb_build_object('month', month, 'count', n)
                      FROM watch_month ORDER BY n DESC, month LIMIT 1),
    'longest_streak', (SELECT jsonb_build_object('days', days, 'start', first_day, 'end', last_day)
                       FROM streak ORDER BY days DESC, first_day LIMIT 1),
    'average_rating_by_genre', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'average', round(average, 2), 'count', n)
                                  ORDER BY average DESC, name COLLATE "C"), '[]')
        FROM (SELECT genre AS name, avg(r.rating) AS average, count(*) AS n
              FROM rated AS r JOIN matched AS m USING (film_no)
              CROSS JOIN LATERAL unnest(m.genres) AS genre
              GROUP BY genre) AS g),
    'average_rating_by_decade', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('decade', decade, 'average', round(average, 2), 'count', n)
                                  ORDER BY decade), '[]')
        FROM (SELECT year / 10 * 10 AS decade, avg(rating) AS average, count(*) AS n
              FROM rated WHERE year IS NOT NULL GROUP BY 1) AS d),
    'top_directors_by_hours', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'hours', round(hours, 1), 'count', films)
                                  ORDER BY hours DESC, name COLLATE "C"), '[]')
        FROM (SELECT * FROM director_hours ORDER BY hours DESC, name COLLATE "C" LIMIT %(top)s) AS h)
) AS analytics
FROM session AS s

-- name: list_films
-- One page of a session's films in export order, after the film number %(after)s, optionally of
-- one status, with what TMDB says about the matched ones. One row more than the page tells
-- whether another page follows.
SELECT f.film_no, f.name, f.year, f.status, f.tmdb_id, f.match_rule, f.error, f.alternatives,
       m.title, m.original_title, m.original_language, m.release_date::text AS release_date,
       m.runtime, m.genres, m.directors, m.countries
FROM films AS f
LEFT JOIN tmdb_movies AS m ON m.tmdb_id = f.tmdb_id
WHERE f.session_id = %(session_id)s
  AND f.film_no > %(after)s
  AND (%(status)s::text IS NULL OR f.status = %(status)s::text)
ORDER BY f.film_no
LIMIT %(limit)s + 1

-- name: session_exists
-- Whether a session exists (distinguishes an empty page from an unknown session).
SELECT status FROM upload_sessions WHERE id = %(session_id)s
