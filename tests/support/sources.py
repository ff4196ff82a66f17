"""Building IMDb, Trakt and Netflix export files for tests, shaped as those services write them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from tests.support.exports import csv_bytes

IMDB_RATINGS_OLD = [
    "Const",
    "Your Rating",
    "Date Rated",
    "Title",
    "URL",
    "Title Type",
    "IMDb Rating",
    "Runtime (mins)",
    "Year",
    "Genres",
    "Num Votes",
    "Release Date",
    "Directors",
]
IMDB_RATINGS_NEW = [*IMDB_RATINGS_OLD[:4], "Original Title", *IMDB_RATINGS_OLD[4:]]
IMDB_LIST_OLD = ["Position", "Const", "Created", "Modified", "Description", *IMDB_RATINGS_OLD[3:4]]
IMDB_LIST_OLD += IMDB_RATINGS_OLD[4:]
IMDB_LIST_NEW = [*IMDB_LIST_OLD[:6], "Original Title", *IMDB_LIST_OLD[6:], "Your Rating", "Date Rated"]
NETFLIX_ACTIVITY = [
    "Profile Name",
    "Start Time",
    "Duration",
    "Attributes",
    "Title",
    "Supplemental Video Type",
    "Device Type",
    "Bookmark",
    "Latest Bookmark",
    "Country",
]


def imdb_ratings(rows: Iterable[Sequence[object]], new_header: bool = True) -> bytes:
    """ratings.csv from (Const, Your Rating, Date Rated, Title, Title Type, Year) rows."""
    out = []
    for const, rating, rated, title, title_type, year in rows:
        url = f"https://www.imdb.com/title/{const}/"
        common = [url, title_type, "7.5", "120", year, "Drama", "1000", f"{year}-01-01", "Someone"]
        original = [title] if new_header else []
        out.append([const, rating, rated, title, *original, *common])
    return csv_bytes(IMDB_RATINGS_NEW if new_header else IMDB_RATINGS_OLD, out)


def imdb_list(rows: Iterable[Sequence[object]], new_header: bool = True) -> bytes:
    """A list or watchlist export from (Const, Created, Title, Title Type, Year) rows."""
    out = []
    for position, (const, created, title, title_type, year) in enumerate(rows, 1):
        url = f"https://www.imdb.com/title/{const}/"
        head = [position, const, created, created, "", title]
        tail = [url, title_type, "7.5", "120", year, "Drama", "1000", f"{year}-01-01", "Someone"]
        out.append([*head, title, *tail, "", ""] if new_header else [*head, *tail])
    return csv_bytes(IMDB_LIST_NEW if new_header else IMDB_LIST_OLD, out)


def trakt_movie(
    title: str, year: int | None, imdb: str | None = None, tmdb: int | None = None
) -> dict[str, Any]:
    """A Trakt movie object with its ids."""
    slug = title.lower().replace(" ", "-")
    return {"title": title, "year": year, "ids": {"trakt": 1000, "slug": slug, "imdb": imdb, "tmdb": tmdb}}


def play(ident: int, watched_at: str, movie: dict[str, Any]) -> dict[str, Any]:
    """One movie play of /sync/history."""
    return {"id": ident, "watched_at": watched_at, "action": "scrobble", "type": "movie", "movie": movie}


def episode_play(ident: int, watched_at: str) -> dict[str, Any]:
    """One episode play of /sync/history."""
    show = {"title": "Severance", "year": 2022, "ids": {"trakt": 5, "imdb": "tt11280740", "tmdb": 95396}}
    episode = {"season": 1, "number": 1, "title": "Good News About Hell", "ids": {"trakt": 6}}
    return {
        "id": ident,
        "watched_at": watched_at,
        "action": "watch",
        "type": "episode",
        "episode": episode,
        "show": show,
    }


def watched(movie: dict[str, Any], last_watched_at: str, plays: int = 1) -> dict[str, Any]:
    """One entry of watched-movies.json."""
    return {
        "plays": plays,
        "last_watched_at": last_watched_at,
        "last_updated_at": last_watched_at,
        "movie": movie,
    }


def rating(movie: dict[str, Any], points: int, rated_at: str) -> dict[str, Any]:
    """One entry of ratings-movies.json."""
    return {"rated_at": rated_at, "rating": points, "type": "movie", "movie": movie}


def json_bytes(entries: Any, indent: int | None = 2) -> bytes:
    """A Trakt export file."""
    return json.dumps(entries, indent=indent, ensure_ascii=False).encode("utf-8")


def netflix_history(rows: Iterable[tuple[str, str]]) -> bytes:
    """NetflixViewingHistory.csv from (Title, Date) rows, every field quoted as Netflix does."""
    lines = ['"Title","Date"']
    for title, date in rows:
        escaped = title.replace('"', '""')
        lines.append(f'"{escaped}","{date}"')
    return ("\n".join(lines) + "\n").encode("utf-8")


def netflix_activity(rows: Iterable[Sequence[str]]) -> bytes:
    """ViewingActivity.csv from (Profile Name, Start Time, Duration, Title, Supplemental) rows."""
    out = []
    for profile, start, duration, title, supplemental in rows:
        out.append(
            [
                profile,
                start,
                duration,
                "",
                title,
                supplemental,
                "Chrome PC (Cadmium)",
                duration,
                duration,
                "GB (United Kingdom)",
            ]
        )
    return csv_bytes(NETFLIX_ACTIVITY, out)
