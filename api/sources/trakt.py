"""Trakt's data export: watched-movies.json, history-*.json (split over several files),
ratings-movies.json and watchlist-movies.json, as its zip or as separate files. Their entries
are those of Trakt's API (/sync/watched/movies, /sync/history, /sync/ratings, /sync/watchlist):

    {"plays": 2, "last_watched_at": "2024-03-01T20:15:00.000Z", "movie": {"title": "Heat",
     "year": 1995, "ids": {"trakt": 1, "slug": "heat-1995", "imdb": "tt0113277", "tmdb": 949}}}
    {"id": 9001, "watched_at": "…", "action": "scrobble", "type": "movie", "movie": {…}}
    {"rated_at": "…", "rating": 8, "type": "movie", "movie": {…}}
    {"rank": 1, "listed_at": "…", "type": "movie", "movie": {…}}

A film is its movie, known by its IMDb id, else its TMDB id, else its title and year. Watches are
the history's plays (on their UTC day); a watched movie without a play in the uploaded history
gets one watch dated by its last_watched_at. Shows, seasons and episodes are skipped and counted.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable
from typing import Any

from api.letterboxd import copytext
from api.letterboxd.export import Export, FileSummary, Film
from api.letterboxd.fields import RowError
from api.sources import cells
from api.sources.jsonarray import JsonArray
from api.sources.watches import WatchLog, film_for

WATCHED, HISTORY, RATINGS, WATCHLIST = "watched", "history", "ratings", "watchlist"
REPEATABLE = frozenset({HISTORY, WATCHLIST})  # history is split over files; watchlists merge
_TYPES = ("movie", "show", "season", "episode")
_MAX_TMDB_ID = 2**31 - 1
Entry = dict[str, Any]


def kind_of(path: str, first: Entry | None) -> tuple[str | None, str | None] | None:
    """(kind, None) for a Trakt file to read, (None, reason) for one to skip, None if not Trakt's.

    The first entry's fields decide; an empty array is known by its file name.
    """
    base = posixpath.basename(path.lower())
    if first is None:
        for kind, matches in ((WATCHED, "watched-movies"), (HISTORY, "history"), (RATINGS, "ratings-movies")):
            if base.startswith(matches):
                return kind, None
        return (WATCHLIST, None) if base.startswith("watchlist") else (None, "empty")
    if "watched_at" in first:
        return HISTORY, None
    if "last_watched_at" in first or "plays" in first:
        return (WATCHED, None) if "movie" in first else (None, "shows are not films")
    if "rated_at" in first:
        if first.get("type") == "movie" or "movies" in base:
            return RATINGS, None
        return None, "shows, seasons and episodes are not films"
    if "listed_at" in first:
        return (WATCHLIST, None) if base.startswith("watchlist") else (None, "carries no watches")
    if {"collected_at", "last_collected_at", "paused_at"} & first.keys():
        return None, "carries no watches"
    return None


class TraktReader:
    """Adds Trakt files to the upload's Export: movies, their plays, ratings and watchlist."""

    def __init__(self, export: Export) -> None:
        self.export = export
        self._plays = WatchLog()
        self._played: set[int] = set()
        self._last_watched: dict[int, tuple[str, str | None]] = {}
        self._history_ids: set[int] = set()
        self._handlers: dict[str, Callable[[Entry], str | None]] = {
            WATCHED: self._watched,
            HISTORY: self._history,
            RATINGS: self._rating,
            WATCHLIST: self._listed,
        }

    def add_file(self, array: JsonArray, kind: str, summary: FileSummary) -> None:
        """Read every entry of a Trakt file of `kind`, counting those that are not films."""
        handle = self._handlers[kind]
        skipped: Counter[str] = Counter()
        for number, (line, entry) in enumerate(array.entries(), 1):
            try:
                reason = handle(entry)
            except RowError as problem:
                raise array.error(line, f"entry {number}: {problem}") from None
            summary.rows += 1
            if reason:
                skipped[reason] += 1
        summary.skipped.update(skipped)

    def finish(self) -> None:
        """Write the plays, and one watch for each watched movie the history has no play of."""
        for film_no, (day, when) in self._last_watched.items():
            if film_no not in self._played:
                self._plays.add(film_no, day, when=when)
        self._plays.write(self.export)

    def _history(self, entry: Entry) -> str | None:
        kind = _type(entry)
        ident = entry.get("id")
        if ident is not None:
            if isinstance(ident, bool) or not isinstance(ident, int):
                raise RowError(f"id {cells.shown(ident)} is not a number")
            if ident in self._history_ids:
                return "duplicate"  # the same play in two uploaded files
            self._history_ids.add(ident)
        day, when = _moment(entry, "watched_at")
        if kind != "movie":
            return kind
        film_no = self._film(entry).film_no
        self._plays.add(film_no, day, when=when)
        self._played.add(film_no)
        return None

    def _watched(self, entry: Entry) -> str | None:
        plays = entry.get("plays", 1)
        if isinstance(plays, bool) or not isinstance(plays, int) or plays < 0:
            raise RowError(f"plays {cells.shown(plays)} is not a count")
        day, when = _moment(entry, "last_watched_at")
        film_no = self._film(entry).film_no
        known = self._last_watched.get(film_no)
        if known is None or (when or "") > (known[1] or ""):
            self._last_watched[film_no] = (day, when)
        return None

    def _rating(self, entry: Entry) -> str | None:
        kind = _type(entry)
        day, _ = _moment(entry, "rated_at")
        rating = cells.ten_point_rating(entry.get("rating"), "rating")
        if kind != "movie":
            return kind
        film = self._film(entry)
        # A movie rated twice keeps its latest rating (ISO dates compare correctly as text).
        newer = day != copytext.NULL and (film.rated_on == copytext.NULL or day >= film.rated_on)
        if film.rating == copytext.NULL or newer:
            film.rating, film.rated_on = rating, day
        return None

    def _listed(self, entry: Entry) -> str | None:
        kind = _type(entry)
        day, _ = _moment(entry, "listed_at")
        if kind != "movie":
            return kind
        name, year, _, _ = _movie(entry)
        self.export.watchlist.setdefault((name, year), (None, day))
        return None

    def _film(self, entry: Entry) -> Film:
        name, year, imdb, tmdb = _movie(entry)
        key = ("imdb", imdb) if imdb else ("tmdb", tmdb) if tmdb else (name, year)
        film = film_for(self.export, key, name, year)
        film.imdb_id = film.imdb_id or imdb
        film.source_tmdb_id = film.source_tmdb_id or tmdb
        return film


def _type(entry: Entry) -> str:
    kind = entry.get("type", "movie" if "movie" in entry else None)
    if kind is None:
        raise RowError("it has neither a type nor a movie")
    if kind not in _TYPES:
        raise RowError(f"type {cells.shown(kind)} is not movie, show, season or episode")
    return str(kind)


def _moment(entry: Entry, key: str) -> tuple[str, str | None]:
    """(UTC day, UTC time) of a timestamp field; a missing or null one dates nothing (NULL)."""
    value = entry.get(key)
    if value is None:
        return copytext.NULL, None
    when = cells.utc_timestamp(value, key)
    return when[:10], when


def _movie(entry: Entry) -> tuple[str, int | None, str | None, int | None]:
    """The movie's title, year, IMDb id and TMDB id."""
    movie = entry.get("movie")
    if not isinstance(movie, dict):
        raise RowError("it has no movie object")
    name = cells.title(movie.get("title"), "movie title")
    year = cells.year(movie.get("year"), "movie year")
    ids = movie.get("ids") or {}
    if not isinstance(ids, dict):
        raise RowError("the movie's ids are not an object")
    imdb = ids.get("imdb")
    imdb = None if imdb in (None, "") else cells.imdb_id(imdb, "ids.imdb")
    tmdb = ids.get("tmdb")
    if tmdb is not None and (
        isinstance(tmdb, bool) or not isinstance(tmdb, int) or not 0 < tmdb <= _MAX_TMDB_ID
    ):
        raise RowError(f"ids.tmdb {cells.shown(tmdb)} is not a TMDB id")
    return name, year, imdb, tmdb
