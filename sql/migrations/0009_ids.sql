-- reelstats schema, version 9: matching by the ids exports carry. An IMDb id is resolved by TMDB's
-- /find once and the answer shared by all sessions, like a search answer.

CREATE TABLE tmdb_imdb_ids (
    imdb_id    text PRIMARY KEY CHECK (imdb_id ~ '^tt[0-9]{7,10}$'),
    tmdb_id    integer,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
COMMENT ON TABLE tmdb_imdb_ids IS
    'TMDB''s answer to /find/{imdb_id}: the TMDB film an IMDb id is, shared by all sessions.';
COMMENT ON COLUMN tmdb_imdb_ids.imdb_id IS 'The IMDb id (tt…) looked up.';
COMMENT ON COLUMN tmdb_imdb_ids.tmdb_id IS 'The TMDB film with that IMDb id; null when TMDB has no film with it (a negative entry).';
COMMENT ON COLUMN tmdb_imdb_ids.fetched_at IS 'When TMDB was asked.';
COMMENT ON COLUMN tmdb_imdb_ids.expires_at IS 'After this TMDB is asked again (sooner for negative entries).';
CREATE INDEX tmdb_imdb_ids_expires ON tmdb_imdb_ids (expires_at);

COMMENT ON COLUMN films.match_rule IS
    'Why the film has its TMDB id: <evidence>_<year tier> from the matcher (evidence title, original_title or alternative_title; tier primary_year, release_year, near_year or without_year), tmdb_id (the export gave it), imdb_id (TMDB''s /find for the export''s IMDb id), manual (the person chose), letterboxd_uri (a choice remembered for the film''s Letterboxd URI).';
