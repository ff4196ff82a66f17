"""The year in review in a real Chromium against the real stack: the switcher and its address, the
year's numbers and charts against the API, drill-down lists, the image downloads, screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.checks import (
    ARTIFACTS,
    CHART_STATE,
    SAMPLE_ZIP,
    TMDB_NOTICE,
    YEAR_CHARTS,
    check_charts,
    headline,
    wait_for_session_completed,
)
from tests.support.exports import files

pytestmark = pytest.mark.slow

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DIALOG_FILMS = """() => [...document.querySelectorAll("#films-list .drill-film")].map((li) => [
  li.querySelector(".film-name").textContent, Number(li.querySelector(".film-year")?.textContent ?? 0)])"""


def open_year(page: Any, year: int) -> None:
    page.click(f'#year-switcher a[data-year="{year}"]')
    page.wait_for_selector(f'#dashboard[data-year="{year}"][data-complete="true"]', timeout=30_000)


def dialog_films(page: Any) -> list[tuple[str, int]]:
    page.wait_for_selector('#films-dialog[open][data-loaded="all"]', timeout=15_000)
    return sorted((name, year) for name, year in page.evaluate(DIALOG_FILMS))


def api_films(base: str, session_id: str, **filters: str) -> list[tuple[str, int]]:
    found, cursor = [], None
    while True:
        params = {**filters, "limit": "500", **({"cursor": cursor} if cursor else {})}
        page = httpx.get(f"{base}/api/sessions/{session_id}/films", params=params).json()
        found += [(f["name"], f["year"] or 0) for f in page["films"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return sorted(found)


def test_a_year_in_review_its_drill_down_and_its_image(stack: str, watched: Any) -> None:
    base = stack
    response = httpx.post(f"{base}/api/sessions", files=files(("export.zip", SAMPLE_ZIP.read_bytes())))
    session_id = response.json()["id"]
    wait_for_session_completed(base, session_id)
    everything = httpx.get(f"{base}/api/sessions/{session_id}/analytics").json()

    browser = watched(width=1280, height=900)
    page = browser.page
    page.goto(f"{base}/?session={session_id}")
    page.wait_for_selector('#dashboard[data-year="all"][data-complete="true"]', timeout=30_000)
    # All time, then each year with watches, newest first; the page says which is shown.
    choices = page.eval_on_selector_all("#year-switcher a", "links => links.map(a => a.textContent)")
    assert choices == ["All time", "2024", "2023", "2022"]
    assert page.get_attribute('#year-switcher a[data-year="all"]', "aria-current") == "page"
    check_charts(page, everything)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "all-time.png"), full_page=True, animations="disabled")

    open_year(page, 2023)
    assert page.url == f"{base}/?session={session_id}&year=2023"  # shareable
    assert page.get_attribute('#year-switcher a[data-year="2023"]', "aria-current") == "page"
    year = httpx.get(f"{base}/api/sessions/{session_id}/analytics", params={"year": "2023"}).json()
    assert page.inner_text("#results-title") == "2023 in review"
    numbers = headline(page)
    assert numbers["Films"] == f"{year['films']:,}" == "21"
    assert numbers["Watches"] == f"{year['watches']:,}"
    assert numbers["Hours"] == f"{round(year['total_runtime_minutes'] / 60):,}"
    assert numbers["Average rating"] == f"{year['average_rating']:.1f} ★"
    assert numbers["Days with 2+ films"] == str(year["multi_film_days"])
    check_charts(page, year, YEAR_CHARTS)
    weekdays = page.evaluate(CHART_STATE)["watches_by_weekday"]
    assert weekdays["tips"] == [
        f"{WEEKDAYS[d['weekday'] - 1]}: {d['count']} {'watch' if d['count'] == 1 else 'watches'}"
        for d in year["watches_by_weekday"]
    ]
    days = page.eval_on_selector_all(
        "svg[data-chart=calendar] rect.day", "rs => rs.map(r => Number(r.dataset.count))"
    )
    assert days == [d["count"] for d in year["calendar"]]
    milestones = page.locator('[data-card="milestones"] .timeline li').all_inner_texts()
    assert len(milestones) == len(year["milestones"]) and "TÁR" in milestones[0]

    # The top genre's bar lists exactly the year's films of that genre.
    genre = year["genres"][0]
    page.click('svg[data-chart="genres"] rect.bar[data-index="0"]')
    assert dialog_films(page) == api_films(base, session_id, genre=genre["name"], watched_year="2023")
    assert len(dialog_films(page)) == genre["count"]
    assert page.inner_text("#films-title").startswith(f"Genres: {genre['name']}")
    assert TMDB_NOTICE in page.inner_text("#films-dialog")
    page.keyboard.press("Escape")
    page.wait_for_selector("#films-dialog:not([open])", state="attached")
    # A day of the calendar lists that day's films.
    page.click('svg[data-chart=calendar] rect.day[data-date="2023-10-24"]')
    assert dialog_films(page) == [("The Thing", 1982)]
    page.keyboard.press("Escape")

    assert TMDB_NOTICE in page.inner_text("footer")
    assert TMDB_NOTICE in page.inner_text("#tmdb-data-note")
    with page.expect_download() as download:
        page.click("#share-png")
    assert download.value.suggested_filename == "reelstats-2023.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as download:
        page.click("#share-svg")
    image = Path(download.value.path()).read_text(encoding="utf-8")
    assert "2023 in review" in image and TMDB_NOTICE in image and "TÁR" in image
    page.screenshot(path=str(ARTIFACTS / "year.png"), full_page=True, animations="disabled")

    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function(
        "() => [...document.querySelectorAll('svg[data-chart]')]"
        ".every((svg) => Number(svg.getAttribute('width')) <= svg.parentElement.clientWidth)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_charts(page, year, YEAR_CHARTS)
    page.screenshot(path=str(ARTIFACTS / "year-phone.png"), full_page=True, animations="disabled")
    page.go_back()  # to all time, through the history the switcher made
    page.wait_for_selector('#dashboard[data-year="all"][data-complete="true"]', timeout=30_000)
    assert page.url == f"{base}/?session={session_id}"
    page.screenshot(path=str(ARTIFACTS / "all-time-phone.png"), full_page=True, animations="disabled")
    assert browser.dialogs == []
    assert browser.unexpected_errors() == []
    assert page.evaluate("window.__images") == []


def test_a_link_to_a_year_opens_it_and_a_bad_year_falls_back_to_all_time(stack: str, watched: Any) -> None:
    base = stack
    session_id = httpx.post(
        f"{base}/api/sessions", files=files(("export.zip", SAMPLE_ZIP.read_bytes()))
    ).json()["id"]
    wait_for_session_completed(base, session_id)
    browser = watched()
    page = browser.page
    page.goto(f"{base}/?session={session_id}&year=2022")
    page.wait_for_selector('#dashboard[data-year="2022"][data-complete="true"]', timeout=30_000)
    assert headline(page)["Films"] == "24"
    page.goto(f"{base}/?session={session_id}&year=abc")
    page.wait_for_selector('#dashboard[data-year="all"][data-complete="true"]', timeout=30_000)
    assert "year must be a four-digit year" in page.inner_text("#alert")
    assert page.url == f"{base}/?session={session_id}"
    assert browser.unexpected_errors(400) == []
