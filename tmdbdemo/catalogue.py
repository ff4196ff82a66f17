"""The bundled catalogue: real films (catalogue.json) and invented decoys (decoys.json), loaded
once per app and indexed.

The JSON holds names (genres, countries, languages, people) as TMDB spells them; loading checks
every film so a bad edit fails at start-up rather than as a wrong answer later.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from tmdbdemo.films import Country, Film, Language, person
from tmdbdemo.genres import GENRE_ID
from tmdbdemo.text import query_words, title_words

REQUIRED_FIELDS = (
    "id",
    "title",
    "original_title",
    "original_language",
    "release_date",
    "other_release_years",
    "runtime",
    "genres",
    "directors",
    "cast",
    "production_countries",
    "spoken_languages",
    "popularity",
    "vote_average",
    "vote_count",
    "alternative_titles",
    "imdb_id",
    "overview",
)
# catalogue.json holds real films; decoys.json invented namesakes for the matching benchmark
# (written by tools/make_decoys.py).
CATALOGUE_FILES = ("catalogue.json", "decoys.json")
# Bundled ids stay below the synthetic range (10_000_000 + n) so the two never collide.
MAX_BUNDLED_ID = 9_999_999
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_IMDB = re.compile(r"^tt\d{7,8}$")


class CatalogueError(ValueError):
    """A film in the catalogue file is malformed; the message names the film."""


@dataclass(frozen=True, slots=True)
class Indexed:
    """A film with the folded words of each of its titles, ready for matching and ranking:
    `title_words` the words a query word may start (see text.title_words), `title_forms` each
    title's words in order."""

    film: Film
    title_words: tuple[frozenset[str], ...]
    title_forms: tuple[tuple[str, ...], ...]


class Catalogue:
    """The bundled films by id, and in search order (most popular first)."""

    def __init__(self, films: Iterable[Film]) -> None:
        ordered = sorted(films, key=lambda film: (-film.popularity, film.id))
        self.by_id: dict[int, Film] = {}
        for film in ordered:
            if film.id in self.by_id:
                raise CatalogueError(f"film id {film.id} appears twice")
            self.by_id[film.id] = film
        self.indexed: tuple[Indexed, ...] = tuple(
            Indexed(
                film,
                tuple(title_words(title) for title in film.titles()),
                tuple(query_words(title) for title in film.titles()),
            )
            for film in ordered
        )
        # Every title word, sorted, with the films that have it: a query word's films are those
        # of the words it starts, found by bisection, so a search never scans the catalogue.
        films_by_word: dict[str, set[int]] = {}
        for position, entry in enumerate(self.indexed):
            for words in entry.title_words:
                for word in words:
                    films_by_word.setdefault(word, set()).add(position)
        self._words = sorted(films_by_word)
        self._films_by_word = [frozenset(films_by_word[word]) for word in self._words]
        _check_person_ids(ordered)

    def candidates(self, words: tuple[str, ...]) -> list[Indexed]:
        """The films some title of which has, for every query word, a word it starts (a superset
        of the matches, in catalogue order; the caller checks each title)."""
        found: set[int] | None = None
        for word in words:
            start = bisect.bisect_left(self._words, word)
            stop = bisect.bisect_left(self._words, word + "\U0010ffff", lo=start)
            having = set().union(*self._films_by_word[start:stop])
            found = having if found is None else found & having
            if not found:
                return []
        return [self.indexed[position] for position in sorted(found or ())]

    def __len__(self) -> int:
        return len(self.by_id)


def load_catalogue(files: tuple[str, ...] = CATALOGUE_FILES) -> Catalogue:
    """The catalogue shipped inside the package (real films, then the invented decoys), checked
    film by film."""
    films: list[Film] = []
    for name in files:
        raw = json.loads(resources.files("tmdbdemo").joinpath(name).read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or not isinstance(raw.get("films"), list):
            raise CatalogueError(f'{name} must be an object with a "films" list')
        films.extend(film_from_json(item) for item in raw["films"])
    return Catalogue(films)


def film_from_json(item: Mapping[str, Any]) -> Film:
    """One catalogue entry as a Film; CatalogueError says which film and field is wrong."""
    label = f"film {item.get('id')!r} ({item.get('title')!r})"
    missing = [name for name in REQUIRED_FIELDS if name not in item]
    if missing:
        raise CatalogueError(f"{label} lacks {', '.join(missing)}")
    film_id = item["id"]
    if not isinstance(film_id, int) or not 0 < film_id <= MAX_BUNDLED_ID:
        raise CatalogueError(f"{label}: id must be an integer in 1..{MAX_BUNDLED_ID}")
    if not _DATE.match(item["release_date"]):
        raise CatalogueError(f"{label}: release_date must be YYYY-MM-DD")
    unknown = [name for name in item["genres"] if name not in GENRE_ID]
    if unknown:
        raise CatalogueError(f"{label}: unknown genres {unknown}")
    imdb_id = item["imdb_id"]
    if imdb_id is not None and not _IMDB.match(imdb_id):
        raise CatalogueError(f"{label}: imdb_id {imdb_id!r} is not tt and 7-8 digits")
    if not item["directors"] or not item["cast"]:
        raise CatalogueError(f"{label}: needs at least one director and one cast member")
    return Film(
        id=film_id,
        title=item["title"],
        original_title=item["original_title"],
        original_language=item["original_language"],
        release_date=item["release_date"],
        other_release_years=tuple(int(year) for year in item["other_release_years"]),
        runtime=item["runtime"],
        genres=tuple(item["genres"]),
        directors=tuple(person(name) for name in item["directors"]),
        cast=tuple(person(name) for name in item["cast"]),
        production_countries=tuple(
            Country(country["iso_3166_1"], country["name"]) for country in item["production_countries"]
        ),
        spoken_languages=tuple(
            Language(lang["iso_639_1"], lang["english_name"], lang["name"])
            for lang in item["spoken_languages"]
        ),
        popularity=float(item["popularity"]),
        vote_average=float(item["vote_average"]),
        vote_count=int(item["vote_count"]),
        alternative_titles=tuple(item["alternative_titles"]),
        imdb_id=imdb_id,
        overview=item["overview"],
    )


def _check_person_ids(films: Iterable[Film]) -> None:
    """Refuse two different names hashing to one person id (it would merge two people)."""
    names: dict[int, str] = {}
    for film in films:
        for who in (*film.directors, *film.cast):
            if names.setdefault(who.id, who.name) != who.name:
                raise CatalogueError(f"person id {who.id} is shared by {who.name!r} and {names[who.id]!r}")
