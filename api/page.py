"""The web page (GET /, /static/*) and GET /api/info, which the page reads first."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from api.services import services

STATIC = Path(__file__).resolve().parent / "static"
# The page builds everything from data with DOM text nodes; the policy makes sure nothing else runs.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


async def index(request: Request) -> Response:
    """GET /: the single page (upload, live progress, charts)."""
    return FileResponse(
        STATIC / "index.html",
        media_type="text/html",
        headers={"Cache-Control": "no-cache", "Content-Security-Policy": PAGE_POLICY},
    )


def static_files() -> StaticFiles:
    """The page's scripts and styles under /static."""
    return StaticFiles(directory=STATIC, check_dir=False)


async def info(request: Request) -> Response:
    """GET /api/info: whether the workers use the demo catalogue, the upload limit, the retention."""
    svc = services(request)
    async with svc.pool.connection() as conn:
        row = await (await conn.execute(svc.queries["demo_catalogue"])).fetchone()
    return JSONResponse(
        {
            "demo_catalogue": bool(row and row["demo"]),
            "workers": int(row["workers"]) if row else 0,
            "max_upload_mb": svc.config.max_upload_bytes // (1024 * 1024),
            "retention_days": svc.config.session_retention_days,
        }
    )
