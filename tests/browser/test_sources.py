"""Each service's sample export uploaded through the page (file picker or drag and drop) against
the real stack: its charts as the API counts them, and what the source cannot tell hidden."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.checks import (
    ARTIFACTS,
    CHARTS,
    TMDB_NOTICE,
    YEAR_CHARTS,
    check_charts,
    drop_files,
    headline,
)
from tests.support.processes import ROOT

pytestmark = pytest.mark.slow
SAMPLES = ROOT / "samples"
# source -> (files, how they reach the page, headline labels shown, labels hidden, cards hidden)
CASES = {
    "imdb": (
        [SAMPLES / "imdb" / "ratings.csv", SAMPLES / "imdb" / "watchlist.csv"],
        "picker",
        {"Films": "15", "Watches": "15", "Rated": "15", "Watchlist": "6"},
        {"Rewatches"},  # one watch per rated title: IMDb keeps no history
        {"most_rewatched"},
    ),
    "trakt": (
        [SAMPLES / "trakt-export.zip"],
        "drop",
        {"Films": "13", "Watches": "17", "Rated": "10", "Watchlist": "3", "Rewatches": "4"},
        set(),  # the zip has the history, the ratings and the watchlist
        set(),
    ),
    "netflix": (
        [SAMPLES / "netflix" / "NetflixViewingHistory.csv"],
        "drop",
        {"Films": "7", "Watches": "9", "Rewatches": "2"},
        {"Rated", "Average rating", "Watchlist"},  # Netflix's files hold no ratings, no watchlist
        {
            "ratings",
            "average_rating_by_genre",
            "average_rating_by_decade",
            "top_directors_by_rating",
            "top_actors_by_rating",
            "best_rated",
            "versus_tmdb",
        },
    ),
}


def hidden_cards(page: Any) -> set[str]:
    return set(
        page.eval_on_selector_all("[data-card]", "els => els.filter(e => e.hidden).map(e => e.dataset.card)")
    )


@pytest.mark.parametrize("source", list(CASES))
def test_each_sample_uploads_through_the_page_and_shows_its_charts(
    stack: str, watched: Any, source: str
) -> None:
    paths, how, shown, not_shown, cards_hidden = CASES[source]
    base = stack
    browser = watched()
    page = browser.page
    page.goto(f"{base}/")
    page.wait_for_selector("#dropzone")
    if how == "drop":
        drop_files(page, paths)
    else:
        page.set_input_files("#file-input", [str(path) for path in paths])
    page.wait_for_url(re.compile(r"/\?session=[0-9a-f-]{36}$"), timeout=30_000)
    session_id = page.url.rsplit("=", 1)[1]
    page.wait_for_selector('#dashboard[data-complete="true"]', timeout=60_000)
    session = httpx.get(f"{base}/api/sessions/{session_id}").json()
    assert (session["source"], session["status"]) == (source, "completed")
    assert page.get_attribute("#progress", "aria-valuenow") == "100"
    assert page.inner_text("#session-meta").endswith(
        {"imdb": "IMDb", "trakt": "Trakt", "netflix": "Netflix"}[source] + " export"
    )

    analytics = httpx.get(f"{base}/api/sessions/{session_id}/analytics").json()
    check_charts(page, analytics, CHARTS)  # every chart as the API counts it, null ones hidden
    numbers = headline(page)
    assert {label: numbers.get(label) for label in shown} == shown
    assert not not_shown & set(numbers), f"shown although the source cannot tell: {not_shown & set(numbers)}"
    assert hidden_cards(page) == cards_hidden
    assert page.locator('[data-card="genres"] svg rect.bar').count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"source-{source}.png"), full_page=True, animations="disabled")

    # A year in review of the same upload: the same rules.
    year = max(analytics["watch_years"])
    page.click(f'#year-switcher a[data-year="{year}"]')
    page.wait_for_selector(f'#dashboard[data-year="{year}"]', timeout=15_000)
    year_view = httpx.get(f"{base}/api/sessions/{session_id}/analytics", params={"year": year}).json()
    check_charts(page, year_view, YEAR_CHARTS)
    assert not not_shown & set(headline(page))
    with page.expect_download() as download:  # the year's image, with or without ratings
        page.click("#share-svg")
    image = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"{year} in review" in image and TMDB_NOTICE in image
    assert ("average" in image) == (year_view["rated"] is not None)
    assert page.evaluate("window.__images") == []
    assert browser.dialogs == []
    assert browser.unexpected_errors() == []


def test_the_page_says_where_each_service_keeps_its_export(stack: str, watched: Any) -> None:
    page = watched().page
    page.goto(f"{stack}/")
    assert page.get_attribute("#file-input", "accept") == ".zip,.csv,.json"
    page.click("#export-help summary")
    help_text = page.inner_text("#export-help")
    assert page.locator("#export-help h3").all_inner_texts() == ["Letterboxd", "IMDb", "Trakt", "Netflix"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#export-help").screenshot(path=str(ARTIFACTS / "export-help.png"), animations="disabled")
    for step in (
        "Export your data",
        "Your Ratings",
        "watched-movies.json",
        "history-*.json",
        "Viewing activity",
        "Download all",
        "NetflixViewingHistory.csv",
        "ViewingActivity.csv",
    ):
        assert step in help_text, step


def test_dropped_json_files_make_one_trakt_upload(stack: str, watched: Any, tmp_path: Path) -> None:
    """The Trakt files dropped loose (as from the unzipped export) make one Trakt upload."""
    browser = watched()
    page = browser.page
    page.goto(f"{stack}/")
    page.wait_for_selector("#dropzone")
    drop_files(page, sorted((SAMPLES / "trakt").glob("*.json")))
    page.wait_for_url(re.compile(r"/\?session=[0-9a-f-]{36}$"), timeout=30_000)
    session = httpx.get(f"{stack}/api/sessions/{page.url.rsplit('=', 1)[1]}").json()
    assert session["source"] == "trakt"
    assert len(session["files"]) == 9
    assert browser.unexpected_errors() == []
