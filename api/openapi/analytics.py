"""A session's statistics, all time or for one year."""

from __future__ import annotations

from api.openapi.build import (
    COUNT,
    DATE,
    INTEGER,
    NUMBER,
    SESSION_ID,
    STRING,
    Json,
    array,
    errors,
    json_body,
    nullable,
    obj,
    query,
    ranking,
    ref,
    series,
)

AVERAGE = nullable(NUMBER)
PEOPLE_BY_RATING = array(obj({"name": STRING, "average": NUMBER, "count": INTEGER}))

SCHEMAS: Json = {
    "Analytics": obj(
        {
            "session_id": {"type": "string", "format": "uuid"},
            "status": STRING,
            "complete": {"type": "boolean"},
            "year": nullable({**INTEGER, "description": "The year of a year view; null all time."}),
            **dict.fromkeys(("films", "unmatched", "watchlist", "watches", "rated"), COUNT),
            "average_rating": AVERAGE,
            "total_runtime_minutes": COUNT,
            "rewatches": COUNT,
            "first_watches": COUNT,
            **{n: ranking() for n in ("genres", "top_directors", "top_actors", "countries", "languages")},
            "original_languages": array(obj({"name": STRING, "code": STRING, "count": INTEGER})),
            "ratings": series("rating", NUMBER),
            "decades": series("decade", INTEGER),
            "release_years": series("year", INTEGER),
            "watches_by_month": series("month", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}),
            "busiest_month": nullable(obj({"month": STRING, "count": INTEGER})),
            "longest_streak": nullable(obj({"days": INTEGER, "start": STRING, "end": STRING})),
            "average_rating_by_genre": array(obj({"name": STRING, "average": NUMBER, "count": INTEGER})),
            "average_rating_by_decade": array(obj({"decade": INTEGER, "average": NUMBER, "count": INTEGER})),
            "top_directors_by_hours": array(obj({"name": STRING, "hours": NUMBER, "count": INTEGER})),
            "years": series("year", INTEGER),
            "watches_by_weekday": series("weekday", {"type": "integer", "minimum": 1, "maximum": 7}),
            "multi_film_days": COUNT,
            "milestones": array(obj({"n": INTEGER, "date": DATE, "name": STRING, "year": nullable(INTEGER)})),
            "most_rewatched": array(obj({"name": STRING, "year": nullable(INTEGER), "count": INTEGER})),
            "best_rated": array(
                obj({"name": STRING, "year": nullable(INTEGER), "rating": NUMBER, "count": INTEGER})
            ),
            "top_directors_by_rating": PEOPLE_BY_RATING,
            "top_actors_by_rating": PEOPLE_BY_RATING,
            "versus_tmdb": obj(
                {
                    **dict.fromkeys(("compared", "higher", "lower", "same"), COUNT),
                    "average_difference": AVERAGE,
                    "biggest_disagreements": array(
                        obj(
                            {
                                "name": STRING,
                                "year": nullable(INTEGER),
                                "rating": NUMBER,
                                "tmdb_rating": NUMBER,
                                "difference": NUMBER,
                            }
                        )
                    ),
                }
            ),
            "runtime_spread": array(
                obj(
                    {
                        "bucket": {"type": "string", "enum": ["short", "feature", "long"]},
                        "min_minutes": INTEGER,
                        "max_minutes": nullable(INTEGER),
                        "count": INTEGER,
                    }
                )
            ),
            "watches_by_week": array(obj({"week": STRING, "start": DATE, "count": INTEGER})),
            "calendar": array(obj({"date": DATE, "count": INTEGER})),
            "year_over_year": array(
                obj(
                    {
                        "year": INTEGER,
                        "films": INTEGER,
                        "watches": INTEGER,
                        "rated": INTEGER,
                        "average_rating": AVERAGE,
                        "total_runtime_minutes": INTEGER,
                    }
                )
            ),
            "watch_years": array(INTEGER),
        }
    ),
}

PATHS: Json = {
    "/api/sessions/{session_id}/analytics": {
        "parameters": [SESSION_ID],
        "get": {
            "summary": "The session's statistics, all time or for one year (complete: false while enriching)",
            "parameters": [
                query(
                    "year",
                    {"type": "string", "pattern": "^[0-9]{4}$"},
                    "The same statistics for the watches dated in this year and the films watched in it.",
                )
            ],
            "responses": {"200": json_body(ref("Analytics"), "Statistics."), **errors(400, 401, 404, 503)},
        },
    },
}
