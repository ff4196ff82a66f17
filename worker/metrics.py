"""The worker's Prometheus metrics, served on WORKER_METRICS_PORT when it is set."""

from __future__ import annotations

import threading

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server


class WorkerMetrics:
    """Counters of one worker process, in a registry of their own (created by `run`)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.jobs_claimed = Counter("reelstats_jobs_claimed", "Jobs this worker claimed.", registry=r)
        self.jobs_succeeded = Counter("reelstats_jobs_succeeded", "Jobs this worker finished.", registry=r)
        self.job_attempts_failed = Counter(
            "reelstats_job_attempts_failed",
            "Job attempts that ended in an error (retried later).",
            registry=r,
        )
        self.jobs_failed = Counter("reelstats_jobs_failed", "Jobs failed for good.", registry=r)
        self.films = Counter(
            "reelstats_films_enriched", "Films given a final status.", ["status"], registry=r
        )
        self.tmdb_requests = Counter(
            "reelstats_tmdb_requests",
            "Requests sent to TMDB by HTTP status ('error': no answer).",
            ["status"],
            registry=r,
        )
        self.wake_latency = Histogram(
            "reelstats_wake_latency_seconds",
            "From a job NOTIFY reaching this worker to its claim returning the job.",
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
            registry=r,
        )
        self.jobs_running = Gauge("reelstats_jobs_running", "Jobs this worker holds now.", registry=r)
        self.start_statements = Counter(
            "reelstats_start_statements", "Job-starting (claim) statements this worker sent.", registry=r
        )
        self.wakes_skipped = Counter(
            "reelstats_wakes_skipped",
            "Job notifications this worker left to others (no room, or not among those chosen).",
            registry=r,
        )

    def serve(self, port: int) -> threading.Thread:
        """Serve /metrics on all interfaces (a background thread, returned so it can be watched);
        the operator chose the port."""
        _, thread = start_http_server(port, addr="0.0.0.0", registry=self.registry)  # noqa: S104 - scraped from outside containers
        return thread
