"""HTTP handlers of /api/sessions: upload, read and delete a session."""

from __future__ import annotations

import logging
import time
import uuid

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api import store
from api.errors import ApiError, NotFound
from api.letterboxd.reader import looks_like_zip
from api.receive import receive_upload
from api.services import services
from api.sources.upload import UploadedFile, read_upload

log = logging.getLogger("api.sessions")
# Parsed on the event loop rather than in a thread: a few KiB of CSV or JSON (a hundred-odd
# rows) parse in well under a millisecond, less than the thread hand-off costs. Never a zip,
# whose few KiB may inflate to megabytes.
INLINE_PARSE_BYTES = 8 * 1024


def _parse_inline(files: list[UploadedFile], body_bytes: int) -> bool:
    return body_bytes <= INLINE_PARSE_BYTES and not any(looks_like_zip(f.stream) for f in files)


def session_id_of(request: Request) -> uuid.UUID:
    """The session id in the path; an id that is not a UUID names no session."""
    try:
        return uuid.UUID(request.path_params["session_id"])
    except ValueError:
        raise NotFound("There is no session with this id") from None


async def create_session(request: Request) -> Response:
    """POST /api/sessions: store an export and queue its enrichment (202 + Location)."""
    svc = services(request)
    limit = svc.config.max_upload_bytes
    started = time.perf_counter()
    try:
        received = await receive_upload(request, limit)
        try:
            if _parse_inline(received.files, received.body_bytes):
                export = read_upload(received.files, limit)
            else:
                export = await anyio.to_thread.run_sync(
                    read_upload, received.files, limit, limiter=svc.parse_limiter
                )
        finally:
            await received.close()
    except ApiError:
        svc.metrics.uploads.labels("rejected").inc()
        raise
    try:
        async with svc.pool.connection() as conn:
            row = await store.store_export(conn, svc.queries, export, received.body_bytes)
    finally:
        export.close()
    body = store.session_json(row)
    svc.metrics.uploads.labels("accepted").inc()
    svc.metrics.upload_films.observe(body["progress"]["total"])
    svc.metrics.upload_seconds.observe(time.perf_counter() - started)
    log.info(
        "upload stored",
        extra={
            "session": body["id"],
            "films": body["progress"]["total"],
            "bytes": received.body_bytes,
            "status": body["status"],
        },
    )
    return JSONResponse(body, status_code=202, headers={"Location": f"/api/sessions/{body['id']}"})


async def read_session(request: Request) -> Response:
    """GET /api/sessions/{id}: status and progress."""
    svc = services(request)
    async with svc.pool.connection() as conn:
        row = await store.get_session(conn, svc.queries, session_id_of(request))
    if row is None:
        raise NotFound("There is no session with this id")
    return JSONResponse(store.session_json(row))


async def remove_session(request: Request) -> Response:
    """DELETE /api/sessions/{id}: the session and everything uploaded with it are gone (204)."""
    svc = services(request)
    session_id = session_id_of(request)
    async with svc.pool.connection() as conn:
        deleted = await store.delete_session(conn, svc.queries, session_id)
    if not deleted:
        raise NotFound("There is no session with this id")
    log.info("session deleted", extra={"session": str(session_id)})
    return Response(status_code=204)


async def session_resource(request: Request) -> Response:
    """/api/sessions/{id}: GET reads, DELETE removes (one route, so 405 lists both in Allow)."""
    if request.method == "DELETE":
        return await remove_session(request)
    return await read_session(request)
