-- reelstats schema, version 5: matches a person can see and correct. Films keep the candidates
-- their search found and how many other films fit as well; a person's manual choice is stored on
-- the film and remembered by Letterboxd film URI; cached search answers say which matcher made
-- them; the details cache knows alternative titles and release years; a correction is a job of
-- one film.

ALTER TABLE films
    ADD COLUMN alternatives   smallint NOT NULL DEFAULT 0 CHECK (alternatives >= 0),
    ADD COLUMN candidates     jsonb,
    ADD COLUMN manual_tmdb_id integer CHECK (manual_tmdb_id > 0);
COMMENT ON COLUMN films.alternatives IS
    'How many other TMDB films fit the title and year as well as the chosen one (0: no doubt); the page asks the person to check films with alternatives.';
COMMENT ON COLUMN films.candidates IS
    'The TMDB films the search found, best first (at most 10): [{"tmdb_id", "title", "original_title", "release_date", "year", "fits"}]; null until searched.';
COMMENT ON COLUMN films.manual_tmdb_id IS
    'The TMDB id the person chose (PUT .../match); with match_rule manual and a null id they said the film is not on TMDB.';
COMMENT ON COLUMN films.match_rule IS
    'Why the film has its TMDB id: <evidence>_<year tier> from the matcher (evidence title, original_title or alternative_title; tier primary_year, release_year, near_year or without_year), manual (the person chose), letterboxd_uri (a choice remembered for the film''s Letterboxd URI).';
COMMENT ON COLUMN films.error IS
    'Why enrichment failed, or why a chosen TMDB id could not be used (not_found); null otherwise.';

CREATE TABLE film_identities (
    letterboxd_uri text PRIMARY KEY,
    tmdb_id        integer CHECK (tmdb_id > 0),
    chosen_at      timestamptz NOT NULL DEFAULT now(),
    session_id     uuid
);
COMMENT ON TABLE film_identities IS
    'Corrections remembered by Letterboxd film URI: a later upload of a film with this URI takes the TMDB id without searching (match_rule letterboxd_uri). The latest manual match of any session with that URI overwrites it.';
COMMENT ON COLUMN film_identities.letterboxd_uri IS
    'The film''s Letterboxd URI from watched, ratings, likes or watchlist rows (never a diary or review entry''s URI).';
COMMENT ON COLUMN film_identities.tmdb_id IS 'The TMDB film a person chose; null: they said it is not on TMDB.';
COMMENT ON COLUMN film_identities.chosen_at IS 'When the choice was made.';
COMMENT ON COLUMN film_identities.session_id IS 'The session in which it was made (kept after that session is deleted).';

ALTER TABLE tmdb_searches
    ADD COLUMN matcher_version smallint NOT NULL DEFAULT 1,
    ADD COLUMN alternatives    smallint NOT NULL DEFAULT 0,
    ADD COLUMN candidates      jsonb NOT NULL DEFAULT '[]'::jsonb;
COMMENT ON COLUMN tmdb_searches.matcher_version IS
    'The version of the matching rules that made this answer; answers of another version are never served (they are resolved again).';
COMMENT ON COLUMN tmdb_searches.alternatives IS 'How many other films fit as well as the chosen one.';
COMMENT ON COLUMN tmdb_searches.candidates IS 'The candidates the search found, best first (as films.candidates).';
COMMENT ON COLUMN tmdb_searches.match_rule IS 'Which rule chose it (as films.match_rule).';

ALTER TABLE tmdb_movies
    ADD COLUMN alternative_titles text[],
    ADD COLUMN release_years      smallint[];
COMMENT ON COLUMN tmdb_movies.alternative_titles IS
    'Alternative titles TMDB lists for the film; null when fetched before they were asked for.';
COMMENT ON COLUMN tmdb_movies.release_years IS
    'Years of all the film''s releases (premieres, limited, theatrical, digital...); null when not asked for.';

ALTER TABLE enrichment_jobs
    ADD COLUMN kind text NOT NULL DEFAULT 'chunk' CHECK (kind IN ('chunk', 'film'));
COMMENT ON COLUMN enrichment_jobs.kind IS
    'chunk: a range of an upload''s films (one per chunk_no); film: one film a person corrected (PUT .../match).';
ALTER TABLE enrichment_jobs DROP CONSTRAINT enrichment_jobs_session_id_chunk_no_key;
CREATE UNIQUE INDEX enrichment_jobs_chunk ON enrichment_jobs (session_id, chunk_no) WHERE kind = 'chunk';
