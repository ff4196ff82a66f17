"""Uploads and sessions: create, read, follow, retry, delete."""

from __future__ import annotations

from api.openapi.build import COUNT, SESSION_ID, Json, errors, json_body, nullable, obj, ref

SOURCES = ["letterboxd", "imdb", "trakt", "netflix"]
# Letterboxd's files; IMDb's ratings and list; Trakt's watched, history, ratings, watchlist; Netflix's.
FILE_KINDS = ["watched", "diary", "ratings", "reviews", "likes", "watchlist", "list", "history"]
FILE_KINDS += ["viewing_history", "viewing_activity", "skipped"]

SCHEMAS: Json = {
    "Progress": obj(dict.fromkeys(("total", "done", "matched", "not_found", "failed"), COUNT)),
    "FileSummary": obj(
        {
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": FILE_KINDS},
            "rows": COUNT,
            "reason": {"type": "string"},
            "skipped": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
            "profiles": {
                "type": "array",
                "items": obj({"name": {"type": "string"}, "rows": {"type": "integer", "minimum": 1}}),
            },
            "dates": obj({"format": {"type": "string"}, "why": {"type": "string"}}),
        },
        ["name", "kind", "rows"],
    ),
    "Session": obj(
        {
            "id": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "enum": ["enriching", "completed", "failed", "cancelled"]},
            "source": {"type": "string", "enum": SOURCES},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "error": nullable({"type": "string"}),
            "progress": ref("Progress"),
            "files": {"type": "array", "items": ref("FileSummary")},
        }
    ),
}

PATHS: Json = {
    "/api/sessions": {
        "post": {
            "summary": "Upload an export (Letterboxd, IMDb, Trakt or Netflix) and start its enrichment",
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": obj(
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
                "202": json_body(
                    ref("Session"),
                    "Stored; enrichment queued (or completed at once when there are no films).",
                    {"Location": {"schema": {"type": "string"}, "description": "/api/sessions/{id}"}},
                ),
                **errors(400, 401, 413, 415, 422, 503),
            },
        }
    },
    "/api/sessions/{session_id}": {
        "parameters": [SESSION_ID],
        "get": {
            "summary": "A session and its progress",
            "responses": {"200": json_body(ref("Session"), "The session."), **errors(401, 404, 503)},
        },
        "delete": {
            "summary": "Delete a session and everything uploaded with it",
            "responses": {"204": {"description": "Deleted."}, **errors(401, 404, 503)},
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
                **errors(401, 404, 503),
            },
        },
    },
    "/api/sessions/{session_id}/retry": {
        "parameters": [SESSION_ID],
        "post": {
            "summary": "Look up the not_found and failed films again",
            "responses": {"202": json_body(ref("Session"), "Re-queued."), **errors(401, 404, 409, 503)},
        },
    },
}
