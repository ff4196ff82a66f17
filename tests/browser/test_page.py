"""The web page in a real Chromium against the real stack: API process, one worker, loopback TMDB.

Needs Debian's Chromium at /usr/bin/chromium and the `playwright` package (its own browsers are not
used: no `playwright install`). Skipped, saying so, when either is missing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.exports import files
from tests.support.processes import ROOT, wait_until
from tests.support.workers import fleet
from tmdbdemo.testing import FakeTmdb

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SAMPLE = ROOT / "samples" / "letterboxd"
SAMPLE_ZIP = ROOT / "samples" / "letterboxd-export.zip"
ARTIFACTS = ROOT / "test-artifacts"
XSS_TITLE = "<img src=x onerror=alert(1)>"
# Every bar chart of the all-time view: the analytics key it reads (each svg carries data-chart=<key>).
CHARTS = (
    "watches_by_month",
    "years",
    "watches_by_weekday",
    "ratings",
    "decades",
    "release_years",
    "genres",
    "average_rating_by_genre",
    "top_directors",
    "top_directors_by_hours",
    "top_actors",
    "top_directors_by_rating",
    "countries",
    "top_actors_by_rating",
    "languages",
    "average_rating_by_decade",
    "runtime_spread",
)
# A year in review's bar charts (its months are all twelve, its weeks every ISO week it touches).
YEAR_CHARTS = (
    "watches_by_weekday",
    "watches_by_month",
    "watches_by_week",
    "genres",
    "ratings",
    "decades",
    "top_directors",
    "top_actors",
    "countries",
    "languages",
    "average_rating_by_genre",
    "top_directors_by_hours",
    "top_directors_by_rating",
    "top_actors_by_rating",
    "runtime_spread",
    "release_years",
)
# Series whose bars are all drawn, zeros too, so a series of zeros shows an empty card instead.
ZERO_SERIES = {"ratings", "watches_by_weekday", "runtime_spread", "watches_by_month", "watches_by_week"}
TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."
# Records every <img> element that appears, whatever created it, before any page script runs.
WATCH_IMAGES = """
window.__images = [];
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType !== 1) continue;
    for (const img of [node, ...node.querySelectorAll("img")]) {
      if (img.tagName === "IMG") window.__images.push(img.outerHTML);
    }
  }
}).observe(document, {childList: true, subtree: true});
"""
CHART_STATE = """
() => Object.fromEntries([...document.querySelectorAll("svg[data-chart]")].map((svg) => [
  svg.dataset.chart,
  {
    bars: Number(svg.dataset.bars),
    limit: svg.dataset.limit,
    rects: svg.querySelectorAll("rect.bar").length,
    tips: [...svg.querySelectorAll("rect.bar")].map((rect) => rect.querySelector("title")?.textContent ?? ""),
    role: svg.getAttribute("role"),
    name: (svg.getAttribute("aria-labelledby") || "").split(" ")
      .map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim(),
  },
]))
"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            "browser tests need /usr/bin/chromium: install Debian's chromium (apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional dependency
    except ImportError:
        pytest.skip(
            "browser tests need the playwright package (pip install playwright, no `playwright install`)"
            " and Debian's chromium at /usr/bin/chromium"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A page with everything it does recorded: dialogs, console errors, requests."""

    def __init__(self, browser: Any, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[tuple[str, str]] = []
        self.page.add_init_script(WATCH_IMAGES)
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("request", lambda r: self.requests.append((r.method, r.url)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def unexpected_errors(self, *statuses: int) -> list[str]:
        """Console errors, except the browser's own note on an HTTP error status we provoked."""
        allowed = [f"status of {status} " for status in statuses]
        return [
            e for e in self.errors if not ("Failed to load resource" in e and any(a in e for a in allowed))
        ]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(chromium: Any) -> Iterator[Any]:
    pages: list[Watched] = []

    def open_page(**size: int) -> Watched:
        pages.append(Watched(chromium, **size))
        return pages[-1]

    yield open_page
    for page in pages:
        page.close()


@pytest.fixture
def stack(start_api: Any, database_url: str, tmp_path: Path) -> Iterator[str]:
    """The API on a free port, one worker and the loopback TMDB (demo catalogue); the API's base URL."""
    base, _ = start_api()
    with FakeTmdb() as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as workers:
        workers.start(1)
        yield base


def append_row(path: Path, row: list[object]) -> None:
    text = path.read_text(encoding="utf-8")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    path.write_text(text + ("" if text.endswith("\n") else "\n") + out.getvalue(), encoding="utf-8")


def export_copy(folder: Path) -> list[Path]:
    """The sample's CSVs, plus a diary and a watched row for a film titled like an HTML injection."""
    folder.mkdir()
    names = ["watched.csv", "diary.csv", "ratings.csv", "reviews.csv", "watchlist.csv", "profile.csv"]
    for name in names:
        shutil.copy(SAMPLE / name, folder / name)
    append_row(
        folder / "diary.csv",
        ["2024-12-01", XSS_TITLE, 2001, "https://boxd.it/xSs1", "3", "", "", "2024-12-01"],
    )
    append_row(folder / "watched.csv", ["2024-12-01", XSS_TITLE, 2001, "https://boxd.it/xSs0"])
    return [folder / name for name in names]


def expected_bars(key: str, data: list[dict[str, Any]], limit: str, year: int | None = None) -> int:
    """How many bars the page should draw for an analytics series, after its documented top-N cut."""
    if key in ZERO_SERIES and not any(entry["count"] for entry in data):
        return 0
    if key == "watches_by_month" and year:
        return 12
    return len(data) if limit == "none" else min(len(data), int(limit))


def check_charts(page: Any, analytics: dict[str, Any], keys: tuple[str, ...] = CHARTS) -> None:
    charts = page.evaluate(CHART_STATE)
    charts.pop("calendar", None)  # not bars: see test_a_year_in_review
    empty = set(page.eval_on_selector_all("[data-empty-chart]", "els => els.map(e => e.dataset.emptyChart)"))
    year = analytics["year"]
    for key in keys:
        data = analytics[key]
        if key not in charts:
            assert key in empty, f"{key}: neither a chart nor an empty-state card"
            assert expected_bars(key, data, "none", year) == 0, f"{key}: data but no chart"
            continue
        chart = charts[key]
        want = expected_bars(key, data, chart["limit"], year)
        assert chart["bars"] == chart["rects"] == want, (
            f"{key}: {chart['bars']}/{chart['rects']} bars, want {want}"
        )
        assert chart["role"] == "img"
        assert chart["name"], f"{key}: the chart has no accessible name"
        assert all(chart["tips"]), f"{key}: a bar has no <title>"
        if data and "name" in data[0]:  # rankings: one bar per entry, in the API's order
            for tip, entry in zip(chart["tips"], data, strict=False):
                assert tip.startswith(f"{entry['name']}:"), (key, tip, entry)
    assert not set(charts) - set(keys), f"charts the test does not know: {set(charts) - set(keys)}"


def headline(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("#headline .stat")].map((stat) =>
            [stat.querySelector("dt").textContent, stat.querySelector(".stat-value").textContent]))"""
    )


def wait_for_session_completed(base: str, session_id: str) -> None:
    wait_until(
        lambda: httpx.get(f"{base}/api/sessions/{session_id}").json()["status"] == "completed",
        60,
        "the session to complete",
        interval=0.2,
    )


def test_upload_progress_charts_and_unmatched_films(stack: str, watched: Any, tmp_path: Path) -> None:
    base = stack
    browser = watched()
    page = browser.page
    page.goto(f"{base}/")
    page.wait_for_selector("#dropzone")
    page.wait_for_load_state("networkidle")  # /api/info answered
    # Runs under the page's Content-Security-Policy: the test's own scripts are functions, not strings
    # (a string would need eval, which the policy forbids).
    info = httpx.get(f"{base}/api/info").json()
    assert page.is_visible("#demo-banner") == bool(info["demo_catalogue"])
    assert page.inner_text("#max-mb") == str(info["max_upload_mb"])

    page.set_input_files("#file-input", [str(path) for path in export_copy(tmp_path / "export")])
    page.wait_for_url(re.compile(r"/\?session=[0-9a-f-]{36}$"), timeout=30_000)
    session_id = page.url.rsplit("=", 1)[1]

    progress = page.locator("#progress")
    assert progress.get_attribute("role") == "progressbar"
    assert (progress.get_attribute("aria-valuemin"), progress.get_attribute("aria-valuemax")) == ("0", "100")
    page.wait_for_function(
        "() => document.querySelector('#progress').getAttribute('aria-valuenow') === '100'", timeout=60_000
    )
    page.wait_for_selector('#dashboard[data-complete="true"]', timeout=30_000)
    page.wait_for_selector("#unmatched .film-list li", timeout=30_000)

    session = httpx.get(f"{base}/api/sessions/{session_id}").json()
    assert session["status"] == "completed"
    total = session["progress"]["total"]
    assert total == 51
    assert progress.get_attribute("aria-valuetext") == f"{total} of {total} films"
    assert page.inner_text("#progress-count") == f"{total} of {total} films"
    assert page.inner_text("#count-not-found") == str(session["progress"]["not_found"])

    analytics = httpx.get(f"{base}/api/sessions/{session_id}/analytics").json()
    assert analytics["complete"] is True
    check_charts(page, analytics)
    numbers = headline(page)
    assert numbers["Films"] == f"{analytics['films']:,}"
    assert numbers["Unmatched"] == f"{analytics['unmatched']:,}"
    assert numbers["Watches"] == f"{analytics['watches']:,}"
    assert not page.is_visible("#updating")

    # The title is data: shown as literal text, never parsed as HTML.
    names = page.locator("#unmatched .film-list[data-status=not_found] .film-name").all_inner_texts()
    assert XSS_TITLE in names
    assert {"Hen Hop", "Kummatty", "Chunking Express"} <= set(names)
    assert page.locator("#unmatched .film-name", has_text=XSS_TITLE).count() == 1
    assert page.evaluate("window.__images") == []
    assert page.locator("img").count() == 0
    assert browser.dialogs == []
    assert browser.unexpected_errors() == []

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page.png"), full_page=True, animations="disabled")

    # Phone width: charts stack in one column and nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function(
        "() => [...document.querySelectorAll('svg[data-chart]')]"
        ".every((svg) => Number(svg.getAttribute('width')) <= svg.parentElement.clientWidth)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    lefts = page.eval_on_selector_all(
        ".chart-card", "cards => cards.map(c => Math.round(c.getBoundingClientRect().left))"
    )
    assert len(set(lefts)) == 1, lefts
    widths = page.eval_on_selector_all(
        "svg[data-chart]", "svgs => svgs.map(s => s.getBoundingClientRect().right)"
    )
    assert max(widths) <= 375
    check_charts(page, analytics)  # redrawn for the narrow width, same bars
    page.screenshot(path=str(ARTIFACTS / "page-phone.png"), full_page=True, animations="disabled")
    assert browser.dialogs == []
    assert page.evaluate("window.__images") == []


def test_a_bad_file_shows_the_api_error_sentence(stack: str, watched: Any, tmp_path: Path) -> None:
    base = stack
    bad = tmp_path / "notes.csv"
    bad.write_bytes(b"Title,Thoughts\nHeat,great\n")
    answer = httpx.post(f"{base}/api/sessions", files=files(("notes.csv", bad.read_bytes())))
    assert 400 <= answer.status_code < 500
    sentence = answer.json()["error"]

    browser = watched()
    page = browser.page
    page.goto(f"{base}/")
    page.set_input_files("#file-input", [str(bad)])
    alert = page.locator("[role=alert]")
    alert.filter(has_text=sentence).wait_for(timeout=15_000)
    assert alert.inner_text().strip() == sentence
    assert page.is_visible("#dropzone")
    assert "session=" not in page.url
    assert browser.dialogs == []
    assert browser.unexpected_errors(answer.status_code) == []


def test_a_session_link_shows_the_finished_statistics_without_uploading(stack: str, watched: Any) -> None:
    base = stack
    response = httpx.post(f"{base}/api/sessions", files=files(("export.zip", SAMPLE_ZIP.read_bytes())))
    assert response.status_code == 202
    session_id = response.json()["id"]
    wait_for_session_completed(base, session_id)

    browser = watched(width=1280, height=900)
    page = browser.page
    page.goto(f"{base}/?session={session_id}")
    page.wait_for_selector('#dashboard[data-complete="true"]', timeout=30_000)
    assert page.get_attribute("#progress", "aria-valuenow") == "100"
    check_charts(page, httpx.get(f"{base}/api/sessions/{session_id}/analytics").json())
    assert page.is_hidden("#upload-view")
    assert not [url for method, url in browser.requests if method == "POST"]

    page.click("#new-upload")
    page.wait_for_selector("#upload-view:not([hidden])")
    assert page.url == f"{base}/"
    assert browser.dialogs == []
    assert browser.unexpected_errors() == []


def test_the_page_asks_for_the_api_token_and_sends_it(start_api: Any, watched: Any) -> None:
    token = "page-test-token"
    base, _ = start_api(API_TOKEN=token)
    response = httpx.post(
        f"{base}/api/sessions",
        files=files(("watched.csv", (SAMPLE / "watched.csv").read_bytes())),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202
    session_id = response.json()["id"]

    browser = watched()
    page = browser.page
    page.goto(f"{base}/?session={session_id}")
    page.wait_for_selector("#auth:not([hidden])")
    page.fill("#auth-token", "not-the-token")
    page.click("#auth-form button[type=submit]")
    page.locator("#auth-error").filter(has_text="not accepted").wait_for()
    page.fill("#auth-token", token)
    page.press("#auth-token", "Enter")
    page.wait_for_selector("#auth", state="hidden")
    page.wait_for_selector("#headline .stat")  # no worker: enriching, but the page is in
    assert page.evaluate("sessionStorage.getItem('reelstats.api-token')") == token
    assert page.get_attribute("#session-view", "data-status") == "enriching"
    assert browser.dialogs == []
    assert browser.unexpected_errors(401) == []


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
