"""One film and its candidates, and the person's correction of its match."""

from __future__ import annotations

from api.openapi.build import COUNT, SESSION_ID, STRING, Json, errors, json_body, nullable, obj, ref
from api.openapi.films import FILM_STATUSES

FILM_ID = {
    "name": "film_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "The film's number in its session (anything else names no film: 404).",
}
MAX_TMDB_ID = 2**31 - 1

SCHEMAS: Json = {
    "Candidate": obj(
        {
            "tmdb_id": {"type": "integer"},
            "title": STRING,
            "original_title": nullable(STRING),
            "release_date": nullable({"type": "string"}),
            "year": nullable({"type": "integer"}),
            "fits": {"type": "boolean", "description": "Both title and year evidence."},
        }
    ),
    "FilmDetail": obj(
        {
            "id": {"type": "integer", "minimum": 1},
            "name": STRING,
            "year": nullable({"type": "integer"}),
            "status": {"type": "string", "enum": FILM_STATUSES},
            "tmdb_id": nullable({"type": "integer"}),
            "title": nullable(STRING),
            "original_title": nullable(STRING),
            "original_language": nullable(STRING),
            "release_date": nullable({"type": "string", "format": "date"}),
            "runtime": nullable({"type": "integer"}),
            "genres": {"type": "array", "items": STRING},
            "directors": {"type": "array", "items": STRING},
            "countries": {"type": "array", "items": STRING},
            "match_rule": nullable(STRING),
            "alternatives": COUNT,
            "error": nullable(STRING),
            "cast": {"type": "array", "items": STRING},
            "languages": {"type": "array", "items": STRING},
            "letterboxd_uri": nullable(STRING),
            "rating": nullable({"type": "number"}),
            "candidates": {
                "type": "array",
                "items": ref("Candidate"),
                "maxItems": 10,
                "description": "What the film's search found, best first, the fitting ones first.",
            },
        }
    ),
    "MatchChoice": {
        "oneOf": [
            obj(
                {"tmdb_id": nullable({"type": "integer", "minimum": 1, "maximum": MAX_TMDB_ID})}, ["tmdb_id"]
            ),
            obj(
                {
                    "tmdb_url": {
                        "type": "string",
                        "description": "A TMDB film address: https://www.themoviedb.org/movie/1640-crash",
                    }
                },
                ["tmdb_url"],
            ),
        ],
        "description": 'A TMDB id, a TMDB film address, or {"tmdb_id": null}: the film is not on TMDB.',
    },
}

PATHS: Json = {
    "/api/sessions/{session_id}/films/{film_id}": {
        "parameters": [SESSION_ID, FILM_ID],
        "get": {
            "summary": "One film, with the candidates its search found (no TMDB request)",
            "responses": {"200": json_body(ref("FilmDetail"), "The film."), **errors(401, 404, 503)},
        },
    },
    "/api/sessions/{session_id}/films/{film_id}/match": {
        "parameters": [SESSION_ID, FILM_ID],
        "put": {
            "summary": "The person's match for the film, final (a worker fetches the details)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("MatchChoice")}},
            },
            "responses": {
                "202": json_body(ref("FilmDetail"), "Stored; with an id the film is pending until fetched."),
                **errors(400, 401, 404, 413, 422, 503),
            },
        },
    },
}
