"""What the browser tests check a page with: which charts it draws, how many bars each should have,
its headline numbers; and the files and paths they use."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import httpx

from tests.support.processes import ROOT, wait_until

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
    hidden = set(
        page.eval_on_selector_all("[data-card]", "els => els.filter(e => e.hidden).map(e => e.dataset.card)")
    )
    year = analytics["year"]
    for key in keys:
        data = analytics[key]
        if data is None:  # the upload cannot tell it (say, ratings of a Netflix history): no card
            assert key in hidden and key not in charts and key not in empty, f"{key}: null, but shown"
            continue
        assert key not in hidden, f"{key}: has data, but its card is hidden"
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


def genre_bars(page: Any) -> dict[str, int]:
    """The genres chart as drawn: each bar's genre and film count, read from its <title>."""
    tips = page.eval_on_selector_all(
        'svg[data-chart="genres"] rect.bar', "rects => rects.map(r => r.querySelector('title').textContent)"
    )
    bars = {}
    for tip in tips:
        name, _, count = tip.rpartition(": ")
        bars[name] = int(count.split()[0])
    return bars


DROP = """(files) => {
  const transfer = new DataTransfer();
  for (const file of files) {
    const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], file.name));
  }
  const zone = document.querySelector("#dropzone");
  for (const type of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }
}"""


def drop_files(page: Any, paths: list[Path]) -> None:
    """Drop files on the page's drop zone, as a file manager's drag and drop delivers them."""
    payload = [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode()} for p in paths]
    page.evaluate(DROP, payload)
