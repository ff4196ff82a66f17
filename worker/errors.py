"""The worker's errors: what went wrong talking to TMDB, in words fit for a session's `error`."""

from __future__ import annotations

from common.errors import ReelstatsError


class WorkerError(ReelstatsError):
    """Base of the errors a job can end with; the message is shown to the session's owner."""


class TmdbUnavailable(WorkerError):
    """TMDB did not answer usefully (5xx, timeout, network) even after a few quick retries."""


class TmdbRejectedCredentials(WorkerError):
    """TMDB answered 401: the configured key or token is wrong. Retrying cannot help."""


class SessionGone(WorkerError):
    """The job's session was deleted (by its owner, or by housekeeping) while the job ran."""


class JobLost(WorkerError):
    """The job's lease expired and another worker claimed it; this worker must stop working on it."""


class Deferred(ReelstatsError):
    """Not a failure: another worker is fetching this film's answer; try the film again later."""


class WorkerDied(ReelstatsError):
    """A background task of the worker ended; the worker exits non-zero (its container restarts)."""

    def farewell(self) -> str:
        """The last line the worker writes on stderr."""
        return f"reelstats worker: stopped because {self}"
