"""Values in PostgreSQL's COPY text format, so stored rows stream to the database in big blocks."""

from __future__ import annotations

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def field(value: str | None) -> str:
    """One text column: tabs, newlines and backslashes escaped; None is NULL."""
    if value is None:
        return NULL
    return value.translate(_ESCAPES)


def text_array(items: list[str]) -> str:
    """A `text[]` column: each element double-quoted for the array parser, then COPY-escaped."""
    quoted = ('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)
    return field("{" + ",".join(quoted) + "}")
