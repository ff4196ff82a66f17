"""The web page in a real Chromium against the real stack: API process, one worker, loopback TMDB.

Needs Debian's Chromium at /usr/bin/chromium and the `playwright` package (its own browsers are not
used: no `playwright install`). Skipped, saying so, when either is missing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.checks import (
    ARTIFACTS,
    SAMPLE,
    SAMPLE_ZIP,
    XSS_TITLE,
    check_charts,
    headline,
    wait_for_session_completed,
)
from tests.support.exports import files

pytestmark = pytest.mark.slow


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
    page.wait_for_selector("#check .check-list li", timeout=30_000)

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
    names = page.locator("#check .check-list[data-group=not_found] .film-name").all_inner_texts()
    assert XSS_TITLE in names
    assert {"Hen Hop", "Kummatty", "Chunking Express"} <= set(names)
    assert page.locator("#check .film-name", has_text=XSS_TITLE).count() == 1
    assert page.evaluate("window.__images") == []
    assert page.locator("img").count() == 0
    assert browser.dialogs == []
    assert browser.unexpected_errors() == []

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page.png"), full_page=True, animations="disabled")
    page.locator("#check").screenshot(path=str(ARTIFACTS / "check-letterboxd.png"), animations="disabled")

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
