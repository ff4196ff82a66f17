"""A TMDB API v3 client: authentication, timeouts, retries, and errors that say what happened.

One client per worker process; requests share its keep-alive connections. Every request first
passes the worker's concurrency gate (WORKER_CONCURRENCY requests in flight), then waits for its
slot in the fleet's rate schedule. 429 pauses the whole fleet for Retry-After; 5xx, timeouts and
dropped connections are retried a few times with backoff; 401 stops every request at once.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from typing import Any, Protocol

import httpx

from worker.config import WorkerConfig
from worker.errors import TmdbRejectedCredentials, TmdbUnavailable
from worker.tmdb.ratelimit import REJECTED_MESSAGE

log = logging.getLogger("worker.tmdb")

Json = dict[str, Any]
QUICK_RETRIES = 3  # per request, for 5xx, timeouts and dropped connections
MAX_RATE_LIMIT_WAITS = 20  # 429s one request may sit out before its job is retried later
DETAILS_APPENDED = "credits,alternative_titles,release_dates"
KEEPALIVE_SECONDS = 120.0
GRANT_SECONDS = 0.05


class RequestLimiter(Protocol):
    """The fleet's request schedule (see ratelimit.FleetRateLimiter)."""

    async def acquire(self) -> None: ...

    def give_back(self) -> None: ...

    def usable(self) -> bool: ...

    async def pause(self, seconds: float) -> None: ...

    async def reject(self) -> None: ...


def create_http_client(config: WorkerConfig) -> httpx.AsyncClient:
    """The worker's HTTP client for TMDB: at most 20 connections as TMDB asks, kept alive long
    past the idle gaps between uploads (httpx's default of 5 s would make the first request after
    a pause pay a new TCP and TLS handshake)."""
    headers = {"Accept": "application/json", "User-Agent": "reelstats-worker"}
    if config.tmdb_access_token:
        headers["Authorization"] = f"Bearer {config.tmdb_access_token}"
    params = {"api_key": config.tmdb_api_key} if config.tmdb_api_key and not config.tmdb_access_token else {}
    return httpx.AsyncClient(
        base_url=config.tmdb_base_url + "/",
        headers=headers,
        params=params,
        timeout=httpx.Timeout(5.0, connect=3.0),
        limits=httpx.Limits(
            max_connections=min(20, config.concurrency),
            max_keepalive_connections=20,
            keepalive_expiry=KEEPALIVE_SECONDS,
        ),
    )


class TmdbClient:
    """GET requests to TMDB with retries; raises TmdbUnavailable or TmdbRejectedCredentials."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        concurrency: int,
        limiter: RequestLimiter,
        on_answer: Callable[[str], None] = lambda status: None,
    ) -> None:
        self._http = http
        self._gate = asyncio.Semaphore(concurrency)
        self._limiter = limiter
        self._on_answer = on_answer  # counts requests by status for /metrics

    async def slot(self) -> float:
        """Wait for a request slot now, for a request decided on once it is granted; returns the
        grant's time, to pass as `get(granted_at=...)`; `give_back()` if it goes unused."""
        await self._limiter.acquire()
        return time.monotonic()

    def give_back(self) -> None:
        """The slot from `slot()` is not needed after all: the next request takes it."""
        self._limiter.give_back()

    async def get(
        self, path: str, params: dict[str, str | int], granted_at: float | None = None
    ) -> Json | None:
        """The JSON body of a 200 answer, or None for 404; retries what is worth retrying.

        `granted_at`: the caller holds the slot for the first attempt (from `slot()`). A slot is
        good only for GRANT_SECONDS: a request held up longer (a slow database round trip, a full
        concurrency gate) waits for a new one, so late requests never bunch past the rate."""
        failures = rate_limited = 0
        while True:
            # The slot is waited for outside the gate: a request holding one of the gate's places
            # while its slot is far ahead would keep out requests whose slots are due, and those
            # would come too late for theirs (each slot they waste is one the fleet never uses).
            if granted_at is None or time.monotonic() - granted_at > GRANT_SECONDS:
                await self._limiter.acquire()
                granted_at = time.monotonic()
            try:
                async with self._gate:
                    # Held up by a full gate for long (a slow TMDB), or a pause began meanwhile: a
                    # new slot. (usable() raises once TMDB refused the credentials.)
                    if time.monotonic() - granted_at > GRANT_SECONDS or not self._limiter.usable():
                        granted_at = None
                        continue
                    granted_at = None
                    response = await self._http.get(path, params=params)
            except httpx.TransportError as problem:  # timeouts, refused or dropped connections
                self._on_answer("error")
                reason = f"no answer from TMDB ({type(problem).__name__})"
            else:
                status = response.status_code
                self._on_answer(str(status))
                if status == 200:
                    body: Json = response.json()
                    return body
                if status == 404:
                    return None
                if status == 401:
                    await self._limiter.reject()
                    raise TmdbRejectedCredentials(REJECTED_MESSAGE)
                if status == 429 and rate_limited < MAX_RATE_LIMIT_WAITS:
                    rate_limited += 1
                    await self._limiter.pause(_retry_after(response))
                    continue
                reason = f"TMDB answered HTTP {status}"
            failures += 1
            if failures >= QUICK_RETRIES:
                raise TmdbUnavailable(f"{reason} after {failures} tries")
            await asyncio.sleep(0.25 * 2**failures * random.uniform(0.5, 1.5))  # noqa: S311 - jitter

    async def search_page(
        self, query: str, page: int = 1, *, granted_at: float | None = None, year: int | None = None
    ) -> tuple[list[Json], int]:
        """One page of /search/movie results for a title (`year`: any release that year), and how
        many pages TMDB has for the query."""
        params: dict[str, str | int] = {"query": query, "include_adult": "false"}
        if year is not None:
            params["year"] = year
        if page > 1:
            params["page"] = page
        body = await self.get("search/movie", params, granted_at) or {}
        results = body.get("results") or []
        pages = body.get("total_pages")
        return (
            [r for r in results if isinstance(r, dict) and isinstance(r.get("id"), int)],
            pages if isinstance(pages, int) else 1,
        )

    async def find_imdb(self, imdb_id: str, granted_at: float | None = None) -> int | None:
        """The TMDB film with this IMDb id (/find, one request), or None when TMDB has none."""
        body = await self.get(f"find/{imdb_id}", {"external_source": "imdb_id"}, granted_at) or {}
        films = [
            r for r in body.get("movie_results") or [] if isinstance(r, dict) and isinstance(r.get("id"), int)
        ]
        return int(films[0]["id"]) if films else None

    async def movie_details(self, tmdb_id: int, granted_at: float | None = None) -> Json | None:
        """/movie/{id} with credits, alternative titles and release dates (one request), or None
        when TMDB has no such film."""
        return await self.get(f"movie/{tmdb_id}", {"append_to_response": DETAILS_APPENDED}, granted_at)


def _retry_after(response: httpx.Response) -> float:
    try:
        seconds = float(response.headers.get("Retry-After", "1"))
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.05), 60.0)
