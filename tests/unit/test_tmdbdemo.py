"""The fake TMDB as a real subprocess on loopback: search, details, auth, faults, stats.

Also checks the bundled catalogue and that the sample Letterboxd export is findable in it.
Nothing here sleeps to synchronise: waits poll a condition against a deadline.
"""

from __future__ import annotations

import contextlib
import csv
import json
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import httpx
import pytest

from tmdbdemo import synthetic_id, synthetic_title, synthetic_year
from tmdbdemo.catalogue import REQUIRED_FIELDS
from tmdbdemo.settings import FakeSettings
from tmdbdemo.testing import REPO_ROOT, FakeTmdb, FakeTmdbError

CATALOGUE = REPO_ROOT / "tmdbdemo" / "catalogue.json"
SAMPLE = REPO_ROOT / "samples" / "letterboxd"
# Watched in the sample on purpose although TMDB would not find them.
UNFINDABLE = {("Hen Hop", 1942), ("Kummatty", 1979), ("Chunking Express", 1994)}
WATCH_FILES = ("watched.csv", "diary.csv", "ratings.csv", "reviews.csv", "likes/films.csv")
SYNTHETIC = 50


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTmdb]:
    with FakeTmdb(synthetic_films=SYNTHETIC) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as client:
        yield client


@pytest.fixture(autouse=True)
def well_fake(request: pytest.FixtureRequest) -> None:
    """Every test that uses the shared fake starts from default switches and empty stats."""
    if "fake" in request.fixturenames:
        running: FakeTmdb = request.getfixturevalue("fake")
        defaults = FakeSettings(synthetic_films=SYNTHETIC).as_dict()
        defaults.pop("outage_seconds")  # setting it, even to 0, is what ends an outage
        running.configure(**defaults, outage_seconds=0)
        running.reset()


def search(http: httpx.Client, fake: FakeTmdb, query: str, **params: Any) -> httpx.Response:
    return http.get(f"{fake.base_url}/search/movie", params={"query": query, **params})


def found(response: httpx.Response) -> list[tuple[int, str, str]]:
    assert response.status_code == 200, response.text
    return [(r["id"], r["title"], r["release_date"]) for r in response.json()["results"]]


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_primary_release_year_tells_the_dune_remakes_apart(fake, http):
    both = found(search(http, fake, "Dune"))
    assert {(841, "1984-12-14"), (438631, "2021-09-15")} <= {(i, d) for i, _, d in both}
    assert found(search(http, fake, "dune", primary_release_year=1984)) == [(841, "Dune", "1984-12-14")]
    assert [i for i, _, _ in found(search(http, fake, "DUNE", primary_release_year=2021))] == [438631]


def test_year_finds_a_festival_premiere_year_that_primary_release_year_does_not(fake, http):
    by_year = found(search(http, fake, "Sound of Metal", year=2019))
    assert [(t, d[:4]) for _, t, d in by_year] == [("Sound of Metal", "2020")]
    assert found(search(http, fake, "Sound of Metal", primary_release_year=2019)) == []
    assert found(search(http, fake, "Perfect Blue", year=1997))


@pytest.mark.parametrize(
    ("query", "film_id"),
    [
        ("amelie", 194),
        ("AMÉLIE", 194),
        ("le fabuleux destin", 194),
        ("wall e", 10681),
        ("wall-e", 10681),
        ("walle", 10681),
        ("se7en", 807),
        ("leon the professional", 101),
        ("Léon", 101),
        ("mash", 651),
        ("m*a*s*h", 651),
        ("spiderman across", 569094),
        ("mission impossible dead reckoning", 575264),
        ("birdman unexpected virtue", 194662),
        ("tar", 817758),
        ("8½", 422),
        ("8 1/2", 422),
        ("good bad ugly", 429),
        ("기생충", 496243),
        ("千と千尋", 129),
        ("crouching tiger hidden", 146),
    ],
)
def test_search_ignores_case_accents_and_punctuation(fake, http, query, film_id):
    assert film_id in [i for i, _, _ in found(search(http, fake, query))]


def test_an_alternative_title_is_searched_too(fake, http):
    ids = [i for i, _, _ in found(search(http, fake, "seven"))]
    assert 807 in ids
    assert ids[0] == 807  # Se7en is the most popular of the "seven" films


def test_results_come_most_popular_first_with_the_obscure_namesake_last(fake, http):
    heat = search(http, fake, "heat").json()["results"]
    assert [r["release_date"][:4] for r in heat[:2]] == ["1995", "1972"]
    assert heat[0]["popularity"] > heat[1]["popularity"]
    assert set(heat[0]) >= {
        "id",
        "title",
        "original_title",
        "original_language",
        "release_date",
        "popularity",
        "genre_ids",
        "overview",
        "adult",
        "video",
        "vote_average",
        "vote_count",
    }


def test_an_empty_query_answers_200_with_no_results(fake, http):
    for params in ({"query": ""}, {}):
        response = http.get(f"{fake.base_url}/search/movie", params=params)
        assert response.status_code == 200
        assert response.json() == {"page": 1, "results": [], "total_pages": 1, "total_results": 0}


def test_search_pages_twenty_at_a_time_and_refuses_a_bad_page(fake, http):
    first = search(http, fake, "the").json()
    second = search(http, fake, "the", page=2).json()
    assert len(first["results"]) == 20
    assert first["total_results"] > 20
    assert first["total_pages"] == second["total_pages"] == -(-first["total_results"] // 20)
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    bad = search(http, fake, "the", page=0)
    assert bad.status_code == 400
    assert bad.json()["status_code"] == 22


def test_details_with_credits_name_the_director_and_cast_in_order(fake, http):
    response = http.get(f"{fake.base_url}/movie/438631", params={"append_to_response": "credits"})
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Dune"
    assert body["release_date"] == "2021-09-15"
    assert body["status"] == "Released"
    assert body["imdb_id"] == "tt1160419"
    assert {"id": 878, "name": "Science Fiction"} in body["genres"]
    assert body["production_countries"][0] == {
        "iso_3166_1": "US",
        "name": "United States of America",
    }
    assert body["spoken_languages"][0]["iso_639_1"] == "en"
    crew = body["credits"]["crew"]
    assert [(c["name"], c["job"], c["department"]) for c in crew] == [
        ("Denis Villeneuve", "Director", "Directing")
    ]
    cast = body["credits"]["cast"]
    assert cast[0]["name"] == "Timothée Chalamet"
    assert [c["order"] for c in cast] == list(range(len(cast)))
    plain = http.get(f"{fake.base_url}/movie/438631").json()
    assert "credits" not in plain
    assert plain["runtime"] == 155


def test_the_same_person_has_the_same_id_in_every_film(fake, http):
    def director_id(film_id: int) -> int:
        body = http.get(f"{fake.base_url}/movie/{film_id}", params={"append_to_response": "credits"}).json()
        return int(body["credits"]["crew"][0]["id"])

    assert director_id(438631) == director_id(693134)  # Villeneuve, Dune and Part Two


@pytest.mark.parametrize("film_id", ["1", "99999999", "abc"])
def test_an_unknown_id_is_tmdbs_404(fake, http, film_id):
    response = http.get(f"{fake.base_url}/movie/{film_id}")
    assert response.status_code == 404
    assert response.json() == {
        "success": False,
        "status_code": 34,
        "status_message": "The resource you requested could not be found.",
    }


def test_genre_list_and_configuration(fake, http):
    genres = http.get(f"{fake.base_url}/genre/movie/list").json()["genres"]
    assert len(genres) == 19
    assert {"id": 10770, "name": "TV Movie"} in genres
    config = http.get(f"{fake.base_url}/configuration").json()
    assert config["images"]["secure_base_url"].startswith("https://")


def test_a_required_key_is_accepted_as_api_key_or_bearer_and_nothing_else(fake, http):
    fake.configure(required_key="s3cret")
    url = f"{fake.base_url}/movie/841"
    refused = [
        http.get(url),
        http.get(url, params={"api_key": "wrong"}),
        http.get(url, headers={"Authorization": "Bearer wrong"}),
    ]
    for response in refused:
        assert response.status_code == 401
        assert response.json() == {
            "success": False,
            "status_code": 7,
            "status_message": "Invalid API key: You must be granted a valid key.",
        }
    assert http.get(url, params={"api_key": "s3cret"}).status_code == 200
    assert http.get(url, headers={"Authorization": "Bearer s3cret"}).status_code == 200
    stats = fake.stats()
    assert stats["auth_failures"] == 3
    assert stats["by_status"] == {"200": 2, "401": 3}


def test_without_a_required_key_anything_goes(fake, http):
    assert http.get(f"{fake.base_url}/movie/841").status_code == 200
    assert http.get(f"{fake.base_url}/movie/841", params={"api_key": "x"}).status_code == 200


def test_the_rate_limit_answers_429_past_the_limit_within_a_second(fake, http):
    fake.configure(rate_limit=5)
    started = time.monotonic()
    responses = [http.get(f"{fake.base_url}/movie/841") for _ in range(6)]
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"six loopback requests took {elapsed:.2f} s; the test needs < 1 s"
    assert [r.status_code for r in responses] == [200] * 5 + [429]
    assert responses[5].headers["Retry-After"] == "1"
    assert responses[5].json()["status_code"] == 25
    stats = fake.stats()
    assert stats["max_in_any_second"] == 6
    assert stats["by_status"] == {"200": 5, "429": 1}
    assert sum(stats["per_second"]) == stats["requests_total"] == 6


def test_ratio_429_uses_retry_after_seconds(fake, http):
    fake.configure(ratio_429=1, retry_after_seconds=7)
    response = http.get(f"{fake.base_url}/movie/841")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"


def test_ratio_5xx_rotates_through_500_502_503(fake, http):
    fake.configure(ratio_5xx=1)
    statuses = [http.get(f"{fake.base_url}/movie/841").status_code for _ in range(4)]
    assert statuses == [500, 502, 503, 500]
    assert fake.stats()["by_status"] == {"500": 2, "502": 1, "503": 1}


def test_faults_repeat_for_the_same_seed(fake, http):
    def run() -> list[int]:
        fake.configure(seed=42, ratio_5xx=0.3, ratio_429=0.2)
        return [http.get(f"{fake.base_url}/movie/841").status_code for _ in range(30)]

    first = run()
    assert set(first) > {200}
    assert run() == first


def test_an_outage_answers_503_until_it_ends_by_itself(fake, http):
    # The latency paces the polling, so the loop below sends a handful of requests, not a flood.
    fake.configure(latency_ms=50, outage_seconds=0.4)
    started = time.monotonic()
    first = http.get(f"{fake.base_url}/movie/841")
    assert first.status_code == 503
    assert fake.stats()["by_status"] == {"503": 1}  # control calls still answer, uncounted
    wait_until(lambda: http.get(f"{fake.base_url}/movie/841").status_code == 200, 10, "the outage to end")
    assert time.monotonic() - started >= 0.4


def test_setting_outage_seconds_to_zero_ends_an_outage(fake, http):
    config = fake.configure(outage_seconds=60)
    assert config["outage_remaining_seconds"] > 50
    assert http.get(f"{fake.base_url}/search/movie", params={"query": "x"}).status_code == 503
    fake.configure(outage_seconds=0)
    assert http.get(f"{fake.base_url}/search/movie", params={"query": "x"}).status_code == 200


def test_ratio_timeout_hangs_past_the_clients_timeout(fake, http):
    fake.configure(ratio_timeout=1, hang_seconds=1.5)
    with pytest.raises(httpx.ReadTimeout):
        http.get(f"{fake.base_url}/movie/841", timeout=0.3)
    assert fake.stats()["in_flight"] == 1
    fake.configure(ratio_timeout=0)
    assert http.get(f"{fake.base_url}/movie/841").status_code == 200
    # The hung request is answered normally once its hang is over.
    wait_until(lambda: fake.stats()["by_status"].get("200") == 2, 10, "the hang to end")
    assert fake.stats()["in_flight"] == 0


def test_latency_delays_every_answer_and_concurrency_is_measured(fake, http):
    fake.configure(latency_ms=300)
    barrier = threading.Barrier(4)

    def one(_: int) -> int:
        barrier.wait(timeout=10)
        return http.get(f"{fake.base_url}/movie/841").status_code

    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(one, range(4)))
    assert statuses == [200] * 4
    assert time.monotonic() - started >= 0.3
    stats = fake.stats()
    assert stats["in_flight_max"] >= 2
    assert stats["in_flight"] == 0


def test_small_answers_are_not_held_back_by_nagles_algorithm(fake, http):
    # With Nagle on, each answer waits ~40 ms for the client's delayed ACK: 40 take 1.6 s.
    started = time.monotonic()
    for _ in range(40):
        http.get(f"{fake.base_url}/movie/841")
    assert time.monotonic() - started < 1.0


def test_stats_count_endpoints_films_and_queries_and_reset_clears_them(fake, http):
    search(http, fake, "Dune", primary_release_year=1984)
    search(http, fake, "Heat", year=1995)
    http.get(f"{fake.base_url}/movie/841")
    http.get(f"{fake.base_url}/movie/841")
    http.get(f"{fake.base_url}/movie/1")
    http.get(f"{fake.base_url}/genre/movie/list")
    fake.config()  # control endpoints are not counted
    stats = fake.stats()
    assert stats["requests_total"] == 6
    assert stats["by_endpoint"] == {"search": 2, "details": 3, "find": 0, "other": 1}
    assert stats["by_status"] == {"200": 5, "404": 1}
    assert stats["details_by_id"] == {"841": 2, "1": 1}
    assert stats["searches_by_query"] == {"Dune||1984": 1, "Heat|1995|": 1}
    assert stats["max_in_any_second"] >= 1
    assert sum(stats["per_second"]) == 6
    fake.reset()
    cleared = fake.stats()
    assert cleared["requests_total"] == 0
    assert cleared["details_by_id"] == {}
    assert cleared["per_second"] == []
    assert cleared["max_in_any_second"] == 0


def test_a_bad_switch_is_refused_and_changes_nothing(fake, http):
    before = fake.config()
    with pytest.raises(FakeTmdbError, match="ratio_5xx"):
        fake.configure(latency_ms=10, ratio_5xx=2)
    with pytest.raises(FakeTmdbError, match="unknown switch"):
        fake.configure(latency=10)
    assert fake.config() == before
    raw = http.post(f"{fake.control_url}/config", content=b"[1, 2]")
    assert raw.status_code == 400


def test_synthetic_films_are_found_by_title_and_year(fake, http):
    n = 42
    hits = found(search(http, fake, synthetic_title(n), year=synthetic_year(n)))
    assert [i for i, _, _ in hits] == [synthetic_id(n)]
    assert found(search(http, fake, synthetic_title(n), year=synthetic_year(n) + 1)) == []
    assert found(search(http, fake, synthetic_title(SYNTHETIC + 1))) == []
    details = http.get(
        f"{fake.base_url}/movie/{synthetic_id(n)}", params={"append_to_response": "credits"}
    ).json()
    assert details["title"] == "Synthetic Feature 00042"
    assert details["runtime"] == 80 + n % 70
    assert details["credits"]["crew"][0]["name"] == "Director 042"
    assert len(details["credits"]["cast"]) == 5
    assert len(details["genres"]) == 2
    assert http.get(f"{fake.base_url}/movie/{synthetic_id(SYNTHETIC + 1)}").status_code == 404
    fake.configure(synthetic_films=100)
    assert found(search(http, fake, synthetic_title(99)))


def test_sigterm_stops_the_server_cleanly_even_with_a_request_hanging():
    with FakeTmdb(ratio_timeout=1, hang_seconds=60) as hung:
        url = f"{hung.base_url}/movie/841"
        sender = threading.Thread(target=_swallow, args=(lambda: httpx.get(url, timeout=30.0),))
        sender.start()
        wait_until(lambda: hung.stats()["in_flight"] == 1, 10, "the request to hang")
        started = time.monotonic()
        assert hung.stop(timeout=15) == 0
        assert time.monotonic() - started < 10
        sender.join(timeout=30)


def _swallow(call: Callable[[], Any]) -> None:
    with contextlib.suppress(httpx.HTTPError):
        call()


def test_every_catalogue_film_has_the_required_fields():
    films = json.loads(CATALOGUE.read_text(encoding="utf-8"))["films"]
    assert 120 <= len(films) <= 160
    ids = [film["id"] for film in films]
    assert len(set(ids)) == len(ids)
    for film in films:
        label = f"{film.get('id')} {film.get('title')}"
        assert set(REQUIRED_FIELDS) <= set(film), label
        assert 0 < film["id"] < 10_000_000, label
        date.fromisoformat(film["release_date"])
        assert film["title"] and film["original_title"] and film["overview"], label
        assert film["directors"] and 4 <= len(film["cast"]) <= 8, label
        assert film["production_countries"] and film["spoken_languages"], label
        assert film["genres"] and isinstance(film["runtime"], int), label
        assert all(isinstance(year, int) for year in film["other_release_years"]), label
    by_title: dict[str, set[int]] = {}
    for film in films:
        by_title.setdefault(film["title"], set()).add(int(film["release_date"][:4]))
    for title, years in {
        "Dune": {1984, 2021},
        "The Thing": {1982, 2011},
        "Suspiria": {1977, 2018},
        "Psycho": {1960, 1998},
        "Solaris": {1972, 2002},
        "Halloween": {1978, 2007, 2018},
        "Oldboy": {2003, 2013},
        "Crash": {1996, 2004},
        "Heat": {1972, 1995},
        "Parasite": {1982, 2019},
    }.items():
        assert by_title[title] == years, title


def sample_films(files: tuple[str, ...] = WATCH_FILES) -> set[tuple[str, int]]:
    films: set[tuple[str, int]] = set()
    for name in files:
        with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
            films |= {(row["Name"], int(row["Year"])) for row in csv.DictReader(handle)}
    return films


def test_every_sample_film_but_the_deliberate_misses_is_found_by_name_and_year(fake, http):
    films = sample_films()
    assert films >= UNFINDABLE
    for name, year in sorted(films):
        hits = search(http, fake, name, year=year).json()["total_results"]
        if (name, year) in UNFINDABLE:
            assert hits == 0, f"{name} ({year}) was meant to be unfindable"
        else:
            assert hits >= 1, f"{name} ({year}) is not found"


def test_the_sample_export_is_well_formed_and_zipped():
    for path in sorted(SAMPLE.rglob("*.csv")):
        raw = path.read_bytes()
        raw.decode("utf-8")
        assert b"\r" not in raw.replace(b'\r"', b""), path
    with (SAMPLE / "diary.csv").open(encoding="utf-8", newline="") as handle:
        diary = list(csv.DictReader(handle))
    for row in diary:
        date.fromisoformat(row["Date"])
        date.fromisoformat(row["Watched Date"])
        assert row["Rating"] in {"", *(f"{n / 2:g}" for n in range(1, 11))}
        assert row["Rewatch"] in {"", "Yes"}
    assert 60 <= len(diary) <= 80
    assert len(sample_films(("watched.csv",))) >= 40
    with zipfile.ZipFile(REPO_ROOT / "samples" / "letterboxd-export.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        expected = sorted(p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*.csv"))
        assert names == expected
        for name in names:
            assert archive.read(name) == (SAMPLE / name).read_bytes(), name
