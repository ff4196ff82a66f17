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
# Null when the upload cannot tell (README, "Analytics"): no watch history, no ratings, no watchlist.
NO_HISTORY = (
    "Null when the upload holds no watch history (IMDb; Letterboxd without a diary; Trakt without"
    " history files)."
)
NO_RATINGS = (
    "Null when the upload holds no ratings (Netflix; Trakt without ratings-movies.json; Letterboxd"
    " without ratings.csv or a diary)."
)
NO_WATCHLIST = "Null when the upload holds no watchlist file (always for Netflix)."


def unknown(schema: Json, why: str) -> Json:
    """A field the upload may not be able to provide: null then, never zero."""
    return {**nullable(schema), "description": why}


SCHEMAS: Json = {
    "Analytics": obj(
        {
            "session_id": {"type": "string", "format": "uuid"},
            "status": STRING,
            "complete": {"type": "boolean"},
            "year": nullable({**INTEGER, "description": "The year of a year view; null all time."}),
            **dict.fromkeys(("films", "unmatched", "watches"), COUNT),
            "watchlist": unknown(COUNT, NO_WATCHLIST),
            "rated": unknown(COUNT, NO_RATINGS),
            "average_rating": AVERAGE,
            "total_runtime_minutes": COUNT,
            "rewatches": unknown(COUNT, NO_HISTORY),
            "first_watches": unknown(COUNT, NO_HISTORY),
            **{n: ranking() for n in ("genres", "top_directors", "top_actors", "countries", "languages")},
            "original_languages": array(obj({"name": STRING, "code": STRING, "count": INTEGER})),
            "ratings": unknown(series("rating", NUMBER), NO_RATINGS),
            "decades": series("decade", INTEGER),
            "release_years": series("year", INTEGER),
            "watches_by_month": series("month", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}),
            "busiest_month": nullable(obj({"month": STRING, "count": INTEGER})),
            "longest_streak": nullable(obj({"days": INTEGER, "start": STRING, "end": STRING})),
            "average_rating_by_genre": unknown(
                array(obj({"name": STRING, "average": NUMBER, "count": INTEGER})), NO_RATINGS
            ),
            "average_rating_by_decade": unknown(
                array(obj({"decade": INTEGER, "average": NUMBER, "count": INTEGER})), NO_RATINGS
            ),
            "top_directors_by_hours": array(obj({"name": STRING, "hours": NUMBER, "count": INTEGER})),
            "years": series("year", INTEGER),
            "watches_by_weekday": series("weekday", {"type": "integer", "minimum": 1, "maximum": 7}),
            "multi_film_days": COUNT,
            "milestones": array(obj({"n": INTEGER, "date": DATE, "name": STRING, "year": nullable(INTEGER)})),
            "most_rewatched": unknown(
                array(obj({"name": STRING, "year": nullable(INTEGER), "count": INTEGER})), NO_HISTORY
            ),
            "best_rated": unknown(
                array(obj({"name": STRING, "year": nullable(INTEGER), "rating": NUMBER, "count": INTEGER})),
                NO_RATINGS,
            ),
            "top_directors_by_rating": unknown(PEOPLE_BY_RATING, NO_RATINGS),
            "top_actors_by_rating": unknown(PEOPLE_BY_RATING, NO_RATINGS),
            "versus_tmdb": unknown(
                obj(
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
                NO_RATINGS,
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
                        "rated": unknown(INTEGER, NO_RATINGS),
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
