"""The film record every other module works from, for bundled and synthetic films alike."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

# Person ids are derived from names so one person has one id across films; this range keeps
# them apart from synthetic people and inside a 32-bit signed integer, as TMDB ids are.
_PERSON_ID_BASE = 100_000_000
_PERSON_ID_SPAN = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Country:
    """A production country as TMDB names it: ISO 3166-1 code and English name."""

    iso_3166_1: str
    name: str


@dataclass(frozen=True, slots=True)
class Language:
    """A spoken language as TMDB names it: ISO 639-1 code, English and native name."""

    iso_639_1: str
    english_name: str
    name: str


@dataclass(frozen=True, slots=True)
class Person:
    """A director or cast member; `id` is stable for the same name everywhere."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Film:
    """One film with the facts the fake TMDB answers about it.

    `release_date` is the primary date ("YYYY-MM-DD" or ""), `other_release_years` the years of
    any other release (a festival premiere, a release abroad) that `year=` also finds.
    `cast` is in billing order.
    """

    id: int
    title: str
    original_title: str
    original_language: str
    release_date: str
    other_release_years: tuple[int, ...]
    runtime: int | None
    genres: tuple[str, ...]
    directors: tuple[Person, ...]
    cast: tuple[Person, ...]
    production_countries: tuple[Country, ...]
    spoken_languages: tuple[Language, ...]
    popularity: float
    vote_average: float
    vote_count: int
    alternative_titles: tuple[str, ...]
    imdb_id: str | None
    overview: str

    @property
    def year(self) -> int | None:
        """The year of the primary release date, or None when the date is unknown."""
        return int(self.release_date[:4]) if self.release_date else None

    def released_in(self, year: int) -> bool:
        """True when the primary release or any other release falls in `year`."""
        return self.year == year or year in self.other_release_years

    def titles(self) -> tuple[str, ...]:
        """Every title a search looks at: title, original title and alternative titles."""
        return (self.title, self.original_title, *self.alternative_titles)


def person(name: str) -> Person:
    """A bundled-catalogue person whose id is derived from the name alone."""
    return Person(_PERSON_ID_BASE + zlib.crc32(name.encode()) % _PERSON_ID_SPAN, name)
