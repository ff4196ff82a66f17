"""Normalising titles so that the export's spelling and TMDB's compare equal when they mean the same.

Case, accents, punctuation (`·`, `*`, `:`, en dashes…), `&` against `and`, and spacing are ignored;
letters of every script are kept, so 기생충 and 千と千尋の神隠し still compare as themselves.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
_DIACRITICS = re.compile("[\u0300-\u036f]")


def title_key(title: str) -> str:
    """The comparison form of a title: `"WALL·E"` and `"Wall-E"` both give `"wall e"`."""
    decomposed = unicodedata.normalize("NFKD", title)
    # Only the Latin diacritics go (é -> e); marks other scripts need (Japanese dakuten) stay.
    bare = unicodedata.normalize("NFC", _DIACRITICS.sub("", decomposed))
    words = _NOT_WORD.sub(" ", bare.casefold().replace("&", " and "))
    return " ".join(words.split())


def release_year(result: dict[str, object]) -> int | None:
    """The year of a TMDB result's primary release date, if it has one."""
    date = result.get("release_date")
    if isinstance(date, str) and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None
