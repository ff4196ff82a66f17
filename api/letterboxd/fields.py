"""Checking one cell of an export row and turning it into a COPY text value.

Each check raises RowError with a sentence about the cell; the reader adds the file and line.
Dates, ratings and tags repeat a lot in a diary, so their encodings are memoised per upload.
"""

from __future__ import annotations

from datetime import date

from api.letterboxd import copytext

MIN_YEAR, MAX_YEAR = 1870, 2100
MAX_NAME_CHARS = 1000
MAX_URI_CHARS = 2000
MAX_TAGS_CHARS = 4000

# Letterboxd rates in half stars; the export writes whole numbers without a decimal point.
RATINGS = {
    text: f"{value / 2:g}" for value in range(1, 11) for text in {f"{value / 2:g}", f"{value / 2:.1f}"}
}
_REWATCH = {"": "f", "No": "f", "no": "f", "Yes": "t", "yes": "t"}


class RowError(ValueError):
    """A cell that is not what the Letterboxd export writes there."""


def _show(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


class FieldParser:
    """Validates and encodes cells; one per upload, so its memo tables die with the upload."""

    def __init__(self) -> None:
        self._dates: dict[str, str] = {"": copytext.NULL}
        self._tags: dict[str, str] = {"": "{}"}

    def name(self, value: str) -> str:
        """A film title: not blank, not absurdly long; kept exactly as exported."""
        if not value.strip():
            raise RowError("the Name column is empty")
        if len(value) > MAX_NAME_CHARS:
            raise RowError(f"the Name is longer than {MAX_NAME_CHARS} characters")
        return value

    def year(self, value: str) -> int | None:
        """A release year, or None when the export leaves it empty."""
        text = value.strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise RowError(f"Year {_show(value)} is not a year")
        year = int(text)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise RowError(f"Year {year} is not between {MIN_YEAR} and {MAX_YEAR}")
        return year

    def date(self, value: str, column: str) -> str:
        """An ISO date (YYYY-MM-DD) that exists in the calendar, COPY-encoded; empty is NULL."""
        encoded = self._dates.get(value)
        if encoded is not None:
            return encoded
        text = value.strip()
        if not (len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii()):
            raise RowError(f"{column} {_show(value)} is not a date like 2024-01-31")
        try:
            date.fromisoformat(text)
        except ValueError:
            raise RowError(f"{column} {_show(value)} is not a real date") from None
        self._dates[value] = text
        return text

    def rating(self, value: str, required: bool = False) -> str:
        """A rating from 0.5 to 5 in halves, COPY-encoded; empty is NULL unless required."""
        text = value.strip()
        if not text and not required:
            return copytext.NULL
        encoded = RATINGS.get(text)
        if encoded is not None:
            return encoded
        if not text:
            raise RowError("the Rating column is empty")
        try:
            number = float(text)
        except ValueError:
            raise RowError(f"Rating {_show(value)} is not a number") from None
        if not 0.5 <= number <= 5:
            raise RowError(f"Rating {_show(value)} is not between 0.5 and 5")
        raise RowError(f"Rating {_show(value)} is not a whole or half star")

    def rewatch(self, value: str) -> str:
        """The Rewatch column: "Yes" or empty, as a COPY boolean."""
        encoded = _REWATCH.get(value.strip())
        if encoded is None:
            raise RowError(f"Rewatch {_show(value)} is neither Yes nor empty")
        return encoded

    def tags(self, value: str) -> str:
        """Comma-separated tags as a COPY-encoded text[]."""
        encoded = self._tags.get(value)
        if encoded is not None:
            return encoded
        if len(value) > MAX_TAGS_CHARS:
            raise RowError(f"the Tags are longer than {MAX_TAGS_CHARS} characters")
        tags = [tag.strip() for tag in value.split(",")]
        encoded = copytext.text_array([tag for tag in tags if tag])
        self._tags[value] = encoded
        return encoded

    def uri(self, value: str) -> str | None:
        """A Letterboxd URI, kept as text; empty is None."""
        text = value.strip()
        if len(text) > MAX_URI_CHARS:
            raise RowError(f"the Letterboxd URI is longer than {MAX_URI_CHARS} characters")
        return text or None
