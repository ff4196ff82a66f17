-- reelstats schema, version 6: what the analytics and the drill-down lists need: TMDB's vote
-- average in the shared cache, each session's watches counted once (per film and year, per
-- day), and indexes that find a film's diary entries and a day's watches without reading the
-- whole session.

ALTER TABLE tmdb_movies ADD COLUMN vote_average real;
COMMENT ON COLUMN tmdb_movies.vote_average IS
    'TMDB''s average user vote (0-10) when fetched; 0 or null when TMDB has no votes. Null for details cached before schema version 6 until they are fetched again.';

-- An upload's watches never change (retries and manual matches change films' matches, not
-- watches), so the first analytics request counts them and later ones read the counts.
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
    'A session''s watches counted per film, in all and per calendar year, by the first analytics request (the upload never changes).';
COMMENT ON COLUMN tally_film_years.session_id IS 'The upload whose watches these are.';
COMMENT ON COLUMN tally_film_years.year IS
    'Year of the watched date (diary: Watched Date, else Date); 0 for undated watches; -1 for all of the film''s watches.';
COMMENT ON COLUMN tally_film_years.film_no IS 'The film watched (films.film_no of the same session).';
COMMENT ON COLUMN tally_film_years.watches IS 'Diary entries of the film that year (without a diary: its watched.csv row).';
COMMENT ON COLUMN tally_film_years.rewatches IS 'Those the diary marks as rewatches.';
COMMENT ON COLUMN tally_film_years.latest_rating IS
    'On the year -1 row: the film''s latest diary rating (latest watched date, then latest row; undated entries last), null if none. Null on the other rows.';

CREATE TABLE tally_days (
    session_id uuid NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    day        date NOT NULL,
    watches    integer NOT NULL CHECK (watches > 0),
    PRIMARY KEY (session_id, day)
);
COMMENT ON COLUMN tally_film_years.last_watched IS 'The latest of those watches'' dates; null for undated ones.';

COMMENT ON TABLE tally_days IS
    'A session''s dated watches counted per day, by the first analytics request (the upload never changes).';
COMMENT ON COLUMN tally_days.session_id IS 'The upload whose watches these are.';
COMMENT ON COLUMN tally_days.day IS 'The watched date (diary: Watched Date, else Date; without a diary: watched.csv''s Date).';
COMMENT ON COLUMN tally_days.watches IS 'Watches that day.';

-- A session's diary in watched-date order, ties in export order: the n-th watch of a day
-- (milestones) and the watches of a date range.
CREATE INDEX diary_entries_session_day ON diary_entries
    (session_id, (coalesce(watched_on, logged_on)), entry_no) INCLUDE (film_no);
-- A film's diary entries, latest first: its watches in a date range (drill-down lists) and its
-- latest diary rating (its rating when ratings.csv has none).
CREATE INDEX diary_entries_session_film ON diary_entries
    (session_id, film_no, (coalesce(watched_on, logged_on)) DESC NULLS LAST, entry_no DESC) INCLUDE (rating);
