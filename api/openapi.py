"""GET /openapi.json: the API described as OpenAPI 3.0 (every endpoint, body and error)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

Json = dict[str, Any]


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: Json, description: str, headers: Json | None = None) -> Json:
    answer: Json = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


def _errors(*codes: int) -> dict[str, Json]:
    reasons = {
        400: "The request is malformed (a parameter or the multipart body).",
        401: "API_TOKEN is set and the request lacks the bearer token.",
        404: "There is no such session.",
        409: "The session is still being enriched.",
        413: "The upload (or what its zip inflates to) is over MAX_UPLOAD_MB.",
        415: "The body is not multipart/form-data.",
        422: "The files are not an export (Letterboxd, IMDb, Trakt, Netflix) this service can read.",
        503: "The database is unavailable right now.",
    }
    return {str(code): _json(_ref("Error"), reasons[code]) for code in codes}


def _nullable(schema: Json) -> Json:
    return {**schema, "nullable": True}


def _object(properties: Json, required: list[str] | None = None) -> Json:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def _ranking(key: str = "name") -> Json:
    return {"type": "array", "items": _object({key: {"type": "string"}, "count": {"type": "integer"}})}


def _series(key: str, schema: Json) -> Json:
    return {"type": "array", "items": _object({key: schema, "count": {"type": "integer"}})}


SESSION_ID = {
    "name": "session_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
    "description": "The session's id (any other text names no session: 404).",
}
FILM_STATUSES = ["pending", "matched", "not_found", "failed"]
SOURCES = ["letterboxd", "imdb", "trakt", "netflix"]
# Letterboxd's files; IMDb's ratings and list; Trakt's watched, history, ratings, watchlist; Netflix's.
FILE_KINDS = ["watched", "diary", "ratings", "reviews", "likes", "watchlist", "list", "history"]
FILE_KINDS += ["viewing_history", "viewing_activity", "skipped"]

SCHEMAS: Json = {
    "Error": _object({"error": {"type": "string", "description": "A sentence for the person."}}),
    "Progress": _object(
        {n: {"type": "integer", "minimum": 0} for n in ("total", "done", "matched", "not_found", "failed")}
    ),
    "FileSummary": _object(
        {
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": FILE_KINDS},
            "rows": {"type": "integer", "minimum": 0},
            "reason": {"type": "string"},
            "skipped": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
            "profiles": {
                "type": "array",
                "items": _object({"name": {"type": "string"}, "rows": {"type": "integer", "minimum": 1}}),
            },
            "dates": _object({"format": {"type": "string"}, "why": {"type": "string"}}),
        },
        ["name", "kind", "rows"],
    ),
    "Session": _object(
        {
            "id": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "enum": ["enriching", "completed", "failed", "cancelled"]},
            "source": {"type": "string", "enum": SOURCES},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "error": _nullable({"type": "string"}),
            "progress": _ref("Progress"),
            "files": {"type": "array", "items": _ref("FileSummary")},
        }
    ),
    "Film": _object(
        {
            "name": {"type": "string"},
            "year": _nullable({"type": "integer"}),
            "status": {"type": "string", "enum": FILM_STATUSES},
            "tmdb_id": _nullable({"type": "integer"}),
            "title": _nullable({"type": "string"}),
            "original_title": _nullable({"type": "string"}),
            "original_language": _nullable({"type": "string"}),
            "release_date": _nullable({"type": "string", "format": "date"}),
            "runtime": _nullable({"type": "integer"}),
            "genres": {"type": "array", "items": {"type": "string"}},
            "directors": {"type": "array", "items": {"type": "string"}},
            "countries": {"type": "array", "items": {"type": "string"}},
            "match_rule": _nullable({"type": "string"}),
            "error": _nullable({"type": "string"}),
        }
    ),
    "FilmPage": _object(
        {"films": {"type": "array", "items": _ref("Film")}, "next_cursor": _nullable({"type": "string"})}
    ),
    "Analytics": _object(
        {
            "session_id": {"type": "string", "format": "uuid"},
            "status": {"type": "string"},
            "complete": {"type": "boolean"},
            **{
                n: {"type": "integer", "minimum": 0}
                for n in ("films", "unmatched", "watchlist", "watches", "rated")
            },
            "average_rating": _nullable({"type": "number"}),
            "total_runtime_minutes": {"type": "integer", "minimum": 0},
            "rewatches": {"type": "integer", "minimum": 0},
            **{n: _ranking() for n in ("genres", "top_directors", "top_actors", "countries", "languages")},
            "original_languages": {
                "type": "array",
                "items": _object(
                    {"name": {"type": "string"}, "code": {"type": "string"}, "count": {"type": "integer"}}
                ),
            },
            "ratings": _series("rating", {"type": "number"}),
            "decades": _series("decade", {"type": "integer"}),
            "release_years": _series("year", {"type": "integer"}),
            "watches_by_month": _series("month", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}),
            "busiest_month": _nullable(_object({"month": {"type": "string"}, "count": {"type": "integer"}})),
            "longest_streak": _nullable(
                _object({"days": {"type": "integer"}, "start": {"type": "string"}, "end": {"type": "string"}})
            ),
            "average_rating_by_genre": {
                "type": "array",
                "items": _object(
                    {"name": {"type": "string"}, "average": {"type": "number"}, "count": {"type": "integer"}}
                ),
            },
            "average_rating_by_decade": {
                "type": "array",
                "items": _object(
                    {
                        "decade": {"type": "integer"},
                        "average": {"type": "number"},
                        "count": {"type": "integer"},
                    }
                ),
            },
            "top_directors_by_hours": {
                "type": "array",
                "items": _object(
                    {"name": {"type": "string"}, "hours": {"type": "number"}, "count": {"type": "integer"}}
                ),
            },
        }
    ),
    "Info": _object(
        {
            "demo_catalogue": {"type": "boolean"},
            "workers": {"type": "integer", "minimum": 0},
            "max_upload_mb": {"type": "integer", "minimum": 1},
            "retention_days": {"type": "integer", "minimum": 1},
        }
    ),
}

PATHS: Json = {
    "/": {
        "get": {
            "summary": "The web page",
            "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}},
        }
    },
    "/healthz": {
        "get": {
            "summary": "The process is alive",
            "responses": {"200": _json(_object({"status": {"type": "string"}}), "Alive.")},
        }
    },
    "/readyz": {
        "get": {
            "summary": "The database answers and its schema is current",
            "responses": {
                "200": _json(
                    _object({"status": {"type": "string"}, "schema_version": {"type": "integer"}}), "Ready."
                ),
                **_errors(503),
            },
        }
    },
    "/metrics": {
        "get": {
            "summary": "Prometheus metrics",
            "responses": {"200": {"description": "Text", "content": {"text/plain": {}}}},
        }
    },
    "/openapi.json": {
        "get": {"summary": "This document", "responses": {"200": _json({"type": "object"}, "OpenAPI 3.0.")}}
    },
    "/api/info": {
        "get": {
            "summary": "What the page needs to know",
            "responses": {"200": _json(_ref("Info"), "Info."), **_errors(401, 503)},
        }
    },
    "/api/sessions": {
        "post": {
            "summary": "Upload an export (Letterboxd, IMDb, Trakt or Netflix) and start its enrichment",
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": _object(
                            {
                                "files": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                    "minItems": 1,
                                }
                            }
                        )
                    }
                },
            },
            "responses": {
                "202": _json(
                    _ref("Session"),
                    "Stored; enrichment queued (or completed at once when there are no films).",
                    {"Location": {"schema": {"type": "string"}, "description": "/api/sessions/{id}"}},
                ),
                **_errors(400, 401, 413, 415, 422, 503),
            },
        }
    },
    "/api/sessions/{session_id}": {
        "parameters": [SESSION_ID],
        "get": {
            "summary": "A session and its progress",
            "responses": {"200": _json(_ref("Session"), "The session."), **_errors(401, 404, 503)},
        },
        "delete": {
            "summary": "Delete a session and everything uploaded with it",
            "responses": {"204": {"description": "Deleted."}, **_errors(401, 404, 503)},
        },
    },
    "/api/sessions/{session_id}/events": {
        "parameters": [SESSION_ID],
        "get": {
            "summary": "Server-sent `progress` events (the session JSON) until a final status",
            "responses": {
                "200": {
                    "description": "An event stream.",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}},
                },
                **_errors(401, 404, 503),
            },
        },
    },
    "/api/sessions/{session_id}/films": {
        "parameters": [SESSION_ID],
        "get": {
            "summary": "The session's films, a page at a time, in export order",
            "parameters": [
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": FILM_STATUSES}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                {
                    "name": "cursor",
                    "in": "query",
                    "description": "The next_cursor of the previous page (anything else: 400).",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {"200": _json(_ref("FilmPage"), "A page of films."), **_errors(400, 401, 404, 503)},
        },
    },
    "/api/sessions/{session_id}/analytics": {
        "parameters": [SESSION_ID],
        "get": {
            "summary": "The session's statistics (complete: false while enriching)",
            "responses": {"200": _json(_ref("Analytics"), "Statistics."), **_errors(401, 404, 503)},
        },
    },
    "/api/sessions/{session_id}/retry": {
        "parameters": [SESSION_ID],
        "post": {
            "summary": "Look up the not_found and failed films again",
            "responses": {"202": _json(_ref("Session"), "Re-queued."), **_errors(401, 404, 409, 503)},
        },
    },
}

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
        "schemas": SCHEMAS,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    },
    "paths": PATHS,
}


async def openapi(request: Request) -> Response:
    """GET /openapi.json."""
    return JSONResponse(DOCUMENT)
