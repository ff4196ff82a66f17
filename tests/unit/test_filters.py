"""Reading the drill-down filters and ?year= from query strings (no database)."""

from __future__ import annotations

from datetime import date

import pytest
from starlette.datastructures import QueryParams

from api.analytics import Period, parse_year
from api.errors import ApiError
from api.filters import film_filters


def test_no_filters_mean_any_film():
    params = film_filters(QueryParams(""))
    assert params["by_watch"] is False
    assert params["tally_year"] == -1  # every watch: the kept counts of all years can answer
    assert {key: value for key, value in params.items() if value not in (None, False, -1)} == {}


def test_the_kept_counts_answer_a_year_alone_and_the_diary_anything_finer():
    assert film_filters(QueryParams("watched_year=2023&genre=Drama"))["tally_year"] == 2023
    for finer in ("watched_year=2023&weekday=6", "watched_month=2023-02", "watched_on=2023-02-01"):
        assert film_filters(QueryParams(finer))["tally_year"] is None, finer


def test_date_filters_intersect_into_one_range():
    params = film_filters(QueryParams("watched_year=2023&watched_month=2023-02&weekday=6"))
    assert (params["watched_first"], params["watched_last"]) == (date(2023, 2, 1), date(2023, 2, 28))
    assert (params["weekday"], params["by_watch"]) == (6, True)
    week = film_filters(QueryParams("watched_week=2023-W01&watched_year=2022"))
    assert (week["watched_first"], week["watched_last"]) == (date(2023, 1, 2), date(2022, 12, 31))  # empty


def test_leap_days_and_iso_weeks_are_checked_by_the_calendar():
    assert film_filters(QueryParams("watched_month=2024-02"))["watched_last"] == date(2024, 2, 29)
    assert film_filters(QueryParams("watched_on=2024-02-29"))["watched_first"] == date(2024, 2, 29)
    assert film_filters(QueryParams("watched_week=2020-W53"))["watched_first"] == date(2020, 12, 28)
    for bad in ("watched_on=2023-02-29", "watched_week=2021-W53", "watched_month=2023-00"):
        with pytest.raises(ApiError):
            film_filters(QueryParams(bad))


def test_ratings_runtimes_and_decades_take_the_charts_keys():
    assert (
        film_filters(QueryParams("rating=4"))["rating"]
        == film_filters(QueryParams("rating=4.0"))["rating"]
        == 4.0
    )
    assert film_filters(QueryParams("rating=0.5"))["rating"] == 0.5
    assert (
        film_filters(QueryParams("runtime=long"))["runtime_min"],
        film_filters(QueryParams("runtime=long"))["runtime_max"],
    ) == (150, None)
    assert film_filters(QueryParams("decade=1990"))["decade"] == 1990
    assert film_filters(QueryParams("director=Agn%C3%A8s+Varda"))["director"] == "Agnès Varda"


def test_a_year_is_four_digits():
    assert parse_year(None) == Period()
    assert parse_year("2023").params == {
        "year": 2023,
        "first": date(2023, 1, 1),
        "last": date(2023, 12, 31),
    }
    for bad in ("abc", "", "0000", "12345", "２０２３", "2023\n"):
        with pytest.raises(ApiError, match="four-digit year"):
            parse_year(bad)


def test_has_alternatives_takes_true_or_false():
    assert film_filters(QueryParams(""))["has_alternatives"] is None
    assert film_filters(QueryParams("has_alternatives=true"))["has_alternatives"] is True
    assert film_filters(QueryParams("has_alternatives=false"))["has_alternatives"] is False
    for bad in ("has_alternatives=1", "has_alternatives=yes", "has_alternatives=TRUE", "has_alternatives="):
        with pytest.raises(ApiError, match="has_alternatives must be true or false"):
            film_filters(QueryParams(bad))
