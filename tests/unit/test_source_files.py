"""Recognising IMDb, Trakt and Netflix files by content, and reading Trakt's JSON in bounded memory."""

from __future__ import annotations

import io
import json

import pytest

from api.sources.detect import Recognised, recognise_csv, recognise_json
from api.sources.jsonarray import MAX_ENTRY_CHARS, JsonArray
from api.sources.source import Source
from tests.support.sources import (
    IMDB_LIST_NEW,
    IMDB_LIST_OLD,
    IMDB_RATINGS_NEW,
    IMDB_RATINGS_OLD,
    NETFLIX_ACTIVITY,
    episode_play,
    play,
    rating,
    trakt_movie,
    watched,
)

HEAT = trakt_movie("Heat", 1995, imdb="tt0113277", tmdb=949)


@pytest.mark.parametrize(
    ("name", "header", "expected"),
    [
        ("ratings.csv", IMDB_RATINGS_NEW, Recognised(Source.IMDB, "ratings")),
        ("ratings.csv", IMDB_RATINGS_OLD, Recognised(Source.IMDB, "ratings")),
        ("WATCHLIST.csv", IMDB_LIST_NEW, Recognised(Source.IMDB, "list", repeatable=True)),
        ("ls001.csv", IMDB_LIST_OLD, Recognised(Source.IMDB, "list", repeatable=True)),
        ("export.csv", ["Title", "Date"], Recognised(Source.NETFLIX, "viewing_history", repeatable=True)),
        ("x.csv", NETFLIX_ACTIVITY, Recognised(Source.NETFLIX, "viewing_activity", repeatable=True)),
        (
            "ratings.csv",
            ["Date", "Name", "Year", "Letterboxd URI", "Rating"],
            Recognised(Source.LETTERBOXD, "ratings"),
        ),
        ("ratings.csv", [*IMDB_RATINGS_NEW, "Mood"], None),
        ("ratings.csv", IMDB_RATINGS_NEW[1:], None),
        ("history.csv", ["Title", "Date", "Date"], None),
    ],
)
def test_a_csv_is_known_by_its_header(name, header, expected):
    assert recognise_csv(name, header) == expected


@pytest.mark.parametrize(
    ("name", "first", "expected"),
    [
        ("a.json", watched(HEAT, "2024-01-01T00:00:00Z"), Recognised(Source.TRAKT, "watched")),
        (
            "a.json",
            play(1, "2024-01-01T00:00:00Z", HEAT),
            Recognised(Source.TRAKT, "history", repeatable=True),
        ),
        (
            "a.json",
            episode_play(1, "2024-01-01T00:00:00Z"),
            Recognised(Source.TRAKT, "history", repeatable=True),
        ),
        ("a.json", rating(HEAT, 8, "2024-01-01T00:00:00Z"), Recognised(Source.TRAKT, "ratings")),
        (
            "watchlist-movies.json",
            {"rank": 1, "listed_at": "x", "type": "movie", "movie": HEAT},
            Recognised(Source.TRAKT, "watchlist", repeatable=True),
        ),
        (
            "lists-favourites.json",
            {"rank": 1, "listed_at": "x", "type": "movie", "movie": HEAT},
            "carries no watches",
        ),
        ("watched-shows.json", {"plays": 3, "last_watched_at": "x", "show": {}}, "shows are not films"),
        (
            "ratings-shows.json",
            {"rated_at": "x", "rating": 8, "type": "show", "show": {}},
            "shows, seasons and episodes are not films",
        ),
        ("collection-movies.json", {"collected_at": "x", "movie": HEAT}, "carries no watches"),
        ("watched-movies.json", None, Recognised(Source.TRAKT, "watched")),
        ("history-3.json", None, Recognised(Source.TRAKT, "history", repeatable=True)),
        ("ratings-movies.json", None, Recognised(Source.TRAKT, "ratings")),
        ("comments.json", None, "empty"),
        ("network-friends.json", {"friends_at": "x", "user": {}}, None),
    ],
)
def test_a_trakt_file_is_known_by_its_first_entry_or_when_empty_by_its_name(name, first, expected):
    assert recognise_json(name, first) == expected


class _LazyHistory(io.RawIOBase):
    """A history of `count` plays, produced as it is read: never whole in memory."""

    def __init__(self, count: int) -> None:
        self._entries = iter(range(count))
        self._pending = b"[\n"
        self._closed = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while len(self._pending) < len(buffer) and not self._closed:
            n = next(self._entries, None)
            if n is None:
                self._pending += b"\n]\n"
                self._closed = True
            else:
                entry = json.dumps(play(n, "2024-01-01T20:00:00Z", trakt_movie(f"Film {n}", 2000)), indent=1)
                self._pending += (b",\n" if n else b"") + entry.encode()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def test_a_big_history_is_parsed_entry_by_entry_in_bounded_memory():
    array = JsonArray(io.BufferedReader(_LazyHistory(60_000)), "history-1.json")  # about 20 MB
    assert array.top_level() == "["
    largest = count = 0
    for _line, entry in array.entries():
        count += 1
        largest = max(largest, len(array._buffer))
        assert entry["movie"]["title"] == f"Film {count - 1}"
    assert count == 60_000
    assert largest <= MAX_ENTRY_CHARS + 64 * 1024


def test_problems_name_the_line_where_they_are():
    text = b'[\n {"id": 1},\n {"id": 2,\n  "x": tru}\n]'
    array = JsonArray(io.BytesIO(text), "history-1.json")
    with pytest.raises(Exception, match=r"history-1.json, line 4: it is not valid JSON"):
        list(array.entries())
