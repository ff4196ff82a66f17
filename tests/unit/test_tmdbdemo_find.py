"""The fake TMDB's /find by IMDb id, and the demo catalogue covering the IMDb, Trakt and Netflix samples."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

import httpx
import pytest

from api.sources.imdb_types import title_type
from api.sources.netflix import is_episode
from tmdbdemo import synthetic_id, synthetic_imdb_id
from tmdbdemo.catalogue import load_catalogue
from tmdbdemo.testing import REPO_ROOT, FakeTmdb

SAMPLES = REPO_ROOT / "samples"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTmdb]:
    with FakeTmdb(synthetic_films=20) as running:
        yield running


@pytest.fixture
def http(fake: FakeTmdb) -> Iterator[httpx.Client]:
    fake.reset()
    with httpx.Client(base_url=fake.base_url, timeout=10.0) as client:
        yield client


def test_find_by_imdb_id_answers_like_tmdb_with_the_film_in_movie_results(fake, http):
    response = http.get("/find/tt1160419", params={"external_source": "imdb_id"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "movie_results",
        "person_results",
        "tv_results",
        "tv_episode_results",
        "tv_season_results",
    }
    [movie] = body["movie_results"]
    assert (movie["id"], movie["title"], movie["release_date"], movie["media_type"]) == (
        438631,
        "Dune",
        "2021-09-15",
        "movie",
    )
    assert {"original_title", "original_language", "popularity", "genre_ids", "overview"} <= set(movie)
    assert body["tv_results"] == body["person_results"] == []


def test_find_knows_the_synthetic_films_by_their_imdb_ids(fake, http):
    body = http.get(f"/find/{synthetic_imdb_id(7)}", params={"external_source": "imdb_id"}).json()
    assert [m["id"] for m in body["movie_results"]] == [synthetic_id(7)]
    beyond = http.get(f"/find/{synthetic_imdb_id(21)}", params={"external_source": "imdb_id"}).json()
    assert beyond["movie_results"] == []
    details = http.get(f"/movie/{synthetic_id(7)}").json()
    assert details["imdb_id"] == synthetic_imdb_id(7)


@pytest.mark.parametrize("external_id", ["tt0000001", "nm0000123", "not-an-id"])
def test_an_id_nobody_has_finds_nothing_with_200(fake, http, external_id):
    response = http.get(f"/find/{external_id}", params={"external_source": "imdb_id"})
    assert response.status_code == 200
    assert all(results == [] for results in response.json().values())


def test_another_external_source_finds_no_film(fake, http):
    response = http.get("/find/tt1160419", params={"external_source": "tvdb_id"})
    assert response.status_code == 200
    assert response.json()["movie_results"] == []


@pytest.mark.parametrize("params", [{}, {"external_source": "letterboxd"}])
def test_a_find_without_a_known_external_source_is_tmdbs_404(fake, http, params):
    response = http.get("/find/tt1160419", params=params)
    assert response.status_code == 404
    assert response.json()["status_code"] == 34


def test_finds_are_counted_under_their_own_endpoint_and_id(fake, http):
    http.get("/find/tt1160419", params={"external_source": "imdb_id"})
    http.get("/find/tt1160419", params={"external_source": "imdb_id"})
    http.get("/find/tt0113277", params={"external_source": "imdb_id"})
    http.get("/movie/438631")
    stats = fake.stats()
    assert stats["by_endpoint"] == {"search": 0, "details": 1, "find": 3, "other": 0}
    assert stats["finds_by_id"] == {"tt1160419": 2, "tt0113277": 1}
    fake.reset()
    assert fake.stats()["finds_by_id"] == {}


def _catalogue_ids() -> tuple[set[str], dict[int, str | None], set[tuple[str, int | None]], set[str]]:
    films = load_catalogue().by_id.values()
    imdb_ids = {f.imdb_id for f in films if f.imdb_id}
    by_tmdb = {f.id: f.imdb_id for f in films}
    titles = {(f.title, f.year) for f in films}
    return imdb_ids, by_tmdb, titles, {f.title for f in films}


def test_every_imdb_sample_film_is_in_the_catalogue_under_its_const():
    imdb_ids, _, _, _ = _catalogue_ids()
    for name in ("ratings.csv", "watchlist.csv"):
        with (SAMPLES / "imdb" / name).open(encoding="utf-8", newline="") as handle:
            rows = [row for row in csv.DictReader(handle) if title_type(row["Title Type"])[1]]
        assert rows
        assert {row["Const"] for row in rows} <= imdb_ids, name


def test_every_trakt_sample_movie_is_in_the_catalogue_by_its_ids_or_title_and_year():
    imdb_ids, by_tmdb, titles, _ = _catalogue_ids()
    movies = []
    for path in (SAMPLES / "trakt").glob("*.json"):
        entries = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(entries, list):
            movies += [entry["movie"] for entry in entries if "movie" in entry]
    assert len(movies) > 30
    for movie in movies:
        ids = movie["ids"]
        if ids["tmdb"]:
            assert by_tmdb.get(ids["tmdb"], "missing") == ids["imdb"], movie
        elif ids["imdb"]:
            assert ids["imdb"] in imdb_ids, movie
        else:
            assert (movie["title"], movie["year"]) in titles, movie


def test_every_netflix_sample_film_title_is_a_catalogue_title():
    _, _, _, catalogue_titles = _catalogue_ids()
    with (SAMPLES / "netflix" / "NetflixViewingHistory.csv").open(encoding="utf-8", newline="") as handle:
        history = {row["Title"] for row in csv.DictReader(handle)}
    with (SAMPLES / "netflix" / "ViewingActivity.csv").open(encoding="utf-8", newline="") as handle:
        activity = {row["Title"] for row in csv.DictReader(handle) if not row["Supplemental Video Type"]}
    films = {title for title in history | activity if not is_episode(title)}
    assert len(films) == 7
    assert films <= catalogue_titles
