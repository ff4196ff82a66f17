"""A session's films, a page at a time, optionally those behind a chart's bar (drill-down)."""

from __future__ import annotations

from api.openapi.build import (
    COUNT,
    SESSION_ID,
    STRING,
    Json,
    errors,
    json_body,
    nullable,
    obj,
    query,
    ref,
)

FILM_STATUSES = ["pending", "matched", "not_found", "failed"]
NAME = {"type": "string", "minLength": 1, "maxLength": 300}
YEAR = {"type": "string", "pattern": "^[0-9]{4}$"}

SCHEMAS: Json = {
    "Film": obj(
        {
            "id": {"type": "integer", "minimum": 1, "description": "The film's number in its session."},
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
            "alternatives": {**COUNT, "description": "Other TMDB films that fit as well (0: no doubt)."},
            "error": nullable(STRING),
            "rating": nullable(
                {"type": "number", "description": "ratings.csv, else the latest diary rating."}
            ),
            "watches": {
                **COUNT,
                "description": "Its watches that meet the watch filters (all without them).",
            },
            "last_watched": nullable(
                {"type": "string", "format": "date", "description": "The latest of those."}
            ),
        }
    ),
    "FilmPage": obj({"films": {"type": "array", "items": ref("Film")}, "next_cursor": nullable(STRING)}),
}

FILTERS = [
    query("genre", NAME, "Matched films of this genre (the genres chart)."),
    query("director", NAME, "Matched films this person directed."),
    query("actor", NAME, "Matched films with this person in the billed cast."),
    query("country", NAME, "Matched films produced in this country."),
    query("language", NAME, "Matched films with this spoken language."),
    query("original_language", NAME, "Matched films with this original language (ISO 639-1 code)."),
    query(
        "decade", {"type": "string", "pattern": "^[0-9]{3}0$"}, "Matched films whose export Year is in it."
    ),
    query("release_year", YEAR, "Matched films of this export Year."),
    query(
        "rating",
        {"type": "string", "enum": [f"{h / 2:g}" for h in range(1, 11)]},
        "Films with this rating (ratings.csv, else the latest diary rating).",
    ),
    query(
        "runtime", {"type": "string", "enum": ["short", "feature", "long"]}, "Matched films of this length."
    ),
    query("watched_year", YEAR, "Films with a watch dated in this year."),
    query("watched_month", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "… in this month."),
    query("watched_week", {"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$"}, "… in this ISO week."),
    query("watched_on", {"type": "string", "format": "date"}, "… on this day."),
    query("weekday", {"type": "integer", "minimum": 1, "maximum": 7}, "… on this ISO weekday (1 = Monday)."),
    query(
        "has_alternatives",
        {"type": "string", "enum": ["true", "false"]},
        "Films whose match other TMDB films fit as well (alternatives > 0), or those without.",
    ),
]

PATHS: Json = {
    "/api/sessions/{session_id}/films": {
        "parameters": [SESSION_ID],
        "get": {
            "summary": "The session's films, a page at a time, in export order; filters list a chart's bar",
            "description": "Filters combine; the watch filters (watched_*, weekday) must hold for one "
            "and the same watch. A bad value is a 400 naming the parameter.",
            "parameters": [
                query("status", {"type": "string", "enum": FILM_STATUSES}, "Films of this status."),
                query("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "Page size (default 100)."),
                query("cursor", STRING, "The next_cursor of the previous page (anything else: 400)."),
                *FILTERS,
            ],
            "responses": {
                "200": json_body(ref("FilmPage"), "A page of films."),
                **errors(400, 401, 404, 503),
            },
        },
    },
}
