"""The labelled matching set (bench/matching_cases.csv) run through the worker's real matcher and
TMDB client against a loopback tmdbdemo, for the tests and bench/matching.py."""

from __future__ import annotations

import asyncio
import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from worker.config import WorkerConfig
from worker.tmdb.client import TmdbClient, create_http_client
from worker.tmdb.evidence import Verdict
from worker.tmdb.matching import Matcher
from worker.tmdb.movies import movie_record

CASES = Path(__file__).resolve().parents[2] / "bench" / "matching_cases.csv"


@dataclass(frozen=True)
class Case:
    """One export row and the film a careful person picks (None: the film is not on TMDB)."""

    name: str
    year: int | None
    expected: int | None
    trap: str
    alternatives: int


@dataclass(frozen=True)
class Result:
    """What the matcher made of a case."""

    case: Case
    verdict: Verdict

    @property
    def outcome(self) -> str:
        """matched (the expected film), wrong (any other film), or not_found."""
        if self.verdict.tmdb_id is None:
            return "not_found"
        return "matched" if self.verdict.tmdb_id == self.case.expected else "wrong"


def load_cases(trap: str | None = None) -> list[Case]:
    """The labelled rows, all or of one trap class."""
    with CASES.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    cases = [
        Case(
            row["name"],
            int(row["year"]) if row["year"] else None,
            int(row["expected_tmdb_id"]) if row["expected_tmdb_id"] else None,
            row["trap"],
            int(row["alternatives"]),
        )
        for row in rows
    ]
    return [case for case in cases if trap is None or case.trap == trap]


class Unlimited:
    """No fleet schedule: matching is judged by its choices and its request count, not its rate."""

    async def acquire(self) -> None:
        return None

    async def pause(self, seconds: float) -> None:
        return None

    async def reject(self) -> None:
        return None

    def give_back(self) -> None:
        return None

    def usable(self) -> bool:
        return True


async def _run(base_url: str, cases: Iterable[Case], parallel: int) -> list[Result]:
    config = WorkerConfig(database_url="postgresql://unused", tmdb_base_url=base_url, concurrency=parallel)
    async with create_http_client(config) as http:
        client = TmdbClient(http, parallel, Unlimited())
        matcher = Matcher(client)
        gate = asyncio.Semaphore(parallel)

        async def one(case: Case) -> Result:
            fetched: dict[int, dict[str, object] | None] = {}

            async def details(tmdb_id: int) -> dict[str, object] | None:
                # As the worker's resolver: details read while judging serve the chosen film too.
                if tmdb_id not in fetched:
                    found = await client.movie_details(tmdb_id)
                    fetched[tmdb_id] = None if found is None else movie_record(found)
                return fetched[tmdb_id]

            async with gate:
                verdict = await matcher.choose(case.name, case.year, details)
                if verdict.tmdb_id is not None:  # the chosen film's details: every match needs them
                    await details(verdict.tmdb_id)
                return Result(case, verdict)

        return list(await asyncio.gather(*(one(case) for case in cases)))


def run_cases(base_url: str, cases: Iterable[Case], parallel: int = 8) -> list[Result]:
    """Match every case (one fresh matcher, no cache: each row costs what a cold cache costs)."""
    return asyncio.run(_run(base_url, cases, parallel))


def tally(results: Iterable[Result]) -> Counter[str]:
    """matched / wrong / not_found counts, plus findable (cases whose film is on TMDB)."""
    counts: Counter[str] = Counter()
    for result in results:
        counts[result.outcome] += 1
        counts["findable"] += result.case.expected is not None
    return counts
