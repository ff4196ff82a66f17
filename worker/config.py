"""The worker's settings, read once from the environment into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from common import env
from common.errors import ConfigError

DEFAULT_TMDB = "https://api.themoviedb.org/3"


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker process is configured with (see the README's configuration table)."""

    database_url: str = field(repr=False)
    tmdb_api_key: str | None = field(default=None, repr=False)
    tmdb_access_token: str | None = field(default=None, repr=False)
    tmdb_base_url: str = DEFAULT_TMDB
    tmdb_rate_limit: float = 40.0
    concurrency: int = 8
    poll_seconds: float = 5.0
    lease_seconds: float = 30.0
    metrics_port: int | None = None
    session_retention_days: int = 30
    log_format: str = "text"
    listen: bool = True
    pool_size: int = 4
    test_kill_task: str | None = None  # tests of supervision: SIGUSR2 cancels this background task

    @property
    def job_slots(self) -> int:
        """Jobs worked on at once: enough to keep `concurrency` requests busy, few enough that
        other workers find work in a big session."""
        return max(2, self.concurrency // 4)

    @property
    def heartbeat_seconds(self) -> float:
        """Leases are renewed three times per lease, comfortably under half of it."""
        return self.lease_seconds / 3

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WorkerConfig:
        """Read and check the settings; a bad value raises ConfigError naming the variable."""
        e = os.environ if environ is None else environ
        metrics = env.integer(e, "WORKER_METRICS_PORT", 0, 0, 65535)
        base_url = (env.text(e, "TMDB_BASE_URL") or DEFAULT_TMDB).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError("TMDB_BASE_URL must start with http:// or https://")
        return cls(
            database_url=env.database_url(e),
            tmdb_api_key=env.text(e, "TMDB_API_KEY"),
            tmdb_access_token=env.text(e, "TMDB_ACCESS_TOKEN"),
            tmdb_base_url=base_url,
            tmdb_rate_limit=env.number(e, "TMDB_RATE_LIMIT", 40.0, 0.1, 10_000),
            concurrency=env.integer(e, "WORKER_CONCURRENCY", 8, 1, 20),
            poll_seconds=env.number(e, "WORKER_POLL_SECONDS", 5.0, 0.05, 3600),
            lease_seconds=env.number(e, "WORKER_LEASE_SECONDS", 30.0, 1, 3600),
            metrics_port=metrics or None,
            session_retention_days=env.integer(e, "SESSION_RETENTION_DAYS", 30, 1, 36500),
            log_format=env.choice(e, "LOG_FORMAT", "text", ("text", "json")),
            # off behind a transaction-pooling PgBouncer, where LISTEN cannot work: poll only.
            listen=env.choice(e, "DATABASE_LISTEN", "on", ("on", "off")) == "on",
            pool_size=env.integer(e, "WORKER_POOL_SIZE", 4, 2, 100),
            test_kill_task=env.text(e, "WORKER_TEST_KILL_TASK"),
        )
