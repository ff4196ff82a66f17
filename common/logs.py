"""One line per event, as text for people or JSON for machines, never a traceback or a secret.

Events are logged as `log.info("upload accepted", extra={"session": sid, "films": n})`; the extra
fields become `key=value` pairs in text and keys in JSON.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from psycopg.conninfo import conninfo_to_dict

# Record attributes that are not event fields (uvicorn adds a coloured copy of its message).
_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime", "color_message"}
_REDACTED = "[redacted]"


class _OneLineFormatter(logging.Formatter):
    """Renders a record as one line and removes every configured secret from it."""

    def __init__(self, as_json: bool, secrets: Iterable[str]) -> None:
        super().__init__()
        self._as_json = as_json
        # Longest first so a secret containing another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, _REDACTED)
        return text

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {key: value for key, value in vars(record).items() if key not in _STANDARD}
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks leak paths, queries and values: one line naming the error is enough.
            error = record.exc_info[1]
            fields["error"] = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        message = record.getMessage().replace("\n", " ")
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        if self._as_json:
            line = json.dumps(
                {
                    "ts": when,
                    "level": record.levelname.lower(),
                    "logger": record.name,
                    "msg": message,
                    **fields,
                },
                default=str,
                ensure_ascii=False,
            )
        else:
            pairs = " ".join(f"{key}={_text_value(value)}" for key, value in fields.items())
            line = f"{when} {record.levelname:<7} {record.name}: {message}" + (f" {pairs}" if pairs else "")
        return self._redact(line)


def _text_value(value: object) -> str:
    text = str(value).replace("\n", " ")
    return f'"{text}"' if (" " in text or not text) else text


def configure(log_format: str, secrets: Iterable[str] = (), level: int = logging.INFO) -> None:
    """Route every logger (ours, uvicorn's, psycopg's) through one formatter on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter(log_format == "json", secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # psycopg_pool reports every failed connection attempt at warning level with the DSN's host;
    # we log the outage ourselves, once.
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)


def secrets_of_dsn(dsn: str) -> list[str]:
    """The password inside a libpq URI or key=value string, if any, for redaction."""
    try:
        password = conninfo_to_dict(dsn).get("password")
    except Exception:  # noqa: BLE001 - a DSN we cannot parse has no password we can find
        return []
    return [str(password)] if password else []
