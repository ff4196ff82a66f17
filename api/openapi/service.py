"""The page, health, metrics, this document and /api/info."""

from __future__ import annotations

from api.openapi.build import COUNT, Json, errors, json_body, obj, ref

SCHEMAS: Json = {
    "Error": obj({"error": {"type": "string", "description": "A sentence for the person."}}),
    "Info": obj(
        {
            "demo_catalogue": {"type": "boolean"},
            "workers": COUNT,
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
            "responses": {"200": json_body(obj({"status": {"type": "string"}}), "Alive.")},
        }
    },
    "/readyz": {
        "get": {
            "summary": "The database answers and its schema is current",
            "responses": {
                "200": json_body(
                    obj({"status": {"type": "string"}, "schema_version": {"type": "integer"}}), "Ready."
                ),
                **errors(503),
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
        "get": {
            "summary": "This document",
            "responses": {"200": json_body({"type": "object"}, "OpenAPI 3.0.")},
        }
    },
    "/api/info": {
        "get": {
            "summary": "What the page needs to know",
            "responses": {"200": json_body(ref("Info"), "Info."), **errors(401, 503)},
        }
    },
}
