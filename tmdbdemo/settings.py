"""The fake's switches: one frozen FakeSettings, changed only by building a checked copy.

The same names are the fields here, the keys of `POST /_fake/config` and (with dashes) the
command-line flags, so a test can say the same thing in all three places.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class SwitchError(ValueError):
    """A switch is unknown or has a value of the wrong type or range; the message says which."""


@dataclass(frozen=True, slots=True)
class FakeSettings:
    """How the fake TMDB behaves. Every field is a switch; the defaults are a well server."""

    latency_ms: float = 0.0
    """Every TMDB request waits this long before it is answered."""
    rate_limit: float = 0.0
    """More than this many requests arriving in any sliding second get 429 (0 = no limit)."""
    ratio_429: float = 0.0
    """This fraction of requests get 429 with `Retry-After: retry_after_seconds`."""
    retry_after_seconds: int = 1
    next_429s: int = 0
    """The next this many requests get 429 with `Retry-After: retry_after_seconds`, then none."""
    ratio_5xx: float = 0.0
    """This fraction of requests get 500, 502 or 503, in turn."""
    ratio_timeout: float = 0.0
    """This fraction of requests hang `hang_seconds`, then are answered normally."""
    hang_seconds: float = 30.0
    outage_seconds: float = 0.0
    """Set it and every request gets 503 for that many seconds from then (0 ends an outage)."""
    required_key: str | None = None
    """When set, only this api_key or Bearer token is accepted; None accepts anything."""
    seed: int = 1
    """Seed of the random choice of faults, so a run's faults repeat."""
    synthetic_films: int = 0
    """How many generated "Synthetic Feature NNNNN" films exist besides the catalogue."""
    ranking: str = "relevance"
    """Search order: "relevance" (as TMDB: exact title first, then word overlap, then
    popularity) or "popularity" (most popular first, whatever the title)."""

    def as_dict(self) -> dict[str, Any]:
        """Every switch and its value, as `GET /_fake/config` answers."""
        return dataclasses.asdict(self)

    def with_switches(self, changes: Mapping[str, object]) -> FakeSettings:
        """A copy with `changes` applied, all or none: SwitchError if any is bad."""
        checked: dict[str, Any] = {name: _check(name, value) for name, value in changes.items()}
        return dataclasses.replace(self, **checked)


SWITCHES: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(FakeSettings))
RANKINGS = ("relevance", "popularity")
_RATIOS = {"ratio_429", "ratio_5xx", "ratio_timeout"}
_SECONDS = {"latency_ms", "rate_limit", "hang_seconds", "outage_seconds"}
_COUNTS = {"retry_after_seconds", "synthetic_films", "next_429s"}


def _check(name: str, value: object) -> object:
    """The value a switch may take, or SwitchError."""
    if name not in SWITCHES:
        raise SwitchError(f"unknown switch {name!r}; switches are {', '.join(SWITCHES)}")
    if name == "required_key":
        if value is None or (isinstance(value, str) and value):
            return value
        raise SwitchError("required_key must be a non-empty string or null")
    if name == "ranking":
        if value in RANKINGS:
            return value
        raise SwitchError(f"ranking must be one of {', '.join(RANKINGS)}")
    if name == "seed":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise SwitchError("seed must be an integer")
    if name in _COUNTS:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise SwitchError(f"{name} must be a whole number >= 0")
    # bool is an int subclass; `true` as a latency is a caller's mistake, not 1 ms.
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise SwitchError(f"{name} must be a finite number")
    number = float(value)
    if name in _RATIOS and not 0.0 <= number <= 1.0:
        raise SwitchError(f"{name} must be between 0 and 1")
    if name in _SECONDS and number < 0:
        raise SwitchError(f"{name} must be >= 0")
    return number
