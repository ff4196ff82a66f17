-- reelstats schema, version 11: wake-ups addressed to one worker. A NOTIFY on a shared channel
-- wakes every listener (each one's backend and process), so an upload of one job is addressed to
-- one worker's own channel instead: the one with room that ranks first for the session. The
-- upload's statement and the worker's LISTEN name the channel by these functions alone.

CREATE FUNCTION reelstats_worker_channel(worker uuid) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 'reelstats_jobs_' || replace(worker::text, '-', '');
COMMENT ON FUNCTION reelstats_worker_channel(uuid) IS
    'The channel one worker LISTENs on besides reelstats_jobs: job notifications meant for it alone.';

CREATE FUNCTION reelstats_listen_as_worker(worker uuid) RETURNS text
    LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    EXECUTE format('LISTEN %I', reelstats_worker_channel(worker));
    RETURN reelstats_worker_channel(worker);
END
$$;
COMMENT ON FUNCTION reelstats_listen_as_worker(uuid) IS
    'LISTEN on the worker''s own channel (LISTEN takes no parameters); returns the channel.';

-- A worker heart-beats every third of its lease: one silent for two of those may be gone, and a
-- notification meant for it would wait for another worker's poll, so it is not chosen.
CREATE FUNCTION reelstats_jobs_channel(session uuid, jobs bigint) RETURNS text
    LANGUAGE sql STABLE
    RETURN CASE WHEN jobs = 1 THEN coalesce(
        (SELECT reelstats_worker_channel(w.id)
         FROM workers AS w
         WHERE w.room > 0 AND w.healthy
           AND w.last_seen_at > now() - make_interval(secs => w.lease_seconds * 2 / 3.0)
         ORDER BY md5(session::text || w.id::text), w.id
         LIMIT 1),
        'reelstats_jobs') ELSE 'reelstats_jobs' END;
COMMENT ON FUNCTION reelstats_jobs_channel(uuid, bigint) IS
    'Where a job NOTIFY for a session goes: one job, to the first-ranked live worker with room; more, or nobody live, to reelstats_jobs, which every worker hears.';
