"""From an export title to a film outcome, asking TMDB as little as possible.

Per title key (normalised title, year): the shared cache first; else a claim in tmdb_fetches so
that no two workers fetch the same thing at once (the loser waits for the winner's answer in the
cache); within one worker, a film already being resolved is simply awaited. Only then the
matching searches, and the details of the chosen film unless they are cached already.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from worker.enrich import cache_key
from worker.films import Film, Outcome
from worker.tmdb.cache import TmdbCache
from worker.tmdb.client import TmdbClient
from worker.tmdb.matching import Matcher
from worker.tmdb.movies import movie_record

Json = dict[str, Any]
T = TypeVar("T")
WAIT_POLL_SECONDS = 0.1
RECENT_ANSWERS = 1_000  # a few jobs' worth: the answers only need to outlive their batch


@dataclass(frozen=True)
class Resolution:
    """What a title key resolved to, and the cache rows to store (None when already cached)."""

    tmdb_id: int | None
    rule: str | None
    search: Json | None = None
    movie: Json | None = None


class Resolver:
    """Resolves the films of this worker's jobs; shares in-flight work within the worker."""

    def __init__(self, client: TmdbClient, cache: TmdbCache) -> None:
        self._client = client
        self._matcher = Matcher(client)
        self._cache = cache
        self._in_flight: dict[tuple[str, int], asyncio.Future[Resolution]] = {}
        # Answers this worker got lately: the shared cache has them only once their batch is
        # written, and until then another of this worker's jobs may ask for the same title.
        self._recent: OrderedDict[tuple[str, int], Resolution] = OrderedDict()

    async def resolve(self, film: Film, fresh: bool = False) -> Outcome:
        """The film's outcome: matched (with the TMDB id and rule) or not_found.

        `fresh` (a retried job) ignores cached "not found" answers and asks TMDB again."""
        key = cache_key(film)
        known = self._recent.get(key)
        if known is not None and not (fresh and known.tmdb_id is None):
            return _outcome(film, Resolution(known.tmdb_id, known.rule))
        while (shared := self._in_flight.get(key)) is not None:
            try:
                found = await asyncio.shield(shared)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if shared.cancelled() and task is not None and not task.cancelling():
                    continue  # the film's owner was cancelled (its job stopped), not this one
                raise
            return _outcome(film, Resolution(found.tmdb_id, found.rule))  # the owner stores the cache rows
        future: asyncio.Future[Resolution] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            found = await self._resolve_key(film, *key, fresh=fresh)
        except Exception as problem:
            future.set_exception(problem)
            future.exception()  # marked retrieved: nobody may be sharing it
            raise
        except BaseException:
            future.cancel()
            raise
        finally:
            self._in_flight.pop(key, None)
        future.set_result(found)
        self._recent[key] = found
        if len(self._recent) > RECENT_ANSWERS:
            self._recent.popitem(last=False)
        return _outcome(film, found)

    async def _resolve_key(self, film: Film, key: str, year: int, fresh: bool) -> Resolution:
        fetch_key = f"search:{key}|{year}"

        async def cached_search() -> Json | None:
            found = await self._cache.search(key, year)
            return None if fresh and found is not None and found["tmdb_id"] is None else found

        cached = await self._own_or_wait(fetch_key, cached_search)
        if cached is not None:
            return await self._from_cache(cached)
        try:
            choice = await self._matcher.choose(film.name, film.year)
            if choice is None:
                return Resolution(None, None, search=_search_row(key, year, None, None))
            exists, movie = await self._details(choice.tmdb_id)
        except BaseException:
            await asyncio.shield(self._cache.release(fetch_key))
            raise
        if not exists:  # TMDB lost the film between search and details
            return Resolution(None, None, search=_search_row(key, year, None, None))
        return Resolution(
            choice.tmdb_id, choice.rule, _search_row(key, year, choice.tmdb_id, choice.rule), movie
        )

    async def _from_cache(self, cached: Json) -> Resolution:
        tmdb_id = cached["tmdb_id"]
        if tmdb_id is None:
            return Resolution(None, None)
        exists, movie = await self._details(int(tmdb_id))  # usually cached; fetched again when stale
        if not exists:
            return Resolution(None, None)
        return Resolution(int(tmdb_id), cached["match_rule"], movie=movie)

    async def _details(self, tmdb_id: int) -> tuple[bool, Json | None]:
        """Whether TMDB has the film, and its details to store (None when already cached)."""
        fetch_key = f"movie:{tmdb_id}"
        cached = await self._own_or_wait(fetch_key, lambda: self._cache.movie(tmdb_id))
        if cached is not None:
            return True, None
        try:
            details = await self._client.movie_details(tmdb_id)
        except BaseException:
            await asyncio.shield(self._cache.release(fetch_key))
            raise
        if details is None:
            await asyncio.shield(self._cache.release(fetch_key))
            return False, None
        return True, movie_record(details)

    async def _own_or_wait(self, fetch_key: str, lookup: Callable[[], Awaitable[T | None]]) -> T | None:
        """What the cache holds for the key, or None once this worker holds the claim to fetch it."""
        while True:
            found = await lookup()
            if found is not None:
                return found
            if await self._cache.claim(fetch_key):
                # The previous holder may have stored its answer between our look-up and claim.
                found = await lookup()
                if found is None:
                    return None
                await self._cache.release(fetch_key)
                return found
            await asyncio.sleep(WAIT_POLL_SECONDS)  # another worker is fetching it right now


def _search_row(key: str, year: int, tmdb_id: int | None, rule: str | None) -> Json:
    return {"title_key": key, "year": year, "tmdb_id": tmdb_id, "match_rule": rule}


def _outcome(film: Film, found: Resolution) -> Outcome:
    status = "matched" if found.tmdb_id is not None else "not_found"
    return Outcome(film.film_no, status, found.tmdb_id, found.rule, search=found.search, movie=found.movie)
