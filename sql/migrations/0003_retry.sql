-- reelstats schema, version 3: retried jobs look films up afresh.

ALTER TABLE enrichment_jobs ADD COLUMN fresh_lookups boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN enrichment_jobs.fresh_lookups IS
    'Set by a retry: the job ignores cached "not found" answers and asks TMDB again.';
