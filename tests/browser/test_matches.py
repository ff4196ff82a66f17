"""Correcting matches on the page ("Check your matches" and the film lists), against the real
stack: the choice goes to the API, a real worker fetches the film from the loopback TMDB, and the
progress bar and the genre chart follow.

The export is a Netflix viewing history (no years), so both of the catalogue's Crashes fit and
the more popular, 2004's (Paul Haggis: Drama, Crime), is chosen with `alternatives` 1; likewise
Heat 1995 (Crime, Drama, Action) over Heat 1972 (Drama, Comedy). Roma is Drama, Spirited Away
Animation, Family, Fantasy; a title written like HTML is on no TMDB.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.checks import ARTIFACTS, TMDB_NOTICE, XSS_TITLE, check_charts, genre_bars, headline

pytestmark = pytest.mark.slow
HISTORY = (
    '"Title","Date"\n"Crash","3/2/2024"\n"Heat","3/1/2024"\n"Roma","2/28/2024"\n'
    f'"Spirited Away","2/27/2024"\n"{XSS_TITLE}","2/26/2024"\n'
)
CRASH_1996, CRASH_2004, HEAT_1972 = 9000005, 9000008, 9000002
GENRES_AS_UPLOADED = {"Drama": 3, "Crime": 2, "Action": 1, "Animation": 1, "Family": 1, "Fantasy": 1}
# Crash 2004 (Drama, Crime) -> 1996 (Drama, Thriller): one Crime fewer, one Thriller more.
AFTER_CRASH = {"Drama": 3, "Crime": 1, "Thriller": 1, "Action": 1, "Animation": 1, "Family": 1, "Fantasy": 1}
# Heat 1995 (Crime, Drama, Action) -> 1972 (Drama, Comedy): no Crime or Action left, a Comedy.
AFTER_HEAT = {"Drama": 3, "Comedy": 1, "Thriller": 1, "Animation": 1, "Family": 1, "Fantasy": 1}
# Roma (Drama) is not on TMDB: one Drama fewer.
AFTER_ROMA = {"Drama": 2, "Comedy": 1, "Thriller": 1, "Animation": 1, "Family": 1, "Fantasy": 1}
GENRES_ARE = """(want) => {
  const got = {};
  for (const rect of document.querySelectorAll('svg[data-chart="genres"] rect.bar')) {
    const tip = rect.querySelector("title").textContent;
    const at = tip.lastIndexOf(": ");
    got[tip.slice(0, at)] = parseInt(tip.slice(at + 2), 10);
  }
  const sorted = (o) => JSON.stringify(Object.entries(o).sort());
  return sorted(got) === sorted(want);
}"""


def wait_for_genres(page: Any, want: dict[str, int]) -> None:
    page.wait_for_function(GENRES_ARE, arg=want, timeout=30_000)


def row(page: Any, name: str) -> Any:
    return page.locator("#check li.check-film").filter(has=page.get_by_text(name, exact=True))


def test_matches_corrected_on_the_page_change_the_genre_chart(
    live: Any, watched: Any, tmp_path: Path
) -> None:
    base, tmdb = live
    history = tmp_path / "NetflixViewingHistory.csv"
    history.write_text(HISTORY, encoding="utf-8")
    browser = watched()
    page = browser.page
    page.goto(f"{base}/")
    page.set_input_files("#file-input", [str(history)])
    page.wait_for_url(re.compile(r"/\?session=[0-9a-f-]{36}$"), timeout=30_000)
    session_id = page.url.rsplit("=", 1)[1]
    page.wait_for_selector('#dashboard[data-complete="true"]', timeout=60_000)
    page.wait_for_selector("#check:not([hidden]) .check-list li", timeout=30_000)
    assert genre_bars(page) == GENRES_AS_UPLOADED

    # Listed: the two films another film fits as well, with the one chosen and its TMDB link, and
    # the one TMDB does not have (its title shown as text).
    listed = page.locator('#check .check-list[data-group="alternatives"] .film-name').all_inner_texts()
    assert listed == ["Crash", "Heat"]
    assert page.locator('#check .check-list[data-group="not_found"] .film-name').all_inner_texts() == [
        XSS_TITLE
    ]
    crash = row(page, "Crash")
    assert crash.locator(".check-chosen").inner_text() == "Matched to Crash (2004) · 1 other film fits too"
    link = crash.locator("a.check-tmdb")
    assert link.get_attribute("href") == f"https://www.themoviedb.org/movie/{CRASH_2004}"
    assert TMDB_NOTICE in page.locator("#check .tmdb-note").inner_text()

    # Crash: the candidates, by keyboard; the other Crash is one Enter away.
    change = crash.locator(".check-change")
    change.focus()
    page.keyboard.press("Enter")
    assert change.get_attribute("aria-expanded") == "true"
    candidate = crash.locator(f'li.candidate[data-tmdb-id="{CRASH_1996}"]')
    candidate.wait_for(timeout=15_000)
    assert candidate.locator(".candidate-title").inner_text() == "Crash (1996)"
    current = crash.locator(f'li.candidate[data-tmdb-id="{CRASH_2004}"]')
    assert current.locator(".candidate-use").inner_text() == "Keep this film"
    assert TMDB_NOTICE in crash.locator(".matcher .tmdb-note").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    crash.scroll_into_view_if_needed()
    page.locator("#check").screenshot(path=str(ARTIFACTS / "check.png"), animations="disabled")
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function("() => document.documentElement.scrollWidth <= 375")
    assert page.locator("#check").bounding_box()["width"] <= 375
    page.locator("#check").screenshot(path=str(ARTIFACTS / "check-phone.png"), animations="disabled")
    page.set_viewport_size({"width": 1280, "height": 900})

    # TMDB answers slowly for a moment, so the page is seen following the worker again.
    tmdb.configure(latency_ms=1500)
    candidate.locator(".candidate-use").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector('#session-view[data-status="enriching"]', timeout=10_000)
    assert page.inner_text("#progress-title") == "Looking up your choice"
    page.wait_for_selector('#session-view[data-status="completed"]', timeout=30_000)
    tmdb.configure(latency_ms=0)
    wait_for_genres(page, AFTER_CRASH)
    crash.locator(".check-chosen", has_text="Crash (1996)").wait_for(timeout=15_000)
    assert crash.locator(".check-chosen").inner_text() == "Matched to Crash (1996) · your choice"
    assert crash.locator("a.check-tmdb").get_attribute("href").endswith(f"/movie/{CRASH_1996}")
    assert page.get_attribute("#progress", "aria-valuenow") == "100"

    # Heat: Esc closes its editor and gives the focus back; a pasted address that is not TMDB's
    # gets the API's sentence; TMDB's is taken.
    heat = row(page, "Heat")
    heat.locator(".check-change").click()
    heat.locator(".candidate").first.wait_for(timeout=15_000)
    page.keyboard.press("Escape")
    assert heat.locator(".check-editor").is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Change"
    heat.locator(".check-change").click()
    heat.locator(".matcher-input").fill("https://www.imdb.com/title/tt0113277/")
    heat.locator(".matcher-input").press("Enter")
    heat.locator(".field-error", has_text="tmdb_url must be a TMDB film address").wait_for(timeout=10_000)
    heat.locator(".matcher-input").fill(f"https://www.themoviedb.org/movie/{HEAT_1972}-heat?language=en-US")
    heat.get_by_role("button", name="Use link").click()
    wait_for_genres(page, AFTER_HEAT)
    heat.locator(".check-chosen", has_text="Heat (1972)").wait_for(timeout=15_000)

    # The title written like HTML: "not on TMDB"; it stays unmatched, now by the person's word.
    odd = row(page, XSS_TITLE)
    odd.locator(".check-change").click()
    odd.get_by_role("button", name="Not on TMDB").click()
    odd.locator(".check-chosen", has_text="You said this film is not on TMDB").wait_for(timeout=15_000)

    # Roma from the drill-down list of the Drama bar: "Wrong film?" then "Not on TMDB".
    page.locator('[data-card="genres"] details.chart-table summary').click()
    page.locator('[data-card="genres"] .chart-table button', has_text="Drama").click()
    page.wait_for_selector('#films-dialog[open][data-loaded="all"]', timeout=15_000)
    roma = page.locator("#films-list .drill-film").filter(has=page.get_by_text("Roma", exact=True))
    roma.get_by_role("button", name="Wrong film?").click()
    roma.locator(".candidate").first.wait_for(timeout=15_000)
    page.locator("#films-dialog").screenshot(
        path=str(ARTIFACTS / "films-dialog-editor.png"), animations="disabled"
    )
    roma.get_by_role("button", name="Not on TMDB").click()
    roma.get_by_text("marked as not on TMDB").wait_for(timeout=10_000)
    page.click("#films-close")
    wait_for_genres(page, AFTER_ROMA)
    row(page, "Roma").wait_for(timeout=15_000)  # now listed with the films TMDB does not have
    assert page.locator('#check .check-list[data-group="not_found"] .film-name').all_inner_texts() == [
        XSS_TITLE,
        "Roma",
    ]

    analytics = httpx.get(f"{base}/api/sessions/{session_id}/analytics").json()
    assert {g["name"]: g["count"] for g in analytics["genres"]} == AFTER_ROMA
    page.wait_for_function(
        "(n) => document.querySelector('#headline [data-stat=unmatched] .stat-value').textContent === n",
        arg=str(analytics["unmatched"]),
        timeout=15_000,
    )
    assert analytics["unmatched"] == 2
    check_charts(page, analytics)
    films = httpx.get(f"{base}/api/sessions/{session_id}/films").json()["films"]
    assert {f["name"]: (f["tmdb_id"], f["match_rule"]) for f in films if f["match_rule"] == "manual"} == {
        "Crash": (CRASH_1996, "manual"),
        "Heat": (HEAT_1972, "manual"),
        "Roma": (None, "manual"),
        XSS_TITLE: (None, "manual"),
    }
    assert headline(page)["Films"] == "5"
    assert page.evaluate("window.__images") == []
    assert browser.dialogs == []
    assert browser.unexpected_errors(422) == []
