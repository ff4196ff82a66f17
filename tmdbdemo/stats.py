"""What the fake saw: counts of TMDB requests by status, endpoint, film, find id and query, and load.

Only TMDB requests are counted; the `/_fake/` control endpoints never are. All methods run on
the event loop's thread, so no lock is needed.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from typing import Any

WINDOW_SECONDS = 1.0
ARRIVALS_KEPT = 100_000


class Stats:
    """Counters since start-up or the last reset, and the sliding-second arrival window."""

    def __init__(self) -> None:
        self._clear(in_flight=0)

    def _clear(self, *, in_flight: int) -> None:
        self.requests_total = 0
        self.by_status: Counter[str] = Counter()
        self.by_endpoint: Counter[str] = Counter({"search": 0, "details": 0, "find": 0, "other": 0})
        self.details_by_id: Counter[str] = Counter()
        self.finds_by_id: Counter[str] = Counter()
        self.searches_by_query: Counter[str] = Counter()
        self.auth_failures = 0
        self.in_flight = in_flight
        self.in_flight_max = in_flight
        self.max_in_any_second = 0
        self._window: deque[float] = deque()
        # (wall-clock arrival, endpoint, what it asked for), for latency measurements and for
        # checking that nothing arrived inside a pause.
        self.arrivals: deque[tuple[float, str, str]] = deque(maxlen=ARRIVALS_KEPT)
        self.answered_429_at: list[float] = []  # wall-clock time of each 429 sent
        self._per_second: list[int] = []
        self._first_second: int | None = None

    def arrive(
        self, endpoint: str, *, now: float | None = None, wall: float | None = None, target: str = ""
    ) -> int:
        """Count one request arriving; return how many arrived in the last second, it included.

        The window holds monotonic arrival times newer than `now - 1 s`. Any 1-second interval
        can slide right until it ends on an arrival without losing one, so the largest count
        seen at an arrival is exactly the most requests in any sliding second.
        """
        now = time.monotonic() if now is None else now
        wall = time.time() if wall is None else wall
        self.requests_total += 1
        self.by_endpoint[endpoint] += 1
        self.arrivals.append((wall, endpoint, target))
        self._window.append(now)
        while self._window[0] <= now - WINDOW_SECONDS:
            self._window.popleft()
        in_window = len(self._window)
        self.max_in_any_second = max(self.max_in_any_second, in_window)
        second = int(wall)
        if self._first_second is None:
            self._first_second = second
        index = second - self._first_second
        if index >= len(self._per_second):
            self._per_second.extend([0] * (index + 1 - len(self._per_second)))
        self._per_second[max(index, 0)] += 1
        self.in_flight += 1
        self.in_flight_max = max(self.in_flight_max, self.in_flight)
        return in_window

    def finish(self, status: int) -> None:
        """Count a request as answered with `status` and no longer in flight."""
        self.in_flight -= 1
        self.by_status[str(status)] += 1
        if status == 429:
            self.answered_429_at.append(time.time())

    def as_dict(self) -> dict[str, Any]:
        """The body of `GET /_fake/stats`."""
        return {
            "requests_total": self.requests_total,
            "by_status": dict(sorted(self.by_status.items())),
            "by_endpoint": dict(self.by_endpoint),
            "details_by_id": dict(self.details_by_id),
            "finds_by_id": dict(self.finds_by_id),
            "searches_by_query": dict(self.searches_by_query),
            "max_in_any_second": self.max_in_any_second,
            "per_second": list(self._per_second),
            "in_flight": self.in_flight,
            "in_flight_max": self.in_flight_max,
            "auth_failures": self.auth_failures,
            "answered_429_at": list(self.answered_429_at),
        }

    def reset(self) -> None:
        """Forget everything except the requests still in flight, which will still finish.

        The rate limit counts arrivals in this same window, so it starts afresh too.
        """
        self._clear(in_flight=self.in_flight)
