"""GET /metrics: Prometheus text for the API process, with the queue's state read at scrape time."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

from api.services import services


class ApiMetrics:
    """The API's metrics, in a registry of their own (created by the lifespan)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.uploads = Counter(
            "reelstats_uploads",
            "Uploads by result (accepted or rejected).",
            ["result"],
            registry=self.registry,
        )
        self.upload_films = Histogram(
            "reelstats_upload_films",
            "Films per accepted upload.",
            buckets=(0, 10, 50, 100, 500, 1000, 2500, 5000, 10000),
            registry=self.registry,
        )
        self.upload_seconds = Histogram(
            "reelstats_upload_seconds",
            "Time to receive, check and store an accepted upload.",
            registry=self.registry,
        )
        self.jobs = Gauge("reelstats_jobs", "Enrichment jobs per status.", ["status"], registry=self.registry)
        self.oldest_queued = Gauge(
            "reelstats_oldest_queued_job_seconds", "Age of the oldest queued job.", registry=self.registry
        )
        self.notify_queue = Gauge(
            "reelstats_notification_queue_usage",
            "Fraction of PostgreSQL's NOTIFY queue in use (pg_notification_queue_usage()).",
            registry=self.registry,
        )
        self.live_workers = Gauge(
            "reelstats_live_workers", "Workers heart-beaten within their lease.", registry=self.registry
        )
        self.event_streams = Gauge(
            "reelstats_event_streams", "Open progress event streams.", registry=self.registry
        )


async def metrics(request: Request) -> Response:
    """The metrics, after reading the queue's depth and age from the database."""
    svc = services(request)
    async with svc.pool.connection() as conn:
        rows = await (await conn.execute(svc.queries["queue_metrics"])).fetchall()
    m = svc.metrics
    for row in rows:
        if row["status"] == "_notify_queue":
            m.notify_queue.set(row["value"])
        elif row["status"] == "_workers":
            m.live_workers.set(row["value"])
        else:
            m.jobs.labels(row["status"]).set(row["value"])
            if row["status"] == "queued":
                m.oldest_queued.set(row["oldest_seconds"] or 0)
    m.event_streams.set(svc.progress.streams)
    return Response(generate_latest(m.registry), media_type=CONTENT_TYPE_LATEST)
