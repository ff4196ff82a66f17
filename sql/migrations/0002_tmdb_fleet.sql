-- reelstats schema, version 2: what the workers share about TMDB beyond the cache: one request
-- schedule for the whole fleet, rejected credentials, and fetches in flight.

CREATE TABLE tmdb_rate_limit (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    next_slot_at timestamptz NOT NULL DEFAULT '-infinity',
    paused_until timestamptz NOT NULL DEFAULT '-infinity',
    updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE tmdb_rate_limit IS
    'The fleet''s TMDB request schedule (one row): workers reserve evenly spaced request slots from it.';
COMMENT ON COLUMN tmdb_rate_limit.id IS 'Always true: the table has exactly one row.';
COMMENT ON COLUMN tmdb_rate_limit.next_slot_at IS 'When the next request slot begins.';
COMMENT ON COLUMN tmdb_rate_limit.paused_until IS 'After a 429, no slot begins before this (TMDB''s Retry-After).';
COMMENT ON COLUMN tmdb_rate_limit.updated_at IS 'Last reservation or pause.';
INSERT INTO tmdb_rate_limit DEFAULT VALUES;

CREATE TABLE tmdb_rejected_credentials (
    fingerprint text PRIMARY KEY,
    rejected_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE tmdb_rejected_credentials IS
    'TMDB credentials that got 401: workers configured with them send nothing more to TMDB.';
COMMENT ON COLUMN tmdb_rejected_credentials.fingerprint IS
    'A SHA-256 prefix of the key or token (never the secret itself).';
COMMENT ON COLUMN tmdb_rejected_credentials.rejected_at IS
    'When TMDB refused them; the refusal is trusted for an hour, then one request may try again.';

CREATE TABLE tmdb_fetches (
    fetch_key  text PRIMARY KEY,
    worker_id  uuid NOT NULL,
    expires_at timestamptz NOT NULL
);
COMMENT ON TABLE tmdb_fetches IS
    'TMDB look-ups in flight, so two workers never fetch the same film at the same time.';
COMMENT ON COLUMN tmdb_fetches.fetch_key IS 'search:<title key>|<year> or movie:<TMDB id>.';
COMMENT ON COLUMN tmdb_fetches.worker_id IS 'The worker fetching it.';
COMMENT ON COLUMN tmdb_fetches.expires_at IS 'A fetch not finished by then may be taken over.';

ALTER TABLE workers ADD COLUMN tmdb_demo boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN workers.tmdb_demo IS 'True when the worker has no TMDB credentials (the demo catalogue).';
