-- name: count_session_watches
-- Count a session's watches once and keep the counts: per film in all (year -1, with the film's
-- latest diary rating: latest watched date, then latest row, undated entries last) and per year
-- (0: undated), and per day with the film of each of its watches in export order. An upload's
-- watches never change (retries and manual matches change films' matches, not watches), so this
-- runs in full only for the first analytics or film-list request of a session; later it finds the
-- counts and does nothing. Two first requests at once count alike;
-- the second waits for the first one's rows (both insert in key order) and keeps those. Watches
-- are diary entries (without a diary: the films, dated by watched.csv), dated by the watched
-- date, else the logged date.
WITH
kept AS (
    SELECT EXISTS (SELECT FROM tally_film_years WHERE session_id = %(session_id)s) AS yes
),
watch AS (
    SELECT d.film_no, d.entry_no, coalesce(d.watched_on, d.logged_on) AS day, d.rewatch, d.rating
    FROM diary_entries AS d
    WHERE d.session_id = %(session_id)s AND NOT (SELECT yes FROM kept)
    UNION ALL
    SELECT f.film_no, f.film_no, f.watched_on, false, NULL
    FROM films AS f
    WHERE f.session_id = %(session_id)s AND NOT (SELECT yes FROM kept)
      AND NOT EXISTS (SELECT FROM diary_entries WHERE session_id = %(session_id)s)
),
counted AS MATERIALIZED (
    SELECT film_no, CASE WHEN grouping(year) = 0 THEN year ELSE -1 END AS year, day,
           grouping(film_no) AS by_day, count(*) AS watches, count(*) FILTER (WHERE rewatch) AS rewatches,
           max(day) AS last_watched,
           CASE WHEN grouping(year) = 1
                THEN (array_agg(rating ORDER BY day DESC NULLS LAST, entry_no DESC)
                          FILTER (WHERE rating IS NOT NULL))[1] END AS latest_rating,
           CASE WHEN grouping(film_no) = 1 THEN array_agg(film_no ORDER BY entry_no) END AS films
    FROM (SELECT *, coalesce(date_part('year', day)::integer, 0) AS year FROM watch) AS w
    GROUP BY GROUPING SETS ((film_no), (film_no, year), (day))
),
film_years AS (
    INSERT INTO tally_film_years (session_id, year, film_no, watches, rewatches, latest_rating, last_watched)
    SELECT %(session_id)s, year, film_no, watches, rewatches, latest_rating, last_watched
    FROM counted WHERE by_day = 0
    ORDER BY year, film_no  -- in key order, as a concurrent first request: it waits, never deadlocks
    ON CONFLICT DO NOTHING
    RETURNING 1
),
days AS (
    INSERT INTO tally_days (session_id, day, watches, films)
    SELECT %(session_id)s, day, watches, films FROM counted WHERE by_day = 1 AND day IS NOT NULL
    ORDER BY day
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM film_years) AS film_years, (SELECT count(*) FROM days) AS days

-- name: prefer_hash_joins
-- For the rest of the transaction (SET LOCAL): no nested-loop joins unless a join is written as
-- a lookup (LATERAL or a subquery). A session's rows are too few or too many for the statistics
-- of tables shared by all sessions to tell, and a nested loop planned for ten rows that meets
-- thousands costs seconds; hash joins cost milliseconds either way.
SELECT set_config('enable_nestloop', 'off', true)

-- name: session_analytics
-- Every statistic of one session as one JSON object, all time (%(year)s null) or for one year
-- (%(year)s, its first and last day %(first)s and %(last)s); see README, "Analytics", for each field.
-- Films merge on (Name, Year); a film's rating is its ratings.csv rating, else its latest diary
-- rating. In a year: the watches dated in it, and the films watched in it. Rankings order by
-- count descending, then name ascending (C collation); series by key ascending.
-- Watches are read as counted by count_session_watches (which runs first, in the same
-- transaction); everything else is computed from the session's films on every request, so
-- matching changes show at once. What the upload cannot tell is null, not zero (README,
-- "Analytics"): rewatches without a watch history, ratings without a file that holds them, the
-- watchlist without a watchlist file.
WITH
session AS (
    SELECT id, status,
           -- A history that can hold a film twice: Letterboxd's diary, Trakt's plays, Netflix's days.
           source = 'netflix'
               OR (source = 'letterboxd' AND files @> '[{"kind": "diary"}]')
               OR (source = 'trakt' AND files @> '[{"kind": "history"}]') AS has_history,
           -- Ratings: Letterboxd's ratings.csv or diary, IMDb's ratings, Trakt's ratings-movies.json.
           (source = 'letterboxd' AND (files @> '[{"kind": "ratings"}]' OR files @> '[{"kind": "diary"}]'))
               OR (source IN ('imdb', 'trakt') AND files @> '[{"kind": "ratings"}]') AS has_ratings,
           (source IN ('letterboxd', 'trakt') AND files @> '[{"kind": "watchlist"}]')
               OR (source = 'imdb' AND files @> '[{"kind": "list"}]') AS has_watchlist
    FROM upload_sessions WHERE id = %(session_id)s
),
film_watches AS (
    -- The watches of each film in view: all of them (year -1), or the year's.
    SELECT film_no, watches AS n, rewatches
    FROM tally_film_years
    WHERE session_id = %(session_id)s AND year = coalesce(%(year)s::integer, -1)
),
day_watches AS (
    SELECT day, watches AS n, films
    FROM tally_days
    WHERE session_id = %(session_id)s
      AND (%(year)s::integer IS NULL OR day BETWEEN %(first)s::date AND %(last)s::date)
),
tmdb AS (
    -- The TMDB details of the session's matched films: one index scan of the cache shared by all
    -- sessions for the whole list of ids, not a lookup per film nor a scan of the whole cache.
    SELECT * FROM tmdb_movies
    WHERE tmdb_id = ANY (ARRAY(SELECT tmdb_id FROM films
                               WHERE session_id = %(session_id)s AND status = 'matched'))
),
all_film AS (
    -- Every film of the session (title: the export's Name) with its rating and TMDB details;
    -- release_year is the export's Year, else (Netflix gives none) the matched film's.
    SELECT f.film_no, f.name AS title, f.year, f.status, coalesce(f.rating, r.latest_rating) AS rating,
           coalesce(f.year, date_part('year', m.release_date)::integer) AS release_year,
           m.tmdb_id IS NOT NULL AS matched, m.runtime, m.genres, m.directors, m.cast_members,
           m.countries, m.languages, m.original_language, m.vote_average
    FROM films AS f
    LEFT JOIN tally_film_years AS r ON r.session_id = f.session_id AND r.year = -1 AND r.film_no = f.film_no
    LEFT JOIN tmdb AS m ON m.tmdb_id = f.tmdb_id AND f.status = 'matched'
    WHERE f.session_id = %(session_id)s
),
film AS (
    -- The films in view: all of them, or those watched in the year.
    SELECT a.*, (a.rating * 2)::integer AS halves, coalesce(w.n, 0) AS watches,
           coalesce(w.rewatches, 0) AS rewatches
    FROM all_film AS a
    LEFT JOIN film_watches AS w USING (film_no)
    WHERE %(year)s::integer IS NULL OR w.n > 0
),
totals AS (
    SELECT count(*) AS films, count(*) FILTER (WHERE status IN ('not_found', 'failed')) AS unmatched,
           coalesce(sum(watches), 0) AS watches, coalesce(sum(rewatches), 0) AS rewatches,
           count(rating) AS rated, round(avg(rating), 2) AS average_rating,
           coalesce(sum(runtime) FILTER (WHERE matched), 0) AS minutes
    FROM film
),
matched AS NOT MATERIALIZED (
    SELECT * FROM film WHERE matched
),
rated AS NOT MATERIALIZED (
    SELECT * FROM film WHERE rating IS NOT NULL
),
genre AS (
    -- Per genre, director and actor of the matched films: films, rated films and their ratings in
    -- half stars (integer sums keep averages exact); for directors also the runtime of all the
    -- watches of their films.
    SELECT name, count(*) AS films, count(halves) AS rated, sum(halves) AS halves
    FROM (SELECT unnest(genres) AS name, halves FROM matched) AS g
    GROUP BY name
),
director AS (
    SELECT name, count(*) AS films, count(halves) AS rated, sum(halves) AS halves,
           sum(runtime * watches) AS minutes, count(*) FILTER (WHERE runtime * watches > 0) AS timed
    FROM (SELECT unnest(directors) AS name, halves, runtime, watches FROM matched) AS d
    GROUP BY name
),
actor AS (
    SELECT name, count(*) AS films, count(halves) AS rated, sum(halves) AS halves
    FROM (SELECT unnest(cast_members) AS name, halves FROM matched) AS a
    GROUP BY name
),
watch_month AS (
    SELECT to_char(day, 'YYYY-MM') AS month, sum(n) AS n FROM day_watches GROUP BY 1
),
streak AS (
    SELECT min(day) AS first_day, max(day) AS last_day, count(*) AS days
    FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS island FROM day_watches) AS w
    GROUP BY island
),
cumulative AS (
    SELECT day, n, films, sum(n) OVER (ORDER BY day) AS upto FROM day_watches
),
milestone AS (
    -- The 1st, 50th, 100th, 250th, 500th and every 1000th dated watch: the day it falls on, and
    -- the film of its place among that day's watches, which are kept in export order.
    SELECT m.n, c.day, c.films[(m.n - (c.upto - c.n))::integer] AS film_no
    FROM cumulative AS c
    CROSS JOIN LATERAL (
        SELECT n FROM unnest('{1,50,100,250,500}'::integer[]) AS n
        WHERE n > c.upto - c.n AND n <= c.upto
        UNION ALL
        SELECT generate_series(((c.upto - c.n)::integer / 1000 + 1) * 1000, c.upto::integer, 1000)
    ) AS m
),
versus AS (
    -- Rated matched films against TMDB's vote average (0-10, halved to stars; 0 means no votes), in
    -- hundredths of a star so that the arithmetic stays in integers.
    SELECT title AS name, year, rating, tmdb, halves * 50 - tmdb AS difference
    FROM (SELECT title, year, rating, halves, round(vote_average * 50)::integer AS tmdb
          FROM matched WHERE halves IS NOT NULL AND vote_average > 0) AS v
),
year_row AS (
    -- Per year with watches (all time: every year; a year view: that year and, if it has watches,
    -- the one before), its films, watches, ratings and runtime, as that year's view counts them.
    SELECT y.year, count(*) AS films, sum(y.watches) AS watches, count(a.rating) AS rated,
           round(avg(a.rating), 2) AS average_rating, coalesce(sum(a.runtime), 0) AS minutes
    FROM tally_film_years AS y
    JOIN all_film AS a USING (film_no)
    WHERE y.session_id = %(session_id)s AND y.year > 0
      AND (%(year)s::integer IS NULL
           OR y.year = %(year)s::integer
           OR (y.year = %(year)s::integer - 1 AND EXISTS (SELECT FROM film_watches)))
    GROUP BY y.year
)
SELECT jsonb_build_object(
    'session_id', s.id,
    'status', s.status,
    'complete', s.status <> 'enriching',
    'year', %(year)s::integer,
    'films', t.films,
    'unmatched', t.unmatched,
    'watchlist', CASE WHEN s.has_watchlist THEN (SELECT count(*) FROM watchlist_entries AS w
                  WHERE w.session_id = s.id
                    AND (%(year)s::integer IS NULL OR w.added_on BETWEEN %(first)s::date AND %(last)s::date)
                    AND NOT EXISTS (SELECT FROM films AS f
                                    WHERE f.session_id = s.id
                                      AND f.name = w.name AND f.year IS NOT DISTINCT FROM w.year)) END,
    'watches', t.watches,
    'rated', CASE WHEN s.has_ratings THEN t.rated END,
    'average_rating', CASE WHEN s.has_ratings THEN t.average_rating END,
    'total_runtime_minutes', t.minutes,
    'rewatches', CASE WHEN s.has_history THEN t.rewatches END,
    'first_watches', CASE WHEN s.has_history THEN t.watches - t.rewatches END,
    'genres', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', films)
                                         ORDER BY films DESC, name COLLATE "C"), '[]')
               FROM genre),
    'top_directors', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', films)
                                                ORDER BY films DESC, name COLLATE "C"), '[]')
                      FROM (SELECT name, films FROM director
                            ORDER BY films DESC, name COLLATE "C" LIMIT %(top)s) AS r),
    'top_actors', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', films)
                                             ORDER BY films DESC, name COLLATE "C"), '[]')
                   FROM (SELECT name, films FROM actor
                         ORDER BY films DESC, name COLLATE "C" LIMIT %(top)s) AS r),
    'countries', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n)
                                            ORDER BY n DESC, name COLLATE "C"), '[]')
                  FROM (SELECT name, count(*) AS n FROM (SELECT unnest(countries) AS name FROM matched) AS c
                        GROUP BY name) AS r),
    'languages', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n)
                                            ORDER BY n DESC, name COLLATE "C"), '[]')
                  FROM (SELECT name, count(*) AS n FROM (SELECT unnest(languages) AS name FROM matched) AS l
                        GROUP BY name) AS r),
    'original_languages', (SELECT coalesce(jsonb_agg(jsonb_build_object('code', code, 'count', n)
                                                     ORDER BY n DESC, code COLLATE "C"), '[]')
                           FROM (SELECT original_language AS code, count(*) AS n FROM matched
                                 WHERE original_language IS NOT NULL GROUP BY 1) AS r),
    'ratings', CASE WHEN s.has_ratings THEN (SELECT jsonb_agg(jsonb_build_object('rating', step / 2.0, 'count', coalesce(r.n, 0)) ORDER BY step)
                FROM generate_series(1, 10) AS step
                LEFT JOIN (SELECT rating, count(*) AS n FROM rated GROUP BY rating) AS r ON r.rating = step / 2.0) END,
    'decades', (SELECT coalesce(jsonb_agg(jsonb_build_object('decade', decade, 'count', n) ORDER BY decade), '[]')
                FROM (SELECT release_year / 10 * 10 AS decade, count(*) AS n FROM matched
                      WHERE release_year IS NOT NULL GROUP BY 1) AS r),
    'release_years', (SELECT coalesce(jsonb_agg(jsonb_build_object('year', release_year, 'count', n)
                                                ORDER BY release_year), '[]')
                      FROM (SELECT release_year, count(*) AS n FROM matched
                            WHERE release_year IS NOT NULL GROUP BY 1) AS r),
    'watches_by_month', (SELECT coalesce(jsonb_agg(jsonb_build_object('month', month, 'count', n)
                                                   ORDER BY month), '[]')
                         FROM watch_month),
    'busiest_month', (SELECT jsonb_build_object('month', month, 'count', n)
                      FROM watch_month ORDER BY n DESC, month LIMIT 1),
    'longest_streak', (SELECT jsonb_build_object('days', days, 'start', first_day, 'end', last_day)
                       FROM streak ORDER BY days DESC, first_day LIMIT 1),
    'average_rating_by_genre', CASE WHEN s.has_ratings THEN (
        SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'average', round(halves / (2.0 * rated), 2),
                                                     'count', rated)
                                  ORDER BY halves / (2.0 * rated) DESC, name COLLATE "C"), '[]')
        FROM genre WHERE rated > 0) END,
    'average_rating_by_decade', CASE WHEN s.has_ratings THEN (
        SELECT coalesce(jsonb_agg(jsonb_build_object('decade', decade, 'average', round(average, 2), 'count', n)
                                  ORDER BY decade), '[]')
        FROM (SELECT release_year / 10 * 10 AS decade, avg(rating) AS average, count(*) AS n
              FROM rated WHERE release_year IS NOT NULL GROUP BY 1) AS d) END,
    'top_directors_by_hours', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'hours', round(minutes / 60.0, 1), 'count', timed)
                                  ORDER BY minutes DESC, name COLLATE "C"), '[]')
        FROM (SELECT name, minutes, timed FROM director WHERE minutes > 0
              ORDER BY minutes DESC, name COLLATE "C" LIMIT %(top)s) AS h)
) || jsonb_build_object(
    'years', (SELECT coalesce(jsonb_agg(jsonb_build_object('year', year, 'count', n) ORDER BY year), '[]')
              FROM (SELECT date_part('year', day)::integer AS year, sum(n) AS n FROM day_watches GROUP BY 1) AS y),
    'watches_by_weekday', (
        SELECT jsonb_agg(jsonb_build_object('weekday', wd, 'count', coalesce(n, 0)) ORDER BY wd)
        FROM generate_series(1, 7) AS wd
        LEFT JOIN (SELECT date_part('isodow', day)::integer AS weekday, sum(n) AS n
                   FROM day_watches GROUP BY 1) AS w ON w.weekday = wd),
    'multi_film_days', (SELECT count(*) FROM day_watches WHERE n >= 2),
    'milestones', (SELECT coalesce(jsonb_agg(jsonb_build_object('n', m.n, 'date', m.day, 'name', f.name,
                                                                'year', f.year) ORDER BY m.n), '[]')
                   FROM milestone AS m
                   JOIN films AS f ON f.session_id = s.id AND f.film_no = m.film_no),
    'most_rewatched', CASE WHEN s.has_history THEN (
        SELECT coalesce(jsonb_agg(jsonb_build_object('name', title, 'year', year, 'count', watches)
                                  ORDER BY watches DESC, title COLLATE "C", year NULLS FIRST), '[]')
        FROM (SELECT title, year, watches FROM film WHERE watches > 1
              ORDER BY watches DESC, title COLLATE "C", year NULLS FIRST LIMIT 10) AS r) END,
    'best_rated', CASE WHEN s.has_ratings THEN (
        -- The films in view rated highest, the more watched first among equals: at most 10.
        SELECT coalesce(jsonb_agg(jsonb_build_object('name', title, 'year', year, 'rating', rating,
                                                     'count', watches)
                                  ORDER BY rating DESC, watches DESC, title COLLATE "C", year NULLS FIRST), '[]')
        FROM (SELECT title, year, rating, watches FROM rated
              ORDER BY rating DESC, watches DESC, title COLLATE "C", year NULLS FIRST LIMIT 10) AS r) END,
    -- People with at least %(min_rated)s rated films, best average first.
    'top_directors_by_rating', CASE WHEN s.has_ratings THEN (
        SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'average', round(average, 2), 'count', rated)
                                  ORDER BY average DESC, rated DESC, name COLLATE "C"), '[]')
        FROM (SELECT name, rated, halves / (2.0 * rated) AS average FROM director WHERE rated >= %(min_rated)s
              ORDER BY average DESC, rated DESC, name COLLATE "C" LIMIT %(top)s) AS p) END,
    'top_actors_by_rating', CASE WHEN s.has_ratings THEN (
        SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'average', round(average, 2), 'count', rated)
                                  ORDER BY average DESC, rated DESC, name COLLATE "C"), '[]')
        FROM (SELECT name, rated, halves / (2.0 * rated) AS average FROM actor WHERE rated >= %(min_rated)s
              ORDER BY average DESC, rated DESC, name COLLATE "C" LIMIT %(top)s) AS p) END,
    'versus_tmdb', CASE WHEN s.has_ratings THEN (
        SELECT jsonb_build_object(
            'compared', count(*),
            'higher', count(*) FILTER (WHERE difference >= 25),
            'lower', count(*) FILTER (WHERE difference <= -25),
            'same', count(*) FILTER (WHERE abs(difference) < 25),
            'average_difference', round(avg(difference) / 100, 2),
            'biggest_disagreements', (
                SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'year', year, 'rating', rating,
                                                             'tmdb_rating', tmdb / 100.0,
                                                             'difference', difference / 100.0)
                                          ORDER BY abs(difference) DESC, name COLLATE "C", year NULLS FIRST), '[]')
                FROM (SELECT * FROM versus
                      ORDER BY abs(difference) DESC, name COLLATE "C", year NULLS FIRST LIMIT 10) AS v))
        FROM versus) END,
    'runtime_spread', (
        SELECT jsonb_agg(jsonb_build_object('bucket', b.bucket, 'min_minutes', b.low, 'max_minutes', b.high,
                                            'count', coalesce(r.n, 0)) ORDER BY b.low)
        FROM (VALUES ('short', 1, %(short_max)s::integer),
                     ('feature', %(short_max)s::integer + 1, %(long_min)s::integer - 1),
                     ('long', %(long_min)s::integer, NULL)) AS b (bucket, low, high)
        LEFT JOIN (SELECT CASE WHEN runtime <= %(short_max)s::integer THEN 'short'
                               WHEN runtime < %(long_min)s::integer THEN 'feature' ELSE 'long' END AS bucket,
                          count(*) AS n
                   FROM matched WHERE runtime > 0 GROUP BY 1) AS r ON r.bucket = b.bucket),
    'watches_by_week', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('week', to_char(w.start, 'IYYY-"W"IW'), 'start', w.start::date,
                                                     'count', coalesce(d.n, 0)) ORDER BY w.start), '[]')
        FROM generate_series(date_trunc('week', %(first)s::date), %(last)s::date, interval '1 week') AS w (start)
        LEFT JOIN (SELECT date_trunc('week', day) AS start, sum(n) AS n FROM day_watches GROUP BY 1) AS d
               ON d.start = w.start),
    'calendar', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('date', c.day::date, 'count', coalesce(d.n, 0))
                                  ORDER BY c.day), '[]')
        FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS c (day)
        LEFT JOIN day_watches AS d ON d.day = c.day::date),
    'year_over_year', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('year', year, 'films', films, 'watches', watches,
                                                     'rated', CASE WHEN s.has_ratings THEN rated END,
                                                     'average_rating', CASE WHEN s.has_ratings THEN average_rating END,
                                                     'total_runtime_minutes', minutes) ORDER BY year), '[]')
        FROM year_row),
    'watch_years', (
        SELECT coalesce(jsonb_agg(year ORDER BY year), '[]')
        FROM (SELECT DISTINCT date_part('year', day)::integer AS year FROM tally_days
              WHERE session_id = s.id) AS y)
) AS analytics
FROM session AS s, totals AS t

-- name: list_films
-- One page of a session's films in export order, after the film number %(after)s, optionally of
-- one status, with what TMDB says about the matched ones. One row more than the page tells
-- whether another page follows.
-- The drill-down filters (see api/filters.py) are optional, null meaning "any"; each matches the
-- chart it comes from; %(has_alternatives)s keeps the films the page asks the person to check
-- (other TMDB films fit as well). A film's rating is its ratings.csv rating, else its latest diary rating;
-- watches counts its watches that meet the watch filters (all its watches without them), so that
-- the films of a watch chart's bar add up to the bar. Watches are read as counted by
-- count_session_watches (which runs first, in the same transaction): per film and year for no
-- watch filter or a year alone (%(tally_year)s: -1 or the year), else day by day.
WITH
kept AS (
    SELECT film_no, watches, last_watched
    FROM tally_film_years
    WHERE %(tally_year)s::integer IS NOT NULL
      AND session_id = %(session_id)s AND year = %(tally_year)s::integer
),
by_day AS (
    -- Finer watch filters: the films of the days that meet them.
    SELECT film_no, count(*) AS watches, max(day) AS last_watched
    FROM tally_days AS d, unnest(d.films) AS film_no
    WHERE %(tally_year)s::integer IS NULL AND %(by_watch)s::boolean
      AND d.session_id = %(session_id)s
      AND (%(watched_first)s::date IS NULL OR d.day BETWEEN %(watched_first)s::date AND %(watched_last)s::date)
      AND (%(weekday)s::integer IS NULL OR date_part('isodow', d.day) = %(weekday)s::integer)
    GROUP BY film_no
),
counts AS (
    SELECT * FROM kept UNION ALL SELECT * FROM by_day
)
SELECT f.film_no, f.name, f.year, f.status, f.tmdb_id, f.match_rule, f.error, f.alternatives,
       m.title, m.original_title, m.original_language, m.release_date::text AS release_date,
       m.runtime, m.genres, m.directors, m.countries,
       coalesce(f.rating, r.latest_rating)::float8 AS rating,
       coalesce(w.watches, 0) AS watches, w.last_watched::text AS last_watched
FROM films AS f
-- A lookup by primary key (LIMIT 1 keeps it one), never a scan of the cache shared by all sessions.
LEFT JOIN LATERAL (SELECT * FROM tmdb_movies AS m WHERE m.tmdb_id = f.tmdb_id LIMIT 1) AS m ON true
LEFT JOIN tally_film_years AS r ON r.session_id = f.session_id AND r.year = -1 AND r.film_no = f.film_no
LEFT JOIN counts AS w ON w.film_no = f.film_no
WHERE f.session_id = %(session_id)s
  AND f.film_no > %(after)s
  AND (%(status)s::text IS NULL OR f.status = %(status)s::text)
  AND (%(genre)s::text IS NULL OR %(genre)s::text = ANY (m.genres))
  AND (%(director)s::text IS NULL OR %(director)s::text = ANY (m.directors))
  AND (%(actor)s::text IS NULL OR %(actor)s::text = ANY (m.cast_members))
  AND (%(country)s::text IS NULL OR %(country)s::text = ANY (m.countries))
  AND (%(language)s::text IS NULL OR %(language)s::text = ANY (m.languages))
  AND (%(original_language)s::text IS NULL OR m.original_language = %(original_language)s::text)
  -- The export's Year, else (Netflix gives none) the matched film's, as the charts count them.
  AND (%(decade)s::integer IS NULL
       OR (m.tmdb_id IS NOT NULL
           AND coalesce(f.year, date_part('year', m.release_date)::integer)
               BETWEEN %(decade)s::integer AND %(decade)s::integer + 9))
  AND (%(release_year)s::integer IS NULL
       OR (m.tmdb_id IS NOT NULL
           AND coalesce(f.year, date_part('year', m.release_date)::integer) = %(release_year)s::integer))
  AND (%(has_alternatives)s::boolean IS NULL OR (f.alternatives > 0) = %(has_alternatives)s::boolean)
  AND (%(runtime_min)s::integer IS NULL
       OR m.runtime BETWEEN %(runtime_min)s::integer AND coalesce(%(runtime_max)s::integer, m.runtime))
  AND (%(rating)s::numeric IS NULL OR coalesce(f.rating, r.latest_rating) = %(rating)s::numeric)
  AND (NOT %(by_watch)s::boolean OR w.watches > 0)
ORDER BY f.film_no
LIMIT %(limit)s + 1

-- name: session_exists
-- Whether a session exists (distinguishes an empty page from an unknown session).
SELECT status FROM upload_sessions WHERE id = %(session_id)s
