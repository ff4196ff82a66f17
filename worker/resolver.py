"""From an export film to its outcome, asking TMDB as little as possible.

A film arrives from the statement that started its job with what that statement knew: a TMDB id
a person chose, a cached answer whose details are missing, or its search key, perhaps already
claimed for this worker (`claim` "own") or being fetched by another (`claim` "other").

A fetch is claimed (tmdb_fetches) only once its request slot is granted, in the same round trip
that reads the cache, so a rate backlog never lets a claim run out and a second worker fetch the
same film. A film another worker is fetching is handed back to its job (`Deferred`): the job's
lanes go on with other films and look again later, at growing intervals. Within one worker, a key
already being resolved is simply awaited. A film whose TMDB id a person chose needs only its
details: it is never searched, and its answer never enters the shared search cache.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from common.titles import title_key
from worker.errors import Deferred
from worker.films import Film, Outcome
from worker.tmdb.cache import TmdbCache
from worker.tmdb.client import TmdbClient
from worker.tmdb.matching import MATCHER_VERSION, Matcher
from worker.tmdb.movies import movie_record

Json = dict[str, Any]
RECENT_ANSWERS = 1_000  # a few jobs' worth: the answers only need to outlive their batch
DETAILS_WAIT_SECONDS = (0.2, 0.4, 0.8, 1.6)  # another worker fetching the same details: look again


def cache_key(film: Film) -> tuple[str, int]:
    """The (title key, year) under which TMDB's answer for a film is cached; year 0 when none."""
    return film.title_key or title_key(film.name), film.year or 0


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
        """The film's outcome: matched (with the TMDB id and rule) or not_found; raises Deferred
        while another worker fetches its answer. `fresh` (a retried job) ignores cached "not
        found" answers and asks TMDB again."""
        if film.chosen_by is not None:
            return await self._chosen(film)
        if film.imdb_id is not None:
            return await self._by_imdb(film, film.imdb_id, fresh)
        if film.answer is not None:
            return _outcome(film, await self._from_cache(film.answer, film.claim == "own"))
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
        record, fresh = await self._details(chosen, claimed=film.claim == "own")
        if record is None:
            error = f"TMDB has no film with id {chosen}"
            return Outcome(film.film_no, "not_found", match_rule=rule, error=error, manual_tmdb_id=manual)
        movies = (record,) if fresh else ()
        return Outcome(film.film_no, "matched", chosen, rule, manual_tmdb_id=manual, movies=movies)

    async def _by_imdb(self, film: Film, imdb_id: str, fresh: bool) -> Outcome:
        """A film with an IMDb id: TMDB's /find names it (one request), then its details."""
        fetch_key = f"find:{imdb_id}"
        if film.claim == "other":
            raise Deferred(f"another worker is fetching {fetch_key}")
        granted_at: float | None = None
        if film.claim != "own":
            granted_at = await self._client.slot()
            state = await self._cache.imdb_or_claim(fetch_key, imdb_id, fresh)
            if not state.claimed:
                self._client.give_back()
                if state.cached is None:
                    raise Deferred(f"another worker is fetching {fetch_key}")
                return await self._imdb_outcome(film, imdb_id, state.cached["tmdb_id"], None)
        try:
            tmdb_id = await self._client.find_imdb(imdb_id, granted_at)
        except BaseException:
            await asyncio.shield(self._cache.release(fetch_key))
            raise
        return await self._imdb_outcome(film, imdb_id, tmdb_id, {"imdb_id": imdb_id, "tmdb_id": tmdb_id})

    async def _imdb_outcome(
        self, film: Film, imdb_id: str, tmdb_id: int | None, found: Json | None
    ) -> Outcome:
        if tmdb_id is None:
            error = f"TMDB has no film with IMDb id {imdb_id}"
            return Outcome(film.film_no, "not_found", match_rule="imdb_id", error=error, imdb=found)
        record, fresh = await self._details(tmdb_id, claimed=False)
        if record is None:
            error = f"TMDB has no film with id {tmdb_id} (IMDb id {imdb_id})"
            return Outcome(film.film_no, "not_found", match_rule="imdb_id", error=error, imdb=found)
        movies = (record,) if fresh else ()
        return Outcome(film.film_no, "matched", tmdb_id, "imdb_id", movies=movies, imdb=found)

    async def _resolve_key(self, film: Film, key: str, year: int, fresh: bool) -> Resolution:
        fetch_key = f"search:{key}|{year}"
        granted_at: float | None = None
        if film.claim == "other":
            raise Deferred(f"another worker is fetching {fetch_key}")
        if film.claim != "own":
            granted_at = await self._client.slot()
            state = await self._cache.search_or_claim(fetch_key, key, year, MATCHER_VERSION, fresh)
            if not state.claimed:
                self._client.give_back()
                if state.cached is None:
                    raise Deferred(f"another worker is fetching {fetch_key}")
                return await self._from_cache(state.cached, claimed=False)
        fetched: dict[int, tuple[Json | None, bool]] = {}

        async def details(tmdb_id: int) -> Json | None:
            if tmdb_id not in fetched:
                fetched[tmdb_id] = await self._details(tmdb_id, claimed=False)
            return fetched[tmdb_id][0]

        try:
            verdict = await self._matcher.choose(film.name, film.year, details, granted_at=granted_at)
            record = await details(verdict.tmdb_id) if verdict.tmdb_id is not None else None
        except BaseException:
            await asyncio.shield(self._cache.release(fetch_key))
            raise
        movies = tuple(found for found, is_fresh in fetched.values() if found is not None and is_fresh)
        candidates = verdict.candidates
        if record is None:  # nothing fits, or TMDB lost the film between search and details
            search = _search_row(key, year, None, None, alternatives=0, candidates=candidates)
            return Resolution(None, None, 0, candidates, search, movies)
        rule, alternatives = verdict.rule, verdict.alternatives
        search = _search_row(
            key, year, verdict.tmdb_id, rule, alternatives=alternatives, candidates=candidates
        )
        return Resolution(verdict.tmdb_id, rule, alternatives, candidates, search, movies)

    async def _from_cache(self, cached: Json, claimed: bool) -> Resolution:
        tmdb_id, candidates = cached["tmdb_id"], cached["candidates"]
        if tmdb_id is None:
            return Resolution(None, None, 0, candidates)
        record, fresh = await self._details(int(tmdb_id), claimed)  # usually cached; else fetched
        if record is None:
            return Resolution(None, None, 0, candidates)
        movies = (record,) if fresh else ()
        rule, alternatives = cached["match_rule"], cached["alternatives"]
        return Resolution(int(tmdb_id), rule, alternatives, candidates, movies=movies)

    async def _details(self, tmdb_id: int, claimed: bool) -> tuple[Json | None, bool]:
        """The film's movie record (None when TMDB has no such film), and whether it was fetched
        now (to be stored) rather than read from the cache. `claimed`: the fetch is this worker's
        already (its slot is banked)."""
        fetch_key = f"movie:{tmdb_id}"
        granted_at: float | None = None
        waits = iter(DETAILS_WAIT_SECONDS)
        while not claimed:
            granted_at = await self._client.slot()
            state = await self._cache.movie_or_claim(fetch_key, tmdb_id)
            if state.claimed:
                claimed = True
                break
            granted_at = None
            self._client.give_back()
            if state.cached is not None:
                return state.cached, False
            # Another worker is fetching these details right now (one request): look again soon.
            await asyncio.sleep(next(waits, DETAILS_WAIT_SECONDS[-1]))
        try:
            details = await self._client.movie_details(tmdb_id, granted_at=granted_at)
        except BaseException:
            await asyncio.shield(self._cache.release(fetch_key))
            raise
        if details is None:
            await asyncio.shield(self._cache.release(fetch_key))
            return None, False
        return movie_record(details), True


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
