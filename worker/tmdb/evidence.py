"""What TMDB's answers prove about an export row, and the film they prove it for (or none).

Candidates from every search of a row are merged by TMDB id before any is judged. A candidate
fits only with both kinds of evidence:

- title: the row's title key (see common/titles.py) equals the key of the candidate's title, original
  title, or one of the alternative titles TMDB lists for it (known once its details are read);
- year, in tiers: 1 the primary release year equals the row's; 2 the row's year is a release of
  the film before its primary one (a festival premiere, a limited release: TMDB's `year=` search
  returns such films, and `release_dates` confirms one); 3 the primary year is one off. A
  re-release years after the primary date is never year evidence.

The first tier that holds a fitting film wins; within it the most popular, and `alternatives`
counts the others. A row without a year has one tier: every film of its title fits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from common.titles import release_year, title_key

Json = dict[str, Any]
PRIMARY, EARLIER_RELEASE, NEAR_YEAR = 1, 2, 3
TIER_NAMES = {PRIMARY: "primary_year", EARLIER_RELEASE: "release_year", NEAR_YEAR: "near_year"}
NO_YEAR = "without_year"
SHOWN_CANDIDATES = 10


@dataclass
class Candidate:
    """One TMDB film some search of the row returned, with what is known about it so far."""

    tmdb_id: int
    title: str
    original_title: str
    release_date: str
    popularity: float
    rank: int  # position in the first search that returned it (relevance, as TMDB orders)
    released_in: set[int] = field(default_factory=set)  # years of releases known besides the primary
    alternative_titles: tuple[str, ...] | None = None  # None until the details are read

    @property
    def year(self) -> int | None:
        """The primary release year."""
        return release_year({"release_date": self.release_date})

    def title_evidence(self, key: str) -> str | None:
        """Which title of the film equals `key`: "title", "original_title", "alternative_title"."""
        if title_key(self.title) == key:
            return "title"
        if self.original_title and title_key(self.original_title) == key:
            return "original_title"
        if any(title_key(alt) == key for alt in self.alternative_titles or ()):
            return "alternative_title"
        return None

    def tier(self, year: int | None) -> int | None:
        """The year tier the film is in for a row of `year` (None: no year evidence)."""
        primary = self.year
        if year is None or primary is None:
            return None
        if primary == year:
            return PRIMARY
        if year < primary and year in self.released_in:
            return EARLIER_RELEASE
        if abs(primary - year) == 1:
            return NEAR_YEAR
        return None

    def shown(self, fits: bool) -> Json:
        """The candidate as the API shows it (films.candidates)."""
        return {
            "tmdb_id": self.tmdb_id,
            "title": self.title,
            "original_title": self.original_title,
            "release_date": self.release_date or None,
            "year": self.year,
            "fits": fits,
        }


@dataclass(frozen=True)
class Verdict:
    """The film the evidence proves, or None; the rule that proved it; how many others fit."""

    tmdb_id: int | None
    rule: str | None
    alternatives: int
    candidates: list[Json]


class Pool:
    """The merged candidates of one row's searches."""

    def __init__(self, key: str, year: int | None) -> None:
        self.key = key
        self.year = year
        self.by_id: dict[int, Candidate] = {}

    def add(self, results: Iterable[Json], released_in: int | None = None) -> None:
        """Merge one page of search results; `released_in`: the `year=` filter they passed."""
        for result in results:
            tmdb_id = int(result["id"])
            found = self.by_id.get(tmdb_id)
            if found is None:
                found = Candidate(
                    tmdb_id,
                    str(result.get("title") or ""),
                    str(result.get("original_title") or ""),
                    str(result.get("release_date") or ""),
                    _popularity(result),
                    rank=len(self.by_id),
                )
                self.by_id[tmdb_id] = found
            if released_in is not None:
                found.released_in.add(released_in)

    def learn(self, tmdb_id: int, alternative_titles: Iterable[str], release_years: Iterable[int]) -> None:
        """What a film's details add: its alternative titles and the years of all its releases."""
        found = self.by_id[tmdb_id]
        found.alternative_titles = tuple(alternative_titles)
        found.released_in.update(release_years)

    def has_exact_title(self, results: Iterable[Json]) -> bool:
        """Whether a page holds a film whose title or original title is the row's title."""
        return any(
            self.key in (title_key(str(r.get("title") or "")), title_key(str(r.get("original_title") or "")))
            for r in results
        )

    def _tier(self, candidate: Candidate) -> int | None:
        return PRIMARY if self.year is None else candidate.tier(self.year)

    def verdict(self) -> Verdict:
        """The film the evidence gathered so far proves, if any (see the module's rules)."""
        fitting: dict[int, list[tuple[Candidate, str]]] = {}
        for candidate in self.by_id.values():
            tier = self._tier(candidate)
            evidence = candidate.title_evidence(self.key)
            if tier is not None and evidence is not None:
                fitting.setdefault(tier, []).append((candidate, evidence))
        shown = self.ranked({c.tmdb_id for group in fitting.values() for c, _ in group})
        if not fitting:
            return Verdict(None, None, 0, shown)
        tier = min(fitting)
        best, evidence = max(fitting[tier], key=lambda pair: (pair[0].popularity, -pair[0].rank))
        suffix = NO_YEAR if self.year is None else TIER_NAMES[tier]
        return Verdict(best.tmdb_id, f"{evidence}_{suffix}", len(fitting[tier]) - 1, shown)

    def finalists(self, limit: int) -> list[Candidate]:
        """Films worth reading the details of: no title evidence yet and alternative titles not
        known, in a year tier better than (or, with no fit at all, any) tier that already holds
        a fitting film, best tier and relevance first."""
        best_fit = min(
            (
                tier
                for c in self.by_id.values()
                if (tier := self._tier(c)) is not None and c.title_evidence(self.key)
            ),
            default=None,
        )
        open_ = [
            (tier, c.rank, c)
            for c in self.by_id.values()
            if c.alternative_titles is None
            and c.title_evidence(self.key) is None
            and (tier := self._tier(c)) is not None
            and (best_fit is None or tier < best_fit)
        ]
        return [c for _, _, c in sorted(open_, key=lambda item: (item[0], item[1]))[:limit]]

    def ranked(self, fits: set[int]) -> list[Json]:
        """The candidates shown to the person, best first: the fitting ones by tier and
        popularity, then the rest by spelling similarity, year distance and relevance."""

        def order(c: Candidate) -> tuple[float, ...]:
            if c.tmdb_id in fits:
                return (0, self._tier(c) or 0, -c.popularity, c.rank)
            similarity = max(
                SequenceMatcher(None, self.key, title_key(t)).ratio()
                for t in (c.title, c.original_title, *(c.alternative_titles or ()))
                if t
            )
            distance = abs((c.year or 0) - self.year) if self.year is not None and c.year else 99
            return (1, -round(similarity, 2), distance, c.rank)

        best = sorted(self.by_id.values(), key=order)[:SHOWN_CANDIDATES]
        return [c.shown(c.tmdb_id in fits) for c in best]


def _popularity(result: Json) -> float:
    value = result.get("popularity")
    return float(value) if isinstance(value, int | float) else 0.0
