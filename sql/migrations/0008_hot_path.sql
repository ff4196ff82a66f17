-- reelstats schema, version 8: the worker's hot path. Films carry their normalised title key from
-- the upload on, so the statement that claims a job can finish cached films by itself; backed-off
-- jobs are found by their run_after; workers report whether all their tasks are healthy.

ALTER TABLE films ADD COLUMN title_key text;
COMMENT ON COLUMN films.title_key IS
    'The normalised title (common/titles.py) the shared search cache is keyed by; written at upload.';

CREATE INDEX enrichment_jobs_backoff ON enrichment_jobs (run_after) WHERE status = 'queued';

ALTER TABLE workers
    ADD COLUMN healthy boolean NOT NULL DEFAULT true,
    ADD COLUMN problem text;
COMMENT ON COLUMN workers.healthy IS
    'False while one of the worker''s tasks (listener, heartbeat, rate limiter, housekeeping, metrics) is stuck; the container health check then fails.';
COMMENT ON COLUMN workers.problem IS 'What is stuck, when healthy is false.';

-- The statement that starts a job reads the job's pending films by range: a small index of only
-- the films still waiting, whatever the size of their session.
CREATE INDEX films_pending ON films (session_id, film_no) WHERE status = 'pending';
