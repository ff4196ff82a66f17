"""Title normalisation for search: case-, accent- and punctuation-insensitive words.

TMDB matches each word of a query against the start of a word of a title. Here a title yields
two spellings of its words, so "Spider-Man" is found by "spider man" and by "spiderman", and
"WALL·E" by "wall e" and by "walle"; the query is always split at punctuation.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
# French elision ("d'une", "l'homme", "qu'il"): the apostrophe separates two words, so the
# squashed spelling must not glue them ("d'une" is no "dune"), unlike "Pan's" -> "pans".
_ELISION = re.compile(r"\b(qu|[^\W\d_])['’](?=\w)")
# Characters past this are not Latin: their combining marks (Japanese dakuten, for instance)
# change the letter rather than accent it, so they are kept.
_LAST_LATIN = 0x024F
# Latin letters without a decomposition, folded as a search engine's ASCII folding does.
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE", "œ": "oe", "đ": "d"})


def fold(text: str) -> str:
    """Lower-case `text`, strip accents from Latin letters and spread vulgar fractions out.

    "Amélie" becomes "amelie" and "8½" becomes "8 1", fraction slash, "2" (words 8, 1 and 2);
    Hangul and kana come back composed as they went in.
    """
    pieces: list[str] = []
    for char in text:
        if unicodedata.decomposition(char).startswith("<fraction>"):
            # "8½" is "8 1/2", not "81/2": keep the whole number apart from the fraction.
            pieces.append(" " + unicodedata.normalize("NFKD", char) + " ")
        else:
            pieces.append(char)
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", "".join(pieces)):
        if unicodedata.combining(char) and kept and ord(kept[-1]) <= _LAST_LATIN:
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_LETTERS).casefold()


def query_words(query: str) -> tuple[str, ...]:
    """The words of a search query: folded, split at every space and punctuation mark."""
    return tuple(_WORD.findall(fold(query)))


def normalised_query(query: str) -> str:
    """The query as one string of folded words joined by single spaces."""
    return " ".join(query_words(query))


def title_words(title: str) -> frozenset[str]:
    """Every word a query word may be a prefix of, for one title.

    The union of the title split at punctuation ("spider", "man") and the title with
    punctuation inside words removed ("spiderman"), so both spellings of a query match.
    """
    folded = fold(title)
    spaced = _WORD.findall(folded)
    squashed = [
        "".join(_WORD.findall(chunk)) for chunk in _ELISION.sub(r"\1 ", folded).split() if _WORD.search(chunk)
    ]
    return frozenset(spaced) | frozenset(squashed)


def matches(words: tuple[str, ...], candidates: frozenset[str]) -> bool:
    """True when every query word starts some word of the title; an empty query matches none."""
    if not words:
        return False
    return all(any(candidate.startswith(word) for candidate in candidates) for word in words)
