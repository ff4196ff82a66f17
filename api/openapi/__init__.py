"""GET /openapi.json: the API described as OpenAPI 3.0 (every endpoint, body and error).

One module per part of the API, each with its SCHEMAS (components) and PATHS; a new endpoint goes
into its part's module, a new part into a module of its own listed in PARTS.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.openapi import analytics, films, matches, service, sessions
from api.openapi.build import Json

PARTS = (service, sessions, films, matches, analytics)

DOCUMENT: Json = {
    "openapi": "3.0.3",
    "info": {
        "title": "reelstats",
        "version": "1",
        "description": "Film statistics from a Letterboxd, IMDb, Trakt or Netflix export. "
        "When API_TOKEN is set, /api/* needs `Authorization: Bearer <token>`.",
    },
    "servers": [{"url": "/"}],
    "components": {
        "schemas": {name: schema for part in PARTS for name, schema in part.SCHEMAS.items()},
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    },
    "paths": {path: item for part in PARTS for path, item in part.PATHS.items()},
}


async def openapi(request: Request) -> Response:
    """GET /openapi.json."""
    return JSONResponse(DOCUMENT)
