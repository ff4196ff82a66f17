-- reelstats schema, version 4: housekeeping. Finished jobs and expired sessions are purged by the
-- workers; hot tables get autovacuum settings that keep up with their update rate; job_overview
-- shows how full the NOTIFY queue is.

-- Updated in place all the time: room for HOT updates, and vacuum after a few percent dead rows.
ALTER TABLE enrichment_jobs SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02,
                                 autovacuum_vacuum_threshold = 200, autovacuum_analyze_scale_factor = 0.05);
ALTER TABLE upload_sessions SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE films SET (fillfactor = 90);
ALTER TABLE workers SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500);
-- One row updated by every TMDB reservation (tens per second): vacuum it by dead-row count alone.
ALTER TABLE tmdb_rate_limit SET (fillfactor = 10, autovacuum_vacuum_scale_factor = 0,
                                 autovacuum_vacuum_threshold = 1000);
ALTER TABLE tmdb_fetches SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

CREATE INDEX upload_sessions_created ON upload_sessions (created_at);
CREATE INDEX enrichment_jobs_finished ON enrichment_jobs (finished_at) WHERE status IN ('succeeded', 'failed');

CREATE OR REPLACE VIEW job_overview AS
SELECT s.status,
       count(j.id) AS jobs,
       min(j.created_at) AS oldest_created_at,
       date_trunc('second', now() - min(j.created_at)) AS oldest_age,
       pg_notification_queue_usage() AS notification_queue_usage
FROM (VALUES (1, 'queued'), (2, 'running'), (3, 'succeeded'), (4, 'failed')) AS s (ord, status)
LEFT JOIN enrichment_jobs AS j ON j.status = s.status
GROUP BY s.ord, s.status
ORDER BY s.ord;
COMMENT ON VIEW job_overview IS
    'Jobs per status, the age of the oldest one (for queued: how long work waits), and the NOTIFY queue''s fill level. Finished jobs are purged after a minute (succeeded) or a week (failed).';
COMMENT ON COLUMN job_overview.notification_queue_usage IS
    'pg_notification_queue_usage(): fraction of the NOTIFY queue in use (near 1, NOTIFY fails).';
