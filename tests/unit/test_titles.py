"""Title keys: the short list of safe equivalences, and everything that must stay different."""

from __future__ import annotations

import pytest

from common.titles import search_variant, title_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("WALL·E", "wall-e"),
        ("Se7en", "SE7EN"),
        ("M*A*S*H", "m a s h"),
        ("Amélie", "Amelie"),
        ("Mission: Impossible – Dead", "mission impossible - dead"),
        ("  Léon:  The  Professional ", "leon the professional"),
        ("Fast & Furious", "Fast and Furious"),
        ("The Harbour", "Harbour"),
        ("A Quiet Place", "Quiet Place"),
        ("Rocky II", "Rocky 2"),
        ("Saga III", "Saga 3"),
        ("Kill Bill: Vol. 1", "Kill Bill: Volume 1"),
        ("Dune: Part One", "Dune: Part 1"),
        ("Chapter Two", "Chapter 2"),
        ("Smørrebrød", "Smorrebrod"),
        ("Łódź", "Lodz"),
        ("Ærø", "Aero"),
        ("Straße", "Strasse"),
    ],
)
def test_these_spellings_are_one_title(a, b):
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Rocky II", "Rocky III"),
        ("Saga II", "Saga 3"),
        ("Kill Bill: Vol. 1", "Kill Bill: Vol. 2"),
        ("Kill Bill: Vol. I", "Kill Bill: Vol. II"),
        ("The Others", "The Other"),
        ("Quarry", "Quarry Road Blues"),
        ("Birdman", "Birdman or (The Unexpected Virtue of Ignorance)"),
        ("Three Colours: Red", "Three Colors: Red"),
        ("Ocean's Eleven", "Ocean's 11"),  # two films: only numbers after Part, Chapter... are spelled
        ("Heat", "Hea"),
    ],
)
def test_longer_shorter_sibling_plural_and_near_spellings_stay_apart(a, b):
    assert title_key(a) != title_key(b)


def test_a_title_of_one_word_keeps_its_article_and_its_numeral():
    assert title_key("The") == "the"
    assert title_key("X") == "x"  # a roman numeral only after another word


def test_title_keys_keep_every_script():
    assert title_key("기생충") == "기생충"
    assert title_key("千と千尋の神隠し") == "千と千尋の神隠し"


@pytest.mark.parametrize(
    ("title", "variant"),
    [
        ("Saga 3", "saga iii"),
        ("Saga III", "saga 3"),
        ("Stem Part 1", "stem part one"),
        ("Stem: Volume 2", "stem vol 2"),
        ("Salt and Pepper", "salt & pepper"),
        ("The Ember", "ember"),
        ("Dune", None),
    ],
)
def test_the_search_variant_spells_the_title_the_other_way(title, variant):
    assert search_variant(title) == variant
    if variant is not None:
        assert title_key(variant) == title_key(title)
