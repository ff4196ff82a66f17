"""GET …/films with the drill-down filters, on the enriched sample: each bar's films are listed.

Films charts (rankings, decades, release years, ratings, runtimes): as many films as the bar counts.
Watch charts (years, months, weeks, days, weekdays): the films' `watches` add up to the bar.
"""

from __future__ import annotations

import pytest

from tests.support.sample import enriched_sample

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(database_factory, tmp_path_factory):
    with enriched_sample(database_factory, tmp_path_factory.mktemp("sample")) as found:
        yield found


@pytest.fixture(scope="module")
def everything(sample):
    return sample.analytics()


def names(films):
    return sorted((f["name"], f["year"]) for f in films)


@pytest.mark.parametrize(
    ("chart", "key", "param"),
    [
        ("genres", "name", "genre"),
        ("top_directors", "name", "director"),
        ("top_actors", "name", "actor"),
        ("countries", "name", "country"),
        ("languages", "name", "language"),
        ("original_languages", "code", "original_language"),
        ("decades", "decade", "decade"),
        ("release_years", "year", "release_year"),
        ("ratings", "rating", "rating"),
        ("runtime_spread", "bucket", "runtime"),
    ],
)
def test_each_films_filter_alone_lists_as_many_films_as_its_bar(sample, everything, chart, key, param):
    bars = [bar for bar in everything[chart] if bar["count"]][:6]
    assert bars, chart
    for bar in bars:
        films = sample.films(**{param: str(bar[key])})
        assert len(films) == bar["count"], (chart, bar)
        assert len(names(films)) == len(set(names(films)))


@pytest.mark.parametrize(
    ("chart", "key", "param"),
    [
        ("years", "year", "watched_year"),
        ("watches_by_month", "month", "watched_month"),
        ("watches_by_weekday", "weekday", "weekday"),
    ],
)
def test_each_watch_filter_alone_lists_films_whose_watches_add_up_to_its_bar(
    sample, everything, chart, key, param
):
    for bar in everything[chart]:
        films = sample.films(**{param: str(bar[key])})
        assert sum(f["watches"] for f in films) == bar["count"], (chart, bar)
        assert all(f["watches"] > 0 for f in films)


def test_the_year_views_weeks_and_days_are_listed_too(sample):
    year = sample.analytics(year="2023")
    for week in (w for w in year["watches_by_week"] if w["count"]):
        films = sample.films(watched_week=week["week"], watched_year="2023")
        assert sum(f["watches"] for f in films) == week["count"], week
    for day in (d for d in year["calendar"] if d["count"]):
        films = sample.films(watched_on=day["date"])
        assert sum(f["watches"] for f in films) == day["count"], day
        assert {f["last_watched"] for f in films} == {day["date"]}


def test_genre_and_watched_year_together_are_the_year_views_genre_bar(sample):
    drama_2023 = next(g for g in sample.analytics(year="2023")["genres"] if g["name"] == "Drama")
    films = sample.films(genre="Drama", watched_year="2023")
    assert len(films) == drama_2023["count"] == 10
    assert all("Drama" in f["genres"] for f in films)
    assert all(f["last_watched"].startswith("2023-") for f in films)


def test_weekday_and_watched_year_together_are_the_year_views_weekday_bar(sample):
    saturdays = sample.analytics(year="2022")["watches_by_weekday"][5]
    films = sample.films(weekday="6", watched_year="2022")
    assert saturdays == {"weekday": 6, "count": 14}
    assert sum(f["watches"] for f in films) == 14


def test_two_films_filters_combine(sample):
    films = sample.films(country="Japan", decade="1980")
    assert names(films) == [("Grave of the Fireflies", 1988), ("My Neighbor Totoro", 1988)]
    assert names(sample.films(rating="4.5", director="Hayao Miyazaki")) == [("Princess Mononoke", 1997)]


def test_rating_filter_uses_the_films_rating_as_the_chart_does(sample):
    # Crash (2004) is rated only in the diary (2); Halloween (2018) in ratings.csv (2), its diary says 2.5.
    assert names(sample.films(rating="2")) == [("Crash", 2004), ("Halloween", 2018), ("Psycho", 1998)]
    assert [f["rating"] for f in sample.films(rating="2.0")] == [2.0, 2.0, 2.0]


def test_contradicting_date_filters_list_nothing(sample):
    assert sample.films(watched_year="2022", watched_month="2023-10") == []


def test_filtered_lists_page_with_the_same_cursor(sample):
    first = sample.client.get(
        f"/api/sessions/{sample.session_id}/films", params={"genre": "Drama", "limit": "10"}
    ).json()
    assert len(first["films"]) == 10 and first["next_cursor"]
    rest = sample.client.get(
        f"/api/sessions/{sample.session_id}/films",
        params={"genre": "Drama", "limit": "100", "cursor": first["next_cursor"]},
    ).json()
    assert rest["next_cursor"] is None
    assert len(first["films"]) + len(rest["films"]) == 24
    assert names(first["films"] + rest["films"]) == names(sample.films(genre="Drama"))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"decade": "1995"}, "decade must be a decade such as 1990"),
        ({"decade": "abc"}, "decade must be a decade such as 1990"),
        ({"release_year": "95"}, "release_year must be a four-digit year"),
        ({"rating": "7"}, "rating must be a rating from 0.5 to 5 in half stars"),
        ({"rating": "4.2"}, "rating must be a rating from 0.5 to 5 in half stars"),
        ({"watched_year": "last"}, "watched_year must be a four-digit year"),
        ({"watched_month": "2023-13"}, "watched_month must be a month such as 2023-07"),
        ({"watched_week": "2023-W54"}, "watched_week must be an ISO week such as 2023-W07"),
        ({"watched_on": "2023-02-30"}, "watched_on must be a date such as 2023-07-14"),
        ({"weekday": "0"}, "weekday must be an ISO weekday from 1 (Monday) to 7 (Sunday)"),
        ({"runtime": "epic"}, "runtime must be one of short, feature, long"),
        ({"genre": ""}, "genre must be a name of 1 to 300 characters"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(sample, params, message):
    response = sample.client.get(f"/api/sessions/{sample.session_id}/films", params=params)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
