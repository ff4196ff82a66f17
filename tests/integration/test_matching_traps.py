"""Every trap class of the labelled set (bench/matching_cases.csv) against tmdbdemo's decoys, under
both of its search orders: not one wrong film, every findable film found, `alternatives` counted."""

from __future__ import annotations

import httpx
import pytest

from tests.support.matching import load_cases, run_cases, tally
from tmdbdemo.testing import FakeTmdb

CLASSES = sorted({case.trap for case in load_cases()})


@pytest.fixture(scope="module", params=["relevance", "popularity"])
def tmdb(request):
    with FakeTmdb(ranking=request.param) as fake:
        yield fake


@pytest.mark.parametrize("trap", CLASSES)
def test_no_trap_leads_to_a_wrong_film_and_no_findable_film_is_missed(tmdb, trap):
    results = run_cases(tmdb.base_url, load_cases(trap))
    wrong = [
        (r.case.name, r.case.year, r.verdict.tmdb_id, r.verdict.rule) for r in results if r.outcome == "wrong"
    ]
    missed = [(r.case.name, r.case.year) for r in results if r.outcome == "not_found" and r.case.expected]
    assert wrong == []
    assert missed == []
    assert tally(results)["matched"] == sum(1 for r in results if r.case.expected is not None)


@pytest.mark.parametrize(
    "trap", ["same_title_short", "no_year_ambiguous", "plain", "festival_shift_longer_decoy"]
)
def test_alternatives_count_the_other_films_that_fit_as_well(tmdb, trap):
    results = run_cases(tmdb.base_url, load_cases(trap))
    assert [r.verdict.alternatives for r in results] == [r.case.alternatives for r in results]


def test_a_title_crowded_off_page_one_is_found_on_page_two(tmdb):
    cases = load_cases("crowded_title")
    assert cases
    for case in cases:
        first = httpx.get(
            f"{tmdb.base_url}/search/movie", params={"query": case.name, "year": case.year}
        ).json()
        assert first["total_pages"] > 1
        on_first_page = case.expected in [result["id"] for result in first["results"]]
        tmdb.reset()
        [result] = run_cases(tmdb.base_url, [case])
        assert result.outcome == "matched"
        searches = tmdb.stats()["by_endpoint"]["search"]
        # Page 2 is read exactly when page 1 lacks the title (always so when ordered by popularity).
        assert searches == (1 if on_first_page else 2)
        if tmdb.config()["ranking"] == "popularity":
            assert not on_first_page


def test_the_labelled_set_is_big_and_mostly_traps():
    cases = load_cases()
    traps = [case for case in cases if case.trap != "plain"]
    assert len(cases) >= 600
    assert len(traps) >= 0.4 * len(cases)
    assert sum(1 for case in cases if case.expected is None) >= 100  # rows whose film is absent
