"""The services whose exports an upload may hold, and how messages name them."""

from __future__ import annotations

import enum


class Source(enum.Enum):
    """Where an export comes from; stored as upload_sessions.source."""

    LETTERBOXD = "letterboxd"
    IMDB = "imdb"
    TRAKT = "trakt"
    NETFLIX = "netflix"

    @property
    def label(self) -> str:
        """The service's name as people write it."""
        return _LABELS[self]


_LABELS = {
    Source.LETTERBOXD: "Letterboxd",
    Source.IMDB: "IMDb",
    Source.TRAKT: "Trakt",
    Source.NETFLIX: "Netflix",
}

ALL_FILES_HINT = (
    "Letterboxd's export zip or its CSVs, IMDb's ratings or list/watchlist CSV, Trakt's export zip "
    "or its watched-movies.json, history-*.json and ratings-movies.json, or Netflix's "
    "NetflixViewingHistory.csv or ViewingActivity.csv"
)
