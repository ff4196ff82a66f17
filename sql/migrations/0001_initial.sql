-- reelstats schema, version 1: upload sessions, their films and watches, the job queue, workers,
-- the shared TMDB cache, and the operators' views.

CREATE TABLE upload_sessions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status          text NOT NULL DEFAULT 'enriching'
                    CHECK (status IN ('enriching', 'completed', 'failed', 'cancelled')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    error           text,
    films_total     integer NOT NULL DEFAULT 0 CHECK (films_total >= 0),
    films_matched   integer NOT NULL DEFAULT 0 CHECK (films_matched >= 0),
    films_not_found integer NOT NULL DEFAULT 0 CHECK (films_not_found >= 0),
    films_failed    integer NOT NULL DEFAULT 0 CHECK (films_failed >= 0),
    upload_bytes    bigint NOT NULL DEFAULT 0,
    files           jsonb NOT NULL DEFAULT '[]'::jsonb,
    CHECK (films_matched + films_not_found + films_failed <= films_total)
);
COMMENT ON TABLE upload_sessions IS
    'One upload of a person''s export: its status and enrichment progress counters.';
COMMENT ON COLUMN upload_sessions.id IS 'Random UUID; the session''s only handle (it is in its URL).';
COMMENT ON COLUMN upload_sessions.status IS
    'enriching (jobs open), completed, failed (nothing could be enriched), cancelled.';
COMMENT ON COLUMN upload_sessions.created_at IS 'When the upload was stored.';
COMMENT ON COLUMN upload_sessions.updated_at IS 'Last change of status or progress.';
COMMENT ON COLUMN upload_sessions.finished_at IS 'When the status became final; null while enriching.';
COMMENT ON COLUMN upload_sessions.error IS 'Why the session failed, in words for its owner; null otherwise.';
COMMENT ON COLUMN upload_sessions.films_total IS 'Films of the upload (distinct Name, Year watched).';
COMMENT ON COLUMN upload_sessions.films_matched IS 'Films matched to a TMDB film so far.';
COMMENT ON COLUMN upload_sessions.films_not_found IS 'Films TMDB has no plausible match for.';
COMMENT ON COLUMN upload_sessions.films_failed IS 'Films whose enrichment failed after every retry.';
COMMENT ON COLUMN upload_sessions.upload_bytes IS 'Size of the uploaded request body.';
COMMENT ON COLUMN upload_sessions.files IS
    'What the upload held: [{"name", "kind", "rows"}] per file, skipped files with kind "skipped".';

CREATE TABLE films (
    session_id     uuid NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    film_no        integer NOT NULL CHECK (film_no > 0),
    name           text NOT NULL CHECK (name <> ''),
    year           smallint,
    letterboxd_uri text,
    watched_on     date,
    liked_on       date,
    rating         numeric(2, 1) CHECK (rating BETWEEN 0.5 AND 5),
    rated_on       date,
    status         text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'matched', 'not_found', 'failed')),
    tmdb_id        integer,
    match_rule     text,
    error          text,
    enriched_at    timestamptz,
    PRIMARY KEY (session_id, film_no),
    CONSTRAINT films_one_per_name_year UNIQUE NULLS NOT DISTINCT (session_id, name, year),
    CHECK ((status = 'matched') = (tmdb_id IS NOT NULL))
);
COMMENT ON TABLE films IS
    'One row per film a person watched in one upload: a distinct (Name, Year) of any file but the watchlist.';
COMMENT ON COLUMN films.session_id IS 'The upload this film belongs to.';
COMMENT ON COLUMN films.film_no IS 'Position of the film in its upload (1..films_total); jobs cover ranges of it.';
COMMENT ON COLUMN films.name IS 'Title exactly as in the export.';
COMMENT ON COLUMN films.year IS 'Year exactly as in the export; null when the export leaves it empty.';
COMMENT ON COLUMN films.letterboxd_uri IS
    'The film''s Letterboxd URI from watched/ratings/likes (a diary row''s URI is the entry''s, not kept here).';
COMMENT ON COLUMN films.watched_on IS 'Date of the film''s row in watched.csv.';
COMMENT ON COLUMN films.liked_on IS 'Date of the film''s row in likes/films.csv; null if not liked.';
COMMENT ON COLUMN films.rating IS 'Rating from ratings.csv (0.5-5 in halves); null if not in it.';
COMMENT ON COLUMN films.rated_on IS 'Date of the film''s row in ratings.csv.';
COMMENT ON COLUMN films.status IS 'pending (not enriched yet), matched, not_found (TMDB has no match), failed.';
COMMENT ON COLUMN films.tmdb_id IS 'The matched TMDB movie id (see tmdb_movies); null unless matched.';
COMMENT ON COLUMN films.match_rule IS 'Which matching rule chose the TMDB film, for inspection.';
COMMENT ON COLUMN films.error IS 'Why enrichment failed; null unless failed.';
COMMENT ON COLUMN films.enriched_at IS 'When the film got its final status.';
CREATE INDEX films_session_status ON films (session_id, status);

CREATE TABLE diary_entries (
    session_id     uuid NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    entry_no       integer NOT NULL CHECK (entry_no > 0),
    film_no        integer NOT NULL,
    logged_on      date,
    watched_on     date,
    rating         numeric(2, 1) CHECK (rating BETWEEN 0.5 AND 5),
    rewatch        boolean NOT NULL DEFAULT false,
    tags           text[] NOT NULL DEFAULT '{}',
    letterboxd_uri text,
    PRIMARY KEY (session_id, entry_no)
);
COMMENT ON TABLE diary_entries IS 'Every row of diary.csv: one watch of a film (rewatches included).';
COMMENT ON COLUMN diary_entries.session_id IS 'The upload this entry belongs to.';
COMMENT ON COLUMN diary_entries.entry_no IS 'Row number of the entry in its upload''s diary.';
COMMENT ON COLUMN diary_entries.film_no IS 'The film watched (films.film_no of the same session).';
COMMENT ON COLUMN diary_entries.logged_on IS 'The diary''s Date column: when the entry was logged.';
COMMENT ON COLUMN diary_entries.watched_on IS 'The diary''s Watched Date column: when the film was watched.';
COMMENT ON COLUMN diary_entries.rating IS 'Rating given with this watch (0.5-5 in halves); null if none.';
COMMENT ON COLUMN diary_entries.rewatch IS 'True when the diary marks the watch as a rewatch.';
COMMENT ON COLUMN diary_entries.tags IS 'The entry''s tags.';
COMMENT ON COLUMN diary_entries.letterboxd_uri IS 'The diary entry''s own Letterboxd URI (not the film''s).';

CREATE TABLE reviews (
    session_id     uuid NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    entry_no       integer NOT NULL CHECK (entry_no > 0),
    film_no        integer NOT NULL,
    logged_on      date,
    watched_on     date,
    rating         numeric(2, 1) CHECK (rating BETWEEN 0.5 AND 5),
    rewatch        boolean NOT NULL DEFAULT false,
    review         text NOT NULL,
    tags           text[] NOT NULL DEFAULT '{}',
    letterboxd_uri text,
    PRIMARY KEY (session_id, entry_no)
);
COMMENT ON TABLE reviews IS 'Every row of reviews.csv: a written review of a film.';
COMMENT ON COLUMN reviews.session_id IS 'The upload this review belongs to.';
COMMENT ON COLUMN reviews.entry_no IS 'Row number of the review in its upload''s reviews.csv.';
COMMENT ON COLUMN reviews.film_no IS 'The film reviewed (films.film_no of the same session).';
COMMENT ON COLUMN reviews.logged_on IS 'The review''s Date column.';
COMMENT ON COLUMN reviews.watched_on IS 'The review''s Watched Date column.';
COMMENT ON COLUMN reviews.rating IS 'Rating given with the review; null if none.';
COMMENT ON COLUMN reviews.rewatch IS 'True when the review is of a rewatch.';
COMMENT ON COLUMN reviews.review IS 'The review text as exported (Letterboxd exports it with HTML markup).';
COMMENT ON COLUMN reviews.tags IS 'The review''s tags.';
COMMENT ON COLUMN reviews.letterboxd_uri IS 'The review''s own Letterboxd URI.';

CREATE TABLE watchlist_entries (
    session_id     uuid NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    entry_no       integer NOT NULL CHECK (entry_no > 0),
    name           text NOT NULL CHECK (name <> ''),
    year           smallint,
    letterboxd_uri text,
    added_on       date,
    PRIMARY KEY (session_id, entry_no),
    CONSTRAINT watchlist_one_per_name_year UNIQUE NULLS NOT DISTINCT (session_id, name, year)
);
COMMENT ON TABLE watchlist_entries IS
    'Titles of watchlist.csv. Not films: never enriched; those not watched count as "watchlist".';
COMMENT ON COLUMN watchlist_entries.session_id IS 'The upload this entry belongs to.';
COMMENT ON COLUMN watchlist_entries.entry_no IS 'Row number in the upload''s watchlist.';
COMMENT ON COLUMN watchlist_entries.name IS 'Title exactly as in the export.';
COMMENT ON COLUMN watchlist_entries.year IS 'Year exactly as in the export; null when empty.';
COMMENT ON COLUMN watchlist_entries.letterboxd_uri IS 'The film''s Letterboxd URI.';
COMMENT ON COLUMN watchlist_entries.added_on IS 'When the title was added to the watchlist.';

CREATE TABLE enrichment_jobs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id       uuid NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    chunk_no         integer NOT NULL CHECK (chunk_no >= 0),
    first_film       integer NOT NULL,
    last_film        integer NOT NULL,
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 8 CHECK (max_attempts > 0),
    run_after        timestamptz NOT NULL DEFAULT now(),
    locked_by        uuid,
    lease_expires_at timestamptz,
    claimed_at       timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    CHECK (first_film <= last_film),
    CHECK ((status = 'running') = (locked_by IS NOT NULL AND lease_expires_at IS NOT NULL)),
    UNIQUE (session_id, chunk_no)
);
COMMENT ON TABLE enrichment_jobs IS
    'The work queue: each job enriches one chunk (a film_no range) of one session.';
COMMENT ON COLUMN enrichment_jobs.id IS 'Job id.';
COMMENT ON COLUMN enrichment_jobs.session_id IS 'The session whose films the job enriches.';
COMMENT ON COLUMN enrichment_jobs.chunk_no IS
    'Chunk number within the session; claims take low chunk numbers first so new sessions start at once.';
COMMENT ON COLUMN enrichment_jobs.first_film IS 'First films.film_no of the chunk.';
COMMENT ON COLUMN enrichment_jobs.last_film IS 'Last films.film_no of the chunk (inclusive).';
COMMENT ON COLUMN enrichment_jobs.status IS 'queued, running (leased to a worker), succeeded, failed.';
COMMENT ON COLUMN enrichment_jobs.attempts IS 'How many times the job was claimed.';
COMMENT ON COLUMN enrichment_jobs.max_attempts IS 'Claims allowed before the job fails for good.';
COMMENT ON COLUMN enrichment_jobs.run_after IS 'Not claimed before this time (retry backoff).';
COMMENT ON COLUMN enrichment_jobs.locked_by IS 'The worker (workers.id) holding the job while running.';
COMMENT ON COLUMN enrichment_jobs.lease_expires_at IS
    'A running job whose lease passed without a heartbeat is claimed again.';
COMMENT ON COLUMN enrichment_jobs.claimed_at IS 'When the job was last claimed.';
COMMENT ON COLUMN enrichment_jobs.last_error IS 'The error of the last failed attempt.';
COMMENT ON COLUMN enrichment_jobs.created_at IS 'When the job was queued.';
COMMENT ON COLUMN enrichment_jobs.updated_at IS 'Last change of the row.';
COMMENT ON COLUMN enrichment_jobs.finished_at IS 'When the job succeeded or failed for good.';
-- The claim query reads this index in order; finished jobs never enter it, so it stays small.
CREATE INDEX enrichment_jobs_runnable ON enrichment_jobs (chunk_no, id)
    WHERE status IN ('queued', 'running');
CREATE INDEX enrichment_jobs_session ON enrichment_jobs (session_id);

CREATE TABLE workers (
    id            uuid PRIMARY KEY,
    host          text NOT NULL,
    pid           integer NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    lease_seconds integer NOT NULL CHECK (lease_seconds > 0)
);
COMMENT ON TABLE workers IS 'Worker processes that registered; a row is live while heart-beaten.';
COMMENT ON COLUMN workers.id IS 'Random id the worker chose at start-up (enrichment_jobs.locked_by).';
COMMENT ON COLUMN workers.host IS 'Host name (the container id under Docker).';
COMMENT ON COLUMN workers.pid IS 'Process id on that host.';
COMMENT ON COLUMN workers.started_at IS 'When the worker registered.';
COMMENT ON COLUMN workers.last_seen_at IS 'Last heartbeat.';
COMMENT ON COLUMN workers.lease_seconds IS 'The worker''s WORKER_LEASE_SECONDS: silent longer than this, it is gone.';

CREATE TABLE tmdb_movies (
    tmdb_id           integer PRIMARY KEY,
    title             text NOT NULL,
    original_title    text,
    original_language text,
    release_date      date,
    runtime           integer,
    genres            text[] NOT NULL DEFAULT '{}',
    directors         text[] NOT NULL DEFAULT '{}',
    cast_members      text[] NOT NULL DEFAULT '{}',
    countries         text[] NOT NULL DEFAULT '{}',
    languages         text[] NOT NULL DEFAULT '{}',
    popularity        real,
    fetched_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE tmdb_movies IS 'TMDB film details shared by all sessions, keyed by TMDB id.';
COMMENT ON COLUMN tmdb_movies.tmdb_id IS 'TMDB movie id.';
COMMENT ON COLUMN tmdb_movies.title IS 'TMDB title (English).';
COMMENT ON COLUMN tmdb_movies.original_title IS 'Title in the original language.';
COMMENT ON COLUMN tmdb_movies.original_language IS 'ISO 639-1 code of the original language.';
COMMENT ON COLUMN tmdb_movies.release_date IS 'Primary release date.';
COMMENT ON COLUMN tmdb_movies.runtime IS 'Runtime in minutes; null when TMDB does not know it.';
COMMENT ON COLUMN tmdb_movies.genres IS 'Genre names.';
COMMENT ON COLUMN tmdb_movies.directors IS 'Names of the crew credited as Director.';
COMMENT ON COLUMN tmdb_movies.cast_members IS 'Names of the top-billed cast, in billing order.';
COMMENT ON COLUMN tmdb_movies.countries IS 'Production country names.';
COMMENT ON COLUMN tmdb_movies.languages IS 'Spoken language names (English names).';
COMMENT ON COLUMN tmdb_movies.popularity IS 'TMDB popularity when fetched.';
COMMENT ON COLUMN tmdb_movies.fetched_at IS 'When the details were fetched.';

CREATE TABLE tmdb_searches (
    title_key  text NOT NULL,
    year       smallint NOT NULL DEFAULT 0,
    tmdb_id    integer,
    match_rule text,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (title_key, year)
);
COMMENT ON TABLE tmdb_searches IS
    'Outcome of matching a (normalised title, year) against TMDB, shared by all sessions.';
COMMENT ON COLUMN tmdb_searches.title_key IS 'The normalised title searched for.';
COMMENT ON COLUMN tmdb_searches.year IS 'The export''s year searched for; 0 when the export has none.';
COMMENT ON COLUMN tmdb_searches.tmdb_id IS 'The chosen TMDB id; null when nothing matched (a negative entry).';
COMMENT ON COLUMN tmdb_searches.match_rule IS 'Which rule chose it.';
COMMENT ON COLUMN tmdb_searches.fetched_at IS 'When TMDB was asked.';
COMMENT ON COLUMN tmdb_searches.expires_at IS 'After this the search is asked again (sooner for negative entries).';

CREATE VIEW job_overview AS
SELECT s.status,
       count(j.id) AS jobs,
       min(j.created_at) AS oldest_created_at,
       date_trunc('second', now() - min(j.created_at)) AS oldest_age
FROM (VALUES (1, 'queued'), (2, 'running'), (3, 'succeeded'), (4, 'failed')) AS s (ord, status)
LEFT JOIN enrichment_jobs AS j ON j.status = s.status
GROUP BY s.ord, s.status
ORDER BY s.ord;
COMMENT ON VIEW job_overview IS 'Jobs per status, and the age of the oldest one (for queued: how long work waits).';
COMMENT ON COLUMN job_overview.status IS 'Job status.';
COMMENT ON COLUMN job_overview.jobs IS 'Jobs in that status.';
COMMENT ON COLUMN job_overview.oldest_created_at IS 'Creation time of the oldest job in that status.';
COMMENT ON COLUMN job_overview.oldest_age IS 'Age of the oldest job in that status.';

CREATE VIEW session_progress AS
SELECT s.id,
       s.status,
       s.films_total AS total,
       s.films_matched + s.films_not_found + s.films_failed AS done,
       s.films_matched AS matched,
       s.films_not_found AS not_found,
       s.films_failed AS failed,
       (SELECT count(*) FROM enrichment_jobs AS j
         WHERE j.session_id = s.id AND j.status IN ('queued', 'running')) AS open_jobs,
       s.created_at,
       s.updated_at,
       s.error
FROM upload_sessions AS s;
COMMENT ON VIEW session_progress IS 'One row per session with its enrichment counts.';
COMMENT ON COLUMN session_progress.id IS 'Session id.';
COMMENT ON COLUMN session_progress.status IS 'Session status.';
COMMENT ON COLUMN session_progress.total IS 'Films in the session.';
COMMENT ON COLUMN session_progress.done IS 'matched + not_found + failed.';
COMMENT ON COLUMN session_progress.matched IS 'Films matched to TMDB.';
COMMENT ON COLUMN session_progress.not_found IS 'Films TMDB has no match for.';
COMMENT ON COLUMN session_progress.failed IS 'Films whose enrichment failed.';
COMMENT ON COLUMN session_progress.open_jobs IS 'Jobs queued or running for the session.';
COMMENT ON COLUMN session_progress.created_at IS 'When the session was uploaded.';
COMMENT ON COLUMN session_progress.updated_at IS 'Last change.';
COMMENT ON COLUMN session_progress.error IS 'Why the session failed, if it did.';

CREATE VIEW worker_status AS
SELECT w.id,
       w.host,
       w.pid,
       w.started_at,
       w.last_seen_at,
       (SELECT count(*) FROM enrichment_jobs AS j
         WHERE j.locked_by = w.id AND j.status = 'running') AS jobs_in_hand
FROM workers AS w
WHERE w.last_seen_at > now() - make_interval(secs => w.lease_seconds)
ORDER BY w.started_at;
COMMENT ON VIEW worker_status IS 'One row per live worker (heart-beaten within its lease).';
COMMENT ON COLUMN worker_status.id IS 'Worker id.';
COMMENT ON COLUMN worker_status.host IS 'Host name.';
COMMENT ON COLUMN worker_status.pid IS 'Process id.';
COMMENT ON COLUMN worker_status.started_at IS 'When the worker registered.';
COMMENT ON COLUMN worker_status.last_seen_at IS 'Last heartbeat.';
COMMENT ON COLUMN worker_status.jobs_in_hand IS 'Jobs the worker is running now.';
