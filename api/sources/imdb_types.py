"""IMDb's title types, in the words of today's exports ("TV Movie") and of older ones (tvMovie).

Films are Movie, TV Movie, Short and Video (IMDb's "Video" is a film released straight to video
or online: direct-to-video features, concert films). Everything else is television, a game, a
podcast or a music video: skipped and counted. TV Specials (award shows, variety and stand-up
specials) and TV Shorts count as television.
"""

from __future__ import annotations

import re

from api.letterboxd.fields import RowError

FILM_TYPES = ("Movie", "TV Movie", "Short", "Video")
NOT_FILM_TYPES = (
    "TV Series",
    "TV Mini Series",
    "TV Episode",
    "TV Special",
    "TV Short",
    "TV Pilot",
    "Video Game",
    "Podcast Series",
    "Podcast Episode",
    "Music Video",
)
_SPACING = re.compile(r"[\s\-]+")


def _key(words: str) -> str:
    # "TV Mini Series", "TV Mini-Series" and "tvMiniSeries" are one type.
    return _SPACING.sub("", words).lower()


_CANONICAL = {_key(name): name for name in (*FILM_TYPES, *NOT_FILM_TYPES)}


def title_type(value: str) -> tuple[str, bool]:
    """The type's name in today's words, and whether it is a film; RowError when unknown."""
    name = _CANONICAL.get(_key(value))
    if name is None:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise RowError(
            f"Title Type {shown!r} is not one of IMDb's title types ({', '.join(FILM_TYPES)}, "
            f"{', '.join(NOT_FILM_TYPES[:4])}, …); if IMDb is set to another language, set it to "
            "English and export again"
        )
    return name, name in FILM_TYPES
