"""Choosing the right TMDB film for an export title, against the loopback TMDB's real catalogue."""

from __future__ import annotations

import asyncio

import pytest

from tmdbdemo.testing import FakeTmdb
from worker.config import WorkerConfig
from worker.tmdb.client import TmdbClient, create_http_client
from worker.tmdb.matching import Matcher
from worker.tmdb.titles import title_key


class Unlimited:
    """No fleet schedule: these tests look at choices, not at rates."""

    async def acquire(self) -> None:
        return None

    async def pause(self, seconds: float) -> None:
        return None

    async def reject(self) -> None:
        return None


@pytest.fixture(scope="module")
def tmdb():
    with FakeTmdb() as fake:
        yield fake


def choose(tmdb, name, year):
    async def run():
        config = WorkerConfig(database_url="postgresql://unused", tmdb_base_url=tmdb.base_url)
        async with create_http_client(config) as http:
            return await Matcher(TmdbClient(http, 4, Unlimited())).choose(name, year)

    return asyncio.run(run())


TRAPS = [
    # remakes told apart by year
    ("Dune", 1984, 841),
    ("Dune", 2021, 438631),
    ("The Thing", 1982, 1091),
    ("The Thing", 2011, 60935),
    ("Suspiria", 1977, 11906),
    ("Suspiria", 2018, 361292),
    ("Psycho", 1960, 539),
    ("Psycho", 1998, 9000006),
    ("Solaris", 1972, 593),
    ("Solaris", 2002, 9000007),
    ("Halloween", 1978, 948),
    ("Halloween", 2007, 9000009),
    ("Halloween", 2018, 424139),
    ("Oldboy", 2003, 670),
    ("Oldboy", 2013, 9000011),
    ("Crash", 1996, 9000005),
    ("Crash", 2004, 9000008),
    # an obscure film sharing a popular film's title
    ("Heat", 1972, 9000002),
    ("Heat", 1995, 949),
    ("Parasite", 1982, 9000004),
    ("Parasite", 2019, 496243),
    # foreign originals, accents
    ("기생충", 2019, 496243),
    ("千と千尋の神隠し", 2001, 129),
    ("Spirited Away", 2001, 129),
    ("Amélie", 2001, 194),
    ("Amelie", 2001, 194),
    ("Le Fabuleux Destin d'Amélie Poulain", 2001, 194),
    ("Crouching Tiger, Hidden Dragon", 2000, 146),
    ("Léon: The Professional", 1994, 101),
    # punctuation
    ("Se7en", 1995, 807),
    ("WALL·E", 2008, 10681),
    ("Wall-E", 2008, 10681),
    ("M*A*S*H", 1970, 651),
    ("Mission: Impossible – Dead Reckoning Part One", 2023, 575264),
    ("Mission: Impossible - Dead Reckoning Part One", 2023, 575264),
    ("Spider-Man: Across the Spider-Verse", 2023, 569094),
    ("Birdman or (The Unexpected Virtue of Ignorance)", 2014, 194662),
    ("Birdman", 2014, 194662),
    ("8½", 1963, 422),
    ("The Good, the Bad and the Ugly", 1966, 429),
    ("Three Colours: Red", 1994, 110),
    # festival-year shifts: the export's year is a year before (or after) TMDB's primary date
    ("Sound of Metal", 2019, 9000012),
    ("Nomadland", 2020, 581734),
    ("Ex Machina", 2014, 264660),
    ("Perfect Blue", 1997, 10494),
    ("City of God", 2003, 598),
    ("Parasite", 2020, 496243),
    # no year in the export: the most popular film of that exact title
    ("Heat", None, 949),
]


@pytest.mark.parametrize(("name", "year", "tmdb_id"), TRAPS, ids=[f"{n} ({y})" for n, y, _ in TRAPS])
def test_the_right_film_is_chosen(tmdb, name, year, tmdb_id):
    choice = choose(tmdb, name, year)
    assert choice is not None
    assert choice.tmdb_id == tmdb_id


MISSING = [
    ("Hen Hop", 1942),  # genuinely not on (this) TMDB
    ("Kummatty", 1979),
    ("Chunking Express", 1994),  # misspelt: no plausible candidate
    ("Heat", 1980),  # the title exists, but no Heat is anywhere near 1980
    ("Dune", 2000),
    ("Parasite", 2005),
]


@pytest.mark.parametrize(("name", "year"), MISSING, ids=[f"{n} ({y})" for n, y in MISSING])
def test_no_plausible_candidate_is_not_found_never_a_wrong_guess(tmdb, name, year):
    assert choose(tmdb, name, year) is None


def test_the_rule_that_chose_is_recorded(tmdb):
    assert choose(tmdb, "Dune", 1984).rule == "title_primary_year"
    assert choose(tmdb, "Sound of Metal", 2019).rule == "title_release_year"
    assert choose(tmdb, "Birdman", 2014).rule == "title_prefix_primary_year"
    assert choose(tmdb, "Three Colours: Red", 1994).rule == "similar_title_primary_year"
    assert choose(tmdb, "Heat", None).rule == "title_without_year"


def test_an_exact_year_costs_one_search(tmdb):
    tmdb.reset()
    choose(tmdb, "Dune", 1984)
    assert tmdb.stats()["by_endpoint"]["search"] == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("WALL·E", "wall-e"),
        ("Se7en", "SE7EN"),
        ("M*A*S*H", "m a s h"),
        ("Amélie", "Amelie"),
        ("Mission: Impossible – Dead", "mission impossible - dead"),
        ("Fast & Furious", "Fast and Furious"),
        ("  Léon:  The  Professional ", "leon the professional"),
    ],
)
def test_title_keys_ignore_case_accents_punctuation_and_spacing(a, b):
    assert title_key(a) == title_key(b)


def test_title_keys_keep_every_script():
    assert title_key("기생충") == "기생충"
    assert title_key("Heat") != title_key("Hea")
