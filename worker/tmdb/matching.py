"""Asking TMDB about an export row until the evidence proves a film, or proves that none fits.

With a year, the first search is `year=` (every film with any release that year, so it holds
both the primary-year and the earlier-release tiers); only when that proves nothing better than
tier 2 are the details of the best unproven candidates read (their alternative titles may be the
row's title), and only when nothing fits yet is TMDB searched without a year (the one-year-off
tier). Without a year, one search without a year. When nothing fits after that, the title
spelled the other way (common.titles.search_variant: "Part 1" for "Part One", "III" for "3") is
searched once more. Each search reads page 2 when page 1 holds no
film of the row's exact title and TMDB has more. The details read along the way are the ones the
chosen film needs anyway, so the usual film costs one search and one details request.
See evidence.py for the rules themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from common.titles import search_variant, title_key
from worker.tmdb.client import TmdbClient
from worker.tmdb.evidence import Pool, Verdict

Json = dict[str, Any]
# The movie record (see movies.py) of a TMDB id, from the cache or TMDB; None: TMDB has no such film.
Details = Callable[[int], Awaitable[Json | None]]
MAX_FINALISTS = 3  # details read per row to look for an alternative title
# Bumped whenever the rules change what a row resolves to: cached answers of another version are
# never served (tmdb_searches.matcher_version), so a fixed rule reaches every cached title.
MATCHER_VERSION = 2


class Matcher:
    """Runs the searches for one row and judges the merged candidates."""

    def __init__(self, client: TmdbClient) -> None:
        self._client = client

    async def choose(
        self, name: str, year: int | None, details: Details, granted_at: float | None = None
    ) -> Verdict:
        """The verdict for (name, year): the film proven, its rule and alternatives, the candidates.

        `granted_at`: the caller holds the request slot for the first search (see TmdbClient)."""
        key = title_key(name)
        pool = Pool(key, year)
        if not key:
            if granted_at is not None:
                self._client.give_back()
            return pool.verdict()
        budget = [MAX_FINALISTS]
        if year is not None:
            await self._search(pool, name, granted_at, year)
            verdict = await self._settle(pool, details, budget)
            if verdict.tmdb_id is not None:
                return verdict
            granted_at = None
        await self._search(pool, name, granted_at)
        verdict = await self._settle(pool, details, budget)
        variant = search_variant(name)
        if verdict.tmdb_id is not None or variant is None:
            return verdict
        await self._search(pool, variant, None, year)
        return await self._settle(pool, details, budget)

    async def _search(self, pool: Pool, name: str, granted_at: float | None, year: int | None = None) -> None:
        results, pages = await self._client.search_page(name, 1, granted_at=granted_at, year=year)
        pool.add(results, year)
        if pages > 1 and not pool.has_exact_title(results):
            results, _ = await self._client.search_page(name, 2, year=year)
            pool.add(results, year)

    async def _settle(self, pool: Pool, details: Details, budget: list[int]) -> Verdict:
        """The verdict once the unproven candidates of better tiers have been looked at."""
        verdict = pool.verdict()
        # One at a time, best first: finalists() is empty once a fit is in the best tier that any
        # unread candidate could reach, so the usual alternative-titled film costs one read.
        while budget[0] > 0 and (finalists := pool.finalists(1)):
            candidate = finalists[0]
            budget[0] -= 1
            record = await details(candidate.tmdb_id)
            if record is None:  # TMDB no longer has it
                del pool.by_id[candidate.tmdb_id]
                continue
            titles, years = record.get("alternative_titles") or (), record.get("release_years") or ()
            pool.learn(candidate.tmdb_id, titles, years)
            verdict = pool.verdict()
        return verdict
