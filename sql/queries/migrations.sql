-- name: lock_migrations
-- Serialise schema changes between processes that start at the same time.
SELECT pg_advisory_lock(hashtextextended('reelstats:migrate', 0))

-- name: unlock_migrations
-- Let the next process check the schema.
SELECT pg_advisory_unlock(hashtextextended('reelstats:migrate', 0))

-- name: create_schema_migrations
-- The record of applied migration files; created by the first migration run.
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE schema_migrations IS 'Migration files of sql/migrations applied to this database.';
COMMENT ON COLUMN schema_migrations.version IS 'The number that starts the file name.';
COMMENT ON COLUMN schema_migrations.name IS 'The file name.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied.'

-- name: applied_migrations
-- Versions already applied.
SELECT version FROM schema_migrations ORDER BY version

-- name: record_migration
-- Remember that a migration file ran.
INSERT INTO schema_migrations (version, name) VALUES (%(version)s, %(name)s)

-- name: schema_version
-- The newest applied migration version (fails with undefined_table before the first run).
SELECT max(version) AS version FROM schema_migrations
