-- reelstats schema, version 6: what the analytics and the drill-down lists need: TMDB's vote
-- average in the shared cache, and each session's watches counted once, per film (in all and per
-- year) and per day.
--
-- An upload's watches never change (retries and manual matches change films' matches, not
-- watches), so the first analytics or film-list request of a session counts them and keeps the
-- counts, and later requests read a few thousand counts instead of every diary row. This keeps
-- the diary itself free of further indexes, which would slow every upload down.

ALTER TABLE tmdb_movies ADD COLUMN vote_average real;
COMMENT ON COLUMN tmdb_movies.vote_average IS
    'TMDB''s average user vote (0-10) when fetched; 0 or null when TMDB has no votes. Null for details cached before schema version 6 until they are fetched again.';

CREATE TABLE tally_film_years (
    session_id    uuid NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    year          smallint NOT NULL CHECK (year >= -1),
    film_no       integer NOT NULL,
    watches       integer NOT NULL CHECK (watches > 0),
    rewatches     integer NOT NULL CHECK (rewatches BETWEEN 0 AND watches),
    latest_rating numeric(2, 1) CHECK (latest_rating IS NULL OR year = -1),
    last_watched  date,
    PRIMARY KEY (session_id, year, film_no)
);
COMMENT ON TABLE tally_film_years IS
    'A session''s watches counted per film, in all and per calendar year, by its first analytics or film-list request (the upload never changes).';
COMMENT ON COLUMN tally_film_years.session_id IS 'The upload whose watches these are.';
COMMENT ON COLUMN tally_film_years.year IS
    'Year of the watched date (diary: Watched Date, else Date); 0 for undated watches; -1 for all of the film''s watches.';
COMMENT ON COLUMN tally_film_years.film_no IS 'The film watched (films.film_no of the same session).';
COMMENT ON COLUMN tally_film_years.watches IS 'Diary entries of the film that year (without a diary: its watched.csv row).';
COMMENT ON COLUMN tally_film_years.rewatches IS 'Those the diary marks as rewatches.';
COMMENT ON COLUMN tally_film_years.latest_rating IS
    'On the year -1 row: the film''s latest diary rating (latest watched date, then latest row; undated entries last), null if none. Null on the other rows.';
COMMENT ON COLUMN tally_film_years.last_watched IS 'The latest of those watches'' dates; null for undated ones.';

CREATE TABLE tally_days (
    session_id uuid NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    day        date NOT NULL,
    watches    integer NOT NULL CHECK (watches > 0),
    films      integer[] NOT NULL CHECK (cardinality(films) = watches),
    PRIMARY KEY (session_id, day)
);
COMMENT ON TABLE tally_days IS
    'A session''s dated watches per day, kept by its first analytics or film-list request (the upload never changes).';
COMMENT ON COLUMN tally_days.session_id IS 'The upload whose watches these are.';
COMMENT ON COLUMN tally_days.day IS 'The watched date (diary: Watched Date, else Date; without a diary: watched.csv''s Date).';
COMMENT ON COLUMN tally_days.watches IS 'Watches that day.';
COMMENT ON COLUMN tally_days.films IS
    'The film (films.film_no) of each of those watches, in the export''s row order: milestones and drill-down lists by day, week, month or weekday.';
