"""Normalising titles so that the export's spelling and TMDB's compare equal when they mean the same.

Two titles are the same title when their keys are equal. The key ignores case, accents,
punctuation (`·`, `*`, `:`, en dashes…) and spacing, and applies a short list of equivalences that
never turn one film's title into another's:

- a leading English article: "The Harbour" = "Harbour";
- `&` = `and`;
- letters that Unicode does not decompose: ø, ł, æ, œ, ß, đ, ð, þ ("Smørrebrød" = "Smorrebrod");
- roman numerals after the first word = arabic numerals with the same number ("Rocky II" =
  "Rocky 2", never "Rocky III");
- `Vol.` = `Volume`, and number words after Part / Chapter / Volume / Episode / Book = digits
  ("Part One" = "Part 1").

Nothing else: a longer or shorter title, a plural, a sibling number, or a near spelling gives a
different key. Letters of every script are kept, so 기생충 and 千と千尋の神隠し compare as themselves.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
_DIACRITICS = re.compile("[\u0300-\u036f]")
# Letters NFKD leaves whole; folded as a person typing without them would write them.
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
_ARTICLES = frozenset({"the", "a", "an"})
_ROMAN = {
    numeral: str(number)
    for number, numeral in enumerate(
        "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(),  # noqa: SIM905
        start=1,
    )
}
_COUNTERS = frozenset({"part", "chapter", "volume", "episode", "book"})
_NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
        start=1,
    )
}
_NUMBER_WORDS.update(
    (word, str(number))
    for number, word in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"),
        start=1,
    )
)


def _words(title: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", title)
    # Only the Latin diacritics go (é -> e); marks other scripts need (Japanese dakuten) stay.
    bare = unicodedata.normalize("NFC", _DIACRITICS.sub("", decomposed))
    folded = bare.casefold().translate(_LETTERS).replace("&", " and ")
    return _NOT_WORD.sub(" ", folded).split()


def _canonical(words: list[str]) -> list[str]:
    out: list[str] = []
    for position, raw in enumerate(words):
        word = "volume" if raw == "vol" else raw
        if position > 0 and word in _ROMAN:
            word = _ROMAN[word]
        elif out and out[-1] in _COUNTERS and word in _NUMBER_WORDS:
            word = _NUMBER_WORDS[word]
        out.append(word)
    if len(out) > 1 and out[0] in _ARTICLES:
        out = out[1:]
    return out


def title_key(title: str) -> str:
    """The comparison form of a title: `"WALL·E"` and `"Wall-E"` both give `"wall e"`."""
    return " ".join(_canonical(_words(title)))


_ARABIC = {number: numeral for numeral, number in _ROMAN.items()}
_SPELLED = {digit: word for word, digit in list(_NUMBER_WORDS.items())[:12]}


def search_variant(title: str) -> str | None:
    """The title spelled the other way wherever an equivalence allows (roman and arabic
    numerals swapped, `Part 1` and `Part One`, `Vol.` and `Volume`, `and` as `&`, no leading
    article), or None when there is no other way. A search engine matches words, not these
    equivalences, so a title TMDB spells the other way is only found by searching for it so."""
    words = _NOT_WORD.sub(" ", title.casefold().replace("&", " and ")).split()
    out: list[str] = []
    for position, word in enumerate(words):
        after_counter = bool(out) and out[-1] in _COUNTERS - {"volume"}
        after_volume = bool(out) and out[-1] in {"vol", "volume"}
        if position == 0 and word in _ARTICLES and len(words) > 1:
            continue
        if word == "and":
            out.append("&")
        elif word in {"vol", "volume"}:
            out.append("volume" if word == "vol" else "vol")
        elif after_volume:
            out.append(word)  # the volume word is swapped already: one change is enough
        elif position > 0 and word in _ROMAN:
            out.append(_ROMAN[word])
        elif after_counter and word in _SPELLED:
            out.append(_SPELLED[word])
        elif after_counter and word in _NUMBER_WORDS:
            out.append(_NUMBER_WORDS[word])
        elif position > 0 and word in _ARABIC:
            out.append(_ARABIC[word])
        else:
            out.append(word)
    variant = " ".join(out)
    return variant if variant != " ".join(words) else None


def release_year(result: dict[str, object]) -> int | None:
    """The year of a TMDB result's primary release date, if it has one."""
    date = result.get("release_date")
    if isinstance(date, str) and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None
