"""The browser tests' fixtures: Debian's Chromium, a page that records what it does, the real stack.

Needs Debian's Chromium at /usr/bin/chromium and the `playwright` package (its own browsers are not
used: no `playwright install`). Tests using `watched` are skipped, saying so, when either is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.checks import CHROMIUM, LAUNCH_ARGS, WATCH_IMAGES
from tests.support.workers import fleet
from tmdbdemo.testing import FakeTmdb


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
def live(start_api: Any, database_url: str, tmp_path: Path) -> Iterator[tuple[str, FakeTmdb]]:
    """The API on a free port, one worker and the loopback TMDB (demo catalogue): the API's base
    URL and the TMDB, which a test may slow down."""
    base, _ = start_api()
    with FakeTmdb() as tmdb, fleet(database_url, tmdb.base_url, tmp_path) as workers:
        workers.start(1)
        yield base, tmdb


@pytest.fixture
def stack(live: tuple[str, FakeTmdb]) -> str:
    """The base URL of `live`."""
    return live[0]
