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


_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def decode_line(line: str) -> list[str | None]:
    """The fields of one COPY text line (the inverse of `field`, tab-separated, NULL as None)."""
    fields: list[str | None] = []
    for raw in line.rstrip("\n").split("\t"):
        if raw == NULL:
            fields.append(None)
            continue
        if "\\" not in raw:
            fields.append(raw)
            continue
        out: list[str] = []
        chars = iter(raw)
        for char in chars:
            out.append(_UNESCAPES.get(next(chars, ""), "") if char == "\\" else char)
        fields.append("".join(out))
    return fields
