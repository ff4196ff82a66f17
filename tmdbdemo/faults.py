"""Deciding, per TMDB request, whether it fails and how: outage, rate limit, random faults.

Random faults come from one seeded random.Random that draws exactly one number per request that
reaches the random stage, so the same requests in the same order meet the same faults.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from tmdbdemo.payloads import JSON, RATE_LIMITED, error_body
from tmdbdemo.settings import FakeSettings

OUTAGE = error_body(9, "Service offline: This service is temporarily offline, try again later.")
# The 5xx answers rotate through these, as TMDB's edge gives them.
SERVER_ERRORS: tuple[tuple[int, JSON], ...] = (
    (500, error_body(11, "Internal error: Something went wrong, contact TMDB.")),
    (502, error_body(43, "Couldn't connect to the backend server.")),
    (503, OUTAGE),
)


@dataclass(frozen=True, slots=True)
class Failure:
    """An answer given instead of the real one."""

    status: int
    body: JSON
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Hang:
    """Answer normally, but only after `seconds`, so the client's timeout fires first."""

    seconds: float


class Switchboard:
    """The current settings and the state faults need: the random source and the outage end."""

    def __init__(self, settings: FakeSettings) -> None:
        self.settings = settings
        self._random = _seeded(settings.seed)
        self._next_server_error = 0
        self._outage_until = time.monotonic() + settings.outage_seconds

    def apply(self, changes: Mapping[str, object]) -> FakeSettings:
        """Apply switches at once (SwitchError leaves everything as it was).

        A new `seed` restarts the random sequence; `outage_seconds` starts an outage of that
        length now (0 ends one).
        """
        self.settings = self.settings.with_switches(changes)
        if "seed" in changes:
            self._random = _seeded(self.settings.seed)
            self._next_server_error = 0
        if "outage_seconds" in changes:
            self._outage_until = time.monotonic() + self.settings.outage_seconds
        return self.settings

    def outage_remaining(self, now: float | None = None) -> float:
        """Seconds left of the current outage, 0 when there is none."""
        now = time.monotonic() if now is None else now
        return max(0.0, self._outage_until - now)

    def before_auth(self, in_window: int) -> Failure | None:
        """Failures that come before credentials are looked at: an outage, the rate limit, the
        next_429s switch."""
        if self.outage_remaining() > 0:
            return Failure(503, OUTAGE)
        if self.settings.next_429s > 0:
            self.settings = self.settings.with_switches({"next_429s": self.settings.next_429s - 1})
            return Failure(429, RATE_LIMITED, {"Retry-After": str(self.settings.retry_after_seconds)})
        limit = self.settings.rate_limit
        if limit and in_window > limit:
            return Failure(429, RATE_LIMITED, {"Retry-After": "1"})
        return None

    def random_fault(self) -> Failure | Hang | None:
        """One draw decides: 429 with probability ratio_429, else 5xx, else hang, else none."""
        draw = self._random.random()
        settings = self.settings
        if draw < settings.ratio_429:
            retry_after = str(settings.retry_after_seconds)
            return Failure(429, RATE_LIMITED, {"Retry-After": retry_after})
        draw -= settings.ratio_429
        if draw < settings.ratio_5xx:
            status, body = SERVER_ERRORS[self._next_server_error % len(SERVER_ERRORS)]
            self._next_server_error += 1
            return Failure(status, body)
        draw -= settings.ratio_5xx
        if draw < settings.ratio_timeout:
            return Hang(settings.hang_seconds)
        return None


def _seeded(seed: int) -> random.Random:
    """The fault dice: repeatable on purpose, and nothing to do with security."""
    return random.Random(seed)  # noqa: S311
