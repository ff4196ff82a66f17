"""The API's settings, read once from the environment into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from common import env


@dataclass(frozen=True)
class ApiConfig:
    """Everything the API process is configured with (see the README's configuration table)."""

    database_url: str = field(repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    api_token: str | None = field(default=None, repr=False)
    max_upload_bytes: int = 50 * 1024 * 1024
    session_retention_days: int = 30
    log_format: str = "text"
    listen: bool = True
    pool_size: int = 16

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiConfig:
        """Read and check the settings; a bad value raises ConfigError naming the variable."""
        e = os.environ if environ is None else environ
        return cls(
            database_url=env.database_url(e),
            host=env.text(e, "API_HOST", "127.0.0.1") or "127.0.0.1",
            port=env.integer(e, "API_PORT", 8000, 0, 65535),
            api_token=env.text(e, "API_TOKEN"),
            max_upload_bytes=env.integer(e, "MAX_UPLOAD_MB", 50, 1, 4096) * 1024 * 1024,
            session_retention_days=env.integer(e, "SESSION_RETENTION_DAYS", 30, 1, 36500),
            log_format=env.choice(e, "LOG_FORMAT", "text", ("text", "json")),
            # off behind a transaction-pooling PgBouncer: event streams poll instead of LISTEN.
            listen=env.choice(e, "DATABASE_LISTEN", "on", ("on", "off")) == "on",
            pool_size=env.integer(e, "API_POOL_SIZE", 16, 2, 500),
        )
