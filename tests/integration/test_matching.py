"""Choosing the right TMDB film for an export title, against the loopback TMDB's real films."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.matching import Unlimited
from tmdbdemo.testing import FakeTmdb
from worker.config import WorkerConfig
from worker.tmdb.client import TmdbClient, create_http_client
from worker.tmdb.matching import Matcher
from worker.tmdb.movies import movie_record


@pytest.fixture(scope="module")
def tmdb():
    with FakeTmdb() as fake:
        yield fake


def choose(tmdb, name, year):
    """The matcher's verdict for (name, year), None when no film fits."""

    async def run():
        config = WorkerConfig(database_url="postgresql://unused", tmdb_base_url=tmdb.base_url)
        async with create_http_client(config) as http:
            client = TmdbClient(http, 4, Unlimited())
            fetched = {}

            async def details(tmdb_id):
                if tmdb_id not in fetched:
                    found = await client.movie_details(tmdb_id)
                    fetched[tmdb_id] = None if found is None else movie_record(found)
                return fetched[tmdb_id]

            verdict = await Matcher(client).choose(name, year, details)
            if verdict.tmdb_id is not None:
                await details(verdict.tmdb_id)
            return verdict if verdict.tmdb_id is not None else None

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
    assert choose(tmdb, "Parasite", 2020).rule == "title_near_year"
    assert choose(tmdb, "기생충", 2019).rule == "original_title_primary_year"
    assert choose(tmdb, "Birdman", 2014).rule == "alternative_title_primary_year"
    assert choose(tmdb, "Three Colours: Red", 1994).rule == "alternative_title_primary_year"
    assert choose(tmdb, "Heat", None).rule == "title_without_year"


def test_a_row_without_a_year_counts_the_other_films_of_its_title(tmdb):
    heat = choose(tmdb, "Heat", None)
    assert heat.tmdb_id == 949  # the most popular Heat
    assert heat.alternatives == 1  # Heat (1972) fits as well: the page asks the person


def test_candidates_are_kept_best_first_with_the_fitting_ones_marked(tmdb):
    dune = choose(tmdb, "Dune", 2021)
    assert dune.candidates[0]["tmdb_id"] == 438631
    assert dune.candidates[0]["fits"] is True
    assert set(dune.candidates[0]) == {"tmdb_id", "title", "original_title", "release_date", "year", "fits"}
    assert len(dune.candidates) <= 10


def test_an_exact_year_costs_one_search_and_the_details(tmdb):
    tmdb.reset()
    choose(tmdb, "Dune", 1984)
    assert tmdb.stats()["by_endpoint"] == {"search": 1, "details": 1, "find": 0, "other": 0}


def test_an_alternative_title_costs_no_more_than_the_details_the_film_needs(tmdb):
    tmdb.reset()
    assert choose(tmdb, "Birdman", 2014).tmdb_id == 194662
    assert tmdb.stats()["by_endpoint"] == {"search": 1, "details": 1, "find": 0, "other": 0}
