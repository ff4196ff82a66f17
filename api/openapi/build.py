"""Building blocks of the OpenAPI document: references, JSON bodies, errors, objects."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

ERROR_REASONS = {
    400: "The request is malformed (a parameter or the multipart body).",
    401: "API_TOKEN is set and the request lacks the bearer token.",
    404: "There is no such session.",
    409: "The session is still being enriched.",
    413: "The upload (or what its zip inflates to) is over MAX_UPLOAD_MB.",
    415: "The body is not multipart/form-data.",
    422: "The files are not an export (Letterboxd, IMDb, Trakt, Netflix) this service can read.",
    503: "The database is unavailable right now.",
}
SESSION_ID: Json = {
    "name": "session_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
    "description": "The session's id (any other text names no session: 404).",
}
INTEGER: Json = {"type": "integer"}
COUNT: Json = {"type": "integer", "minimum": 0}
NUMBER: Json = {"type": "number"}
STRING: Json = {"type": "string"}
DATE: Json = {"type": "string", "format": "date"}


def ref(name: str) -> Json:
    """A reference to a schema of components/schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: Json, description: str, headers: Json | None = None) -> Json:
    """A response with a JSON body."""
    answer: Json = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


def errors(*codes: int) -> dict[str, Json]:
    """The error responses of an operation, each `{"error": "<sentence>"}`."""
    return {str(code): json_body(ref("Error"), ERROR_REASONS[code]) for code in codes}


def nullable(schema: Json) -> Json:
    return {**schema, "nullable": True}


def obj(properties: Json, required: list[str] | None = None) -> Json:
    """An object whose properties are all required unless `required` names fewer."""
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def array(items: Json) -> Json:
    return {"type": "array", "items": items}


def ranking(key: str = "name") -> Json:
    """[{key, count}]."""
    return array(obj({key: STRING, "count": INTEGER}))


def series(key: str, schema: Json) -> Json:
    """[{key, count}] in key order."""
    return array(obj({key: schema, "count": INTEGER}))


def query(name: str, schema: Json, description: str) -> Json:
    """An optional query parameter."""
    return {"name": name, "in": "query", "schema": schema, "description": description}
