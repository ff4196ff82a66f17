"""Watching the worker's background tasks: a dead one ends the worker, a stuck one makes it unhealthy.

The listener, the heartbeat, the rate limiter, housekeeping and the metrics server each keep a
"last alive" time. If one of the tasks ends (an exception nobody expected, or a cancellation from
outside), the worker logs why and exits non-zero, and its container is restarted, rather than live
on half-broken. If one stops moving, the heartbeat reports the worker unhealthy (workers.healthy)
and `python -m worker healthcheck` fails.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("worker")
METRICS_CHECK_SECONDS = 1.0


class Beat:
    """A task's "last alive" time, for a task that has no other to show."""

    def __init__(self) -> None:
        self.at = time.monotonic()

    def now(self) -> None:
        """The task is alive now."""
        self.at = time.monotonic()


class Health:
    """The background tasks' liveness: each shows when it last ran and how long it may rest."""

    def __init__(self) -> None:
        self._checks: dict[str, tuple[Callable[[], float], float]] = {}

    def watch(self, name: str, alive_at: Callable[[], float], stale_after: float) -> None:
        """Count `name` as stuck once `alive_at()` (monotonic) is older than `stale_after` s."""
        self._checks[name] = (alive_at, stale_after)

    def problem(self) -> str | None:
        """What is stuck, in words, or None when every task is moving."""
        now = time.monotonic()
        stuck = [
            f"{name} has not run for {now - alive_at():.0f} s"
            for name, (alive_at, limit) in self._checks.items()
            if now - alive_at() > limit
        ]
        return "; ".join(stuck) or None


async def watch_thread(thread: threading.Thread, beat: Beat) -> None:
    """A task that lives as long as `thread` does (the metrics server runs in a thread)."""
    while thread.is_alive():
        beat.now()
        await asyncio.sleep(METRICS_CHECK_SECONDS)
    raise RuntimeError(f"the thread {thread.name} stopped")


async def first_death(tasks: list[asyncio.Task[None]], stop: asyncio.Event) -> str | None:
    """Wait until `stop` is set (None) or one of `tasks` ends: then its name and why."""
    stopping = asyncio.ensure_future(stop.wait())
    try:
        done, _ = await asyncio.wait([*tasks, stopping], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if stop.is_set():
        return None  # asked to stop: tasks that return on `stop` did not die
    for task in tasks:
        if task in done:
            if task.cancelled():
                return f"{task.get_name()} was cancelled"
            error = task.exception()
            reason = f"{type(error).__name__}: {error}" if error else "it returned"
            return f"{task.get_name()} ended ({reason})"
    return None
