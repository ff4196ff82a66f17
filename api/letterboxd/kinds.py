"""Which Letterboxd file a CSV is: by its header row, and by its name where headers coincide."""

from __future__ import annotations

import enum
import posixpath


class Kind(enum.Enum):
    """The export files that carry films (or, for the watchlist, titles kept apart)."""

    WATCHED = "watched"
    DIARY = "diary"
    RATINGS = "ratings"
    REVIEWS = "reviews"
    LIKES = "likes"
    WATCHLIST = "watchlist"


BASIC = ("Date", "Name", "Year", "Letterboxd URI")
HEADERS: dict[frozenset[str], Kind | None] = {
    # watched.csv, likes/films.csv and watchlist.csv share this header: the name decides.
    frozenset(BASIC): None,
    frozenset((*BASIC, "Rating")): Kind.RATINGS,
    frozenset((*BASIC, "Rating", "Rewatch", "Tags", "Watched Date")): Kind.DIARY,
    frozenset((*BASIC, "Rating", "Rewatch", "Review", "Tags", "Watched Date")): Kind.REVIEWS,
}
KNOWN_COLUMNS = frozenset().union(*HEADERS)
WATCH_FILE_NAMES = frozenset(
    {"watched.csv", "diary.csv", "ratings.csv", "reviews.csv", "watchlist.csv", "films.csv"}
)
WATCH_FILES_HINT = "watched.csv, diary.csv, ratings.csv, reviews.csv, likes/films.csv, watchlist.csv"

# Files of the export that carry no watches of the person's own.
_SKIPPED_FILES = frozenset({"profile.csv", "comments.csv"})
_SKIPPED_FOLDERS = frozenset({"lists", "deleted", "orphaned", "__macosx"})
_SKIPPED_PATHS = frozenset({"likes/lists.csv", "likes/reviews.csv"})


def normalise_path(name: str) -> str:
    """A member or file name with `/` separators and no leading `./`."""
    path = name.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def skip_reason(path: str) -> str | None:
    """Why a file of the export is skipped, or None when it may carry watches."""
    parts = [part.lower() for part in normalise_path(path).split("/") if part]
    if not parts:
        return "not a file"
    if parts[-1].startswith("."):
        return "hidden file"
    if not parts[-1].endswith(".csv"):
        return "not a CSV file"
    if parts[-1] in _SKIPPED_FILES:
        return "carries no watches"
    if any(part in _SKIPPED_FOLDERS for part in parts[:-1]):
        return "carries no watches"
    if "/".join(parts[-2:]) in _SKIPPED_PATHS:
        return "carries no watches"
    return None


def kind_of(path: str, header: list[str]) -> Kind | None:
    """The kind of a file from its header (and name); None when the header is not Letterboxd's."""
    columns = frozenset(header)
    if len(columns) != len(header) or columns not in HEADERS:
        return None
    kind = HEADERS[columns]
    if kind is not None:
        return kind
    name = normalise_path(path).lower().split("/")[-1]
    if name == "watchlist.csv":
        return Kind.WATCHLIST
    # likes/films.csv; a browser's file picker sends it without its folder, as films.csv.
    if name == "films.csv":
        return Kind.LIKES
    return Kind.WATCHED


def display_name(path: str) -> str:
    """How a file is named in messages: the export-relative path, or the base name if it is long."""
    path = normalise_path(path)
    return path if len(path) <= 80 else posixpath.basename(path)[-80:]


def header_problem(name: str, header: list[str]) -> str:
    """Why a header is not one of Letterboxd's export files, in a sentence for the user."""
    unknown = [column for column in header if column not in KNOWN_COLUMNS]
    if unknown:
        shown = ", ".join(repr(column[:40]) for column in unknown[:5])
        return f"{name} has columns that Letterboxd's export files do not have: {shown}"
    if len(set(header)) != len(header):
        return f"{name} names a column twice in its header row"
    return (
        f"{name}'s columns ({', '.join(header)}) are not those of any Letterboxd export file "
        f"({WATCH_FILES_HINT})"
    )
