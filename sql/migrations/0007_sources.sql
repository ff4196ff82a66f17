-- reelstats schema, version 7: exports of other services (IMDb, Trakt, Netflix). A session says
-- which service its export came from; films keep the ids their export carries; watches of every
-- source are rows of diary_entries, so analytics read them all alike.

ALTER TABLE upload_sessions
    ADD COLUMN source text NOT NULL DEFAULT 'letterboxd'
    CHECK (source IN ('letterboxd', 'imdb', 'trakt', 'netflix'));
COMMENT ON COLUMN upload_sessions.source IS
    'The service the export came from: letterboxd, imdb, trakt or netflix (one source per upload).';
COMMENT ON COLUMN upload_sessions.files IS
    'What the upload held: [{"name", "kind", "rows"}] per file, skipped files with kind "skipped" and a "reason"; rows that are not films are counted by reason in "skipped" (e.g. {"TV Series": 3}); Netflix files add "profiles" or "dates".';

ALTER TABLE films
    ADD COLUMN imdb_id text CHECK (imdb_id ~ '^tt[0-9]{7,10}$'),
    ADD COLUMN source_tmdb_id integer CHECK (source_tmdb_id > 0);
COMMENT ON COLUMN films.imdb_id IS
    'The film''s IMDb id (tt…) as the export gives it: IMDb''s Const, Trakt''s ids.imdb; null for Letterboxd and Netflix.';
COMMENT ON COLUMN films.source_tmdb_id IS
    'The TMDB id the export itself gives (Trakt''s ids.tmdb), a fact of the export; tmdb_id is the match the worker made.';

-- A film is its (Name, Year) only where the export has no id for it (Letterboxd, Netflix, Trakt
-- movies without ids). IMDb films are their Const: two IMDb titles may share a title and a year.
ALTER TABLE films DROP CONSTRAINT films_one_per_name_year;
CREATE UNIQUE INDEX films_one_per_name_year ON films (session_id, name, year) NULLS NOT DISTINCT
    WHERE imdb_id IS NULL AND source_tmdb_id IS NULL;
CREATE UNIQUE INDEX films_one_per_imdb_id ON films (session_id, imdb_id) WHERE imdb_id IS NOT NULL;

COMMENT ON TABLE films IS
    'One row per film a person watched in one upload: a distinct (Name, Year) of Letterboxd''s files but the watchlist, an IMDb Const, a Trakt movie, or a Netflix title.';
COMMENT ON COLUMN films.name IS 'Title exactly as in the export (IMDb Title, Trakt movie title, Netflix Title).';
COMMENT ON COLUMN films.year IS 'Year exactly as in the export; null when the export has none (always for Netflix).';
COMMENT ON COLUMN films.watched_on IS
    'Date of the film''s row in Letterboxd''s watched.csv; null for other sources (their watches are diary entries).';
COMMENT ON COLUMN films.rating IS
    'The film''s rating, 0.5-5 in halves: Letterboxd''s ratings.csv, or IMDb''s or Trakt''s 1-10 rating halved; null if unrated.';
COMMENT ON COLUMN films.rated_on IS 'When the rating was given (ratings.csv Date, IMDb Date Rated, Trakt rated_at).';

COMMENT ON TABLE diary_entries IS
    'One watch of a film (rewatches included): every row of Letterboxd''s diary.csv, every rated IMDb title, every Trakt play (else one per watched movie), every day a Netflix title was watched.';
COMMENT ON COLUMN diary_entries.entry_no IS
    'Row number of the entry in its upload''s diary (other sources: in watched-date order).';
COMMENT ON COLUMN diary_entries.logged_on IS
    'The diary''s Date column: when the entry was logged; null for other sources.';
COMMENT ON COLUMN diary_entries.watched_on IS
    'When the film was watched: the diary''s Watched Date, IMDb''s Date Rated, the UTC day of a Trakt play, a Netflix viewing day.';
COMMENT ON COLUMN diary_entries.rewatch IS
    'True when the diary marks the watch as a rewatch; for other sources, every watch of a film after its first.';

COMMENT ON TABLE watchlist_entries IS
    'Titles of Letterboxd''s watchlist.csv, IMDb list and watchlist exports, Trakt''s watchlist. Not films: never enriched; those not watched count as "watchlist".';
COMMENT ON COLUMN watchlist_entries.letterboxd_uri IS 'The film''s Letterboxd URI; null for other sources.';
