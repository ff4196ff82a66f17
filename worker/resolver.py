"""From an export title to a film outcome, asking TMDB as little as possible.

Per title key (normalised title, year): the shared cache first; else a claim in tmdb_fetches so
that no two workers fetch the same thing at once (the loser waits for the winner's answer in the
cache); within one worker, a film already being resolved is simply awaited. Only then the
matching searches (matching.py), and the details of the chosen film unless they are cached
already. A film whose TMDB id a person chose (manual, or remembered for its Letterboxd URI) needs
only its details: it is never searched, and its answer never enters the shared search cache.
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
from worker.tmdb.matching import MATCHER_VERSION, Matcher
from worker.tmdb.movies import movie_record

Json = dict[str, Any]
T = TypeVar("T")
WAIT_POLL_SECONDS = 0.1
RECENT_ANSWERS = 1_000  # a few jobs' worth: the answers only need to outlive their batch


@dataclass(frozen=True)
class Resolution:
    """What a title key resolved to, and the cache rows to store (none when already cached)."""

    tmdb_id: int | None
    rule: str | None
    alternatives: int = 0
    candidates: list[Json] | None = None
    search: Json | None = None
    movies: tuple[Json, ...] = ()

    def shared(self) -> Resolution:
        """The same answer for another film: the cache rows are stored once, by the owner."""
        return Resolution(self.tmdb_id, self.rule, self.alternatives, self.candidates)


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
        if film.chosen_by is not None:
            return await self._chosen(film)
        key = cache_key(film)
        known = self._recent.get(key)
        if known is not None and not (fresh and known.tmdb_id is None):
            return _outcome(film, known.shared())
        while (shared := self._in_flight.get(key)) is not None:
            try:
                found = await asyncio.shield(shared)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if shared.cancelled() and task is not None and not task.cancelling():
                    continue  # the film's owner was cancelled (its job stopped), not this one
                raise
            return _outcome(film, found.shared())
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
        self._recent[key] = found.shared()
        if len(self._recent) > RECENT_ANSWERS:
            self._recent.popitem(last=False)
        return _outcome(film, found)

    async def _chosen(self, film: Film) -> Outcome:
        """A film whose TMDB id was chosen by a person: only its details are needed."""
        chosen, rule = film.chosen_tmdb_id, film.chosen_by
        manual = chosen if rule == "manual" else None
        if chosen is None:
            return Outcome(film.film_no, "not_found", match_rule=rule, manual_tmdb_id=manual)
        record, fresh = await self._details(chosen)
        if record is None:
            error = f"TMDB has no film with id {chosen}"
            return Outcome(film.film_no, "not_found", match_rule=rule, error=error, manual_tmdb_id=manual)
        movies = (record,) if fresh else ()
        return Outcome(film.film_no, "matched", chosen, rule, manual_tmdb_id=manual, movies=movies)

    async def _resolve_key(self, film: Film, key: str, year: int, fresh: bool) -> Resolution:
        fetch_key = f"search:{key}|{year}"

        async def cached_search() -> Json | None:
            found = await self._cache.search(key, year, MATCHER_VERSION)
            return None if fresh and found is not None and found["tmdb_id"] is None else found

        cached = await self._own_or_wait(fetch_key, cached_search)
        if cached is not None:
            return await self._from_cache(cached)
        fetched: dict[int, tuple[Json | None, bool]] = {}

        async def details(tmdb_id: int) -> Json | None:
            if tmdb_id not in fetched:
                fetched[tmdb_id] = await self._details(tmdb_id)
            return fetched[tmdb_id][0]

        try:
            verdict = await self._matcher.choose(film.name, film.year, details)
            record = await details(verdict.tmdb_id) if verdict.tmdb_id is not None else None
        except BaseException:
            await asyncio.shield(self._cache.release(fetch_key))
            raise
        movies = tuple(found for found, is_fresh in fetched.values() if found is not None and is_fresh)
        if record is None:  # nothing fits, or TMDB lost the film between search and details
            search = _search_row(key, year, None, None, alternatives=0, candidates=verdict.candidates)
            return Resolution(None, None, 0, verdict.candidates, search, movies)
        rule, alternatives = verdict.rule, verdict.alternatives
        search = _search_row(
            key, year, verdict.tmdb_id, rule, alternatives=alternatives, candidates=verdict.candidates
        )
        return Resolution(verdict.tmdb_id, rule, alternatives, verdict.candidates, search, movies)

    async def _from_cache(self, cached: Json) -> Resolution:
        tmdb_id, candidates = cached["tmdb_id"], cached["candidates"]
        if tmdb_id is None:
            return Resolution(None, None, 0, candidates)
        record, fresh = await self._details(int(tmdb_id))  # usually cached; fetched again when stale
        if record is None:
            return Resolution(None, None, 0, candidates)
        movies = (record,) if fresh else ()
        rule, alternatives = cached["match_rule"], cached["alternatives"]
        return Resolution(int(tmdb_id), rule, alternatives, candidates, movies=movies)

    async def _details(self, tmdb_id: int) -> tuple[Json | None, bool]:
        """The film's movie record (None when TMDB has no such film), and whether it was fetched
        now (to be stored) rather than read from the cache."""
        fetch_key = f"movie:{tmdb_id}"

        async def cached_movie() -> Json | None:
            found = await self._cache.movie(tmdb_id)
            # Details cached before alternative titles were asked for cannot prove a title.
            return found if found is not None and found["alternative_titles"] is not None else None

        cached = await self._own_or_wait(fetch_key, cached_movie)
        if cached is not None:
            return cached, False
        try:
            details = await self._client.movie_details(tmdb_id)
        except BaseException:
            await asyncio.shield(self._cache.release(fetch_key))
            raise
        if details is None:
            await asyncio.shield(self._cache.release(fetch_key))
            return None, False
        return movie_record(details), True

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


def _search_row(
    key: str, year: int, tmdb_id: int | None, rule: str | None, *, alternatives: int, candidates: list[Json]
) -> Json:
    return {
        "title_key": key,
        "year": year,
        "tmdb_id": tmdb_id,
        "match_rule": rule,
        "alternatives": alternatives,
        "candidates": candidates,
    }


def _outcome(film: Film, found: Resolution) -> Outcome:
    return Outcome(
        film.film_no,
        "matched" if found.tmdb_id is not None else "not_found",
        found.tmdb_id,
        found.rule,
        alternatives=found.alternatives,
        candidates=found.candidates,
        search=found.search,
        movies=found.movies,
    )
