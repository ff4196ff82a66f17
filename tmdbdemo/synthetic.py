"""Generated films for load tests: film n is computed from n on demand, never stored.

Film n (1 <= n <= the `synthetic_films` switch) has id 10_000_000 + n, the IMDb id
tt9NNNNNNN (90_000_000 + n: far above any real title's) and the title "Synthetic Feature NNNNN";
a search finds it only by exactly that title, so no search ever scans the generated range.
"""

from __future__ import annotations

import re

from tmdbdemo.films import Country, Film, Language, Person
from tmdbdemo.genres import GENRES

ID_BASE = 10_000_000
IMDB_BASE = 90_000_000
# Synthetic people get ids of their own, apart from the bundled catalogue's name-derived ones.
_DIRECTOR_ID_BASE = 30_000_000
_ACTOR_ID_BASE = 31_000_000
_LANGUAGES = ("en", "fr", "ja", "ko", "es", "de", "it")
_LANGUAGE = {
    "en": (Language("en", "English", "English"), Country("US", "United States of America")),
    "fr": (Language("fr", "French", "Français"), Country("FR", "France")),
    "ja": (Language("ja", "Japanese", "日本語"), Country("JP", "Japan")),
    "ko": (Language("ko", "Korean", "한국어/조선말"), Country("KR", "South Korea")),
    "es": (Language("es", "Spanish", "Español"), Country("ES", "Spain")),
    "de": (Language("de", "German", "Deutsch"), Country("DE", "Germany")),
    "it": (Language("it", "Italian", "Italiano"), Country("IT", "Italy")),
}
_TITLE_QUERY = re.compile(r"^synthetic feature (\d{5,})$")


def synthetic_title(n: int) -> str:
    """The title of synthetic film n, e.g. "Synthetic Feature 00042"."""
    return f"Synthetic Feature {n:05d}"


def synthetic_year(n: int) -> int:
    """The release year of synthetic film n (1950..2019)."""
    return 1950 + n % 70


def synthetic_id(n: int) -> int:
    """The TMDB id of synthetic film n."""
    return ID_BASE + n


def synthetic_imdb_id(n: int) -> str:
    """The IMDb id of synthetic film n, e.g. "tt90000042"."""
    return f"tt{IMDB_BASE + n}"


def number_for_imdb_id(imdb_id: str, count: int) -> int | None:
    """n when `imdb_id` is a synthetic film's among the first `count`, else None."""
    digits = imdb_id[2:]
    if not (imdb_id.startswith("tt") and digits.isascii() and digits.isdigit()):
        return None
    n = int(digits) - IMDB_BASE
    return n if 1 <= n <= count and synthetic_imdb_id(n) == imdb_id else None


def number_for_id(film_id: int, count: int) -> int | None:
    """n when `film_id` is a synthetic film among the first `count`, else None."""
    n = film_id - ID_BASE
    return n if 1 <= n <= count else None


def number_for_query(normalised: str, count: int) -> int | None:
    """n when the normalised query is exactly synthetic film n's title, else None."""
    match = _TITLE_QUERY.match(normalised)
    if match is None:
        return None
    n = int(match.group(1))
    if not 1 <= n <= count or synthetic_title(n).lower() != normalised:
        return None  # "synthetic feature 000042" names no film: titles pad to five digits
    return n


def synthetic_film(n: int) -> Film:
    """Synthetic film n, built from n alone so every call returns the same facts."""
    title = synthetic_title(n)
    language, country = _LANGUAGE[_LANGUAGES[n % len(_LANGUAGES)]]
    first = n % len(GENRES)
    # An offset in 1..len-2 can never wrap round to `first`, so the two genres differ.
    second = (first + 1 + n % (len(GENRES) - 2)) % len(GENRES)
    director = n % 400
    actors = [(n * 7 + i) % 2000 for i in range(5)]
    return Film(
        id=synthetic_id(n),
        title=title,
        original_title=title,
        original_language=language.iso_639_1,
        release_date=f"{synthetic_year(n)}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        other_release_years=(),
        runtime=80 + n % 70,
        genres=(GENRES[first][1], GENRES[second][1]),
        directors=(Person(_DIRECTOR_ID_BASE + director, f"Director {director:03d}"),),
        cast=tuple(Person(_ACTOR_ID_BASE + a, f"Actor {a:04d}") for a in actors),
        production_countries=(country,),
        spoken_languages=(language,),
        popularity=float(1 + n % 50),
        vote_average=round(5.0 + (n % 40) / 10, 1),
        vote_count=10 + n % 990,
        alternative_titles=(),
        imdb_id=synthetic_imdb_id(n),
        overview=f"A generated film, number {n}, for load tests of reelstats.",
    )
