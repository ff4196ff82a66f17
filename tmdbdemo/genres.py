"""TMDB's movie genres: the 19 real ids and English names that `/genre/movie/list` answers."""

from __future__ import annotations

from typing import Final

# In TMDB's own order, so `/genre/movie/list` matches the real response byte for byte in content.
GENRES: Final[tuple[tuple[int, str], ...]] = (
    (28, "Action"),
    (12, "Adventure"),
    (16, "Animation"),
    (35, "Comedy"),
    (80, "Crime"),
    (99, "Documentary"),
    (18, "Drama"),
    (10751, "Family"),
    (14, "Fantasy"),
    (36, "History"),
    (27, "Horror"),
    (10402, "Music"),
    (9648, "Mystery"),
    (10749, "Romance"),
    (878, "Science Fiction"),
    (10770, "TV Movie"),
    (53, "Thriller"),
    (10752, "War"),
    (37, "Western"),
)

GENRE_ID: Final[dict[str, int]] = {name: genre_id for genre_id, name in GENRES}


def genre_list() -> dict[str, list[dict[str, object]]]:
    """The body of `GET /3/genre/movie/list`: `{"genres": [{"id", "name"}, ...]}`."""
    return {"genres": [{"id": genre_id, "name": name} for genre_id, name in GENRES]}
