-- reelstats schema, version 10: scale. Progress NOTIFYs are bounded per session; workers publish
-- how much room they have, so a small upload wakes a few of them, not the whole fleet; every purge
-- of housekeeping is an index range scan.

ALTER TABLE upload_sessions ADD COLUMN notified_at timestamptz;
COMMENT ON COLUMN upload_sessions.notified_at IS
    'When a progress NOTIFY was last sent for the session: at most one per 250 ms (a final status always sends one).';

ALTER TABLE workers ADD COLUMN room smallint NOT NULL DEFAULT 1;
COMMENT ON COLUMN workers.room IS
    'Jobs the worker could take at its last heartbeat; workers rank those with room to decide who claims a small upload.';

CREATE INDEX tmdb_searches_expires ON tmdb_searches (expires_at);
CREATE INDEX tmdb_fetches_expires ON tmdb_fetches (expires_at);
CREATE INDEX workers_last_seen ON workers (last_seen_at);
