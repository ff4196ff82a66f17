"""TMDB film details reduced to the columns of the shared tmdb_movies cache."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
TOP_CAST = 10


def _objects(value: object) -> list[Json]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _names(items: list[Json], key: str = "name") -> list[str]:
    return [str(item[key]) for item in items if item.get(key)]


def _alternative_titles(details: Json) -> list[str]:
    block = details.get("alternative_titles")
    titles = _objects(block.get("titles")) if isinstance(block, dict) else []
    return list(dict.fromkeys(_names(titles, "title")))


def _release_years(details: Json) -> list[int]:
    block = details.get("release_dates")
    years: set[int] = set()
    for country in _objects(block.get("results")) if isinstance(block, dict) else []:
        for release in _objects(country.get("release_dates")):
            date = release.get("release_date")
            if isinstance(date, str) and date[:4].isdigit():
                years.add(int(date[:4]))
    return sorted(years)


def movie_record(details: Json) -> Json:
    """The cache row of one film from its /movie/{id} answer (credits, alternative titles and
    release dates appended)."""
    credits = details.get("credits")
    credits = credits if isinstance(credits, dict) else {}
    crew, cast = _objects(credits.get("crew")), _objects(credits.get("cast"))
    directors = list(dict.fromkeys(_names([c for c in crew if c.get("job") == "Director"])))
    billed = sorted(cast, key=lambda c: c.get("order", 999))
    release = details.get("release_date") or None
    languages = [
        str(lang.get("english_name") or lang.get("name") or lang.get("iso_639_1") or "")
        for lang in _objects(details.get("spoken_languages"))
    ]
    runtime = details.get("runtime")
    return {
        "tmdb_id": int(details["id"]),
        "title": str(details.get("title") or details.get("original_title") or ""),
        "original_title": details.get("original_title"),
        "original_language": details.get("original_language"),
        "release_date": release if isinstance(release, str) and len(release) == 10 else None,
        "runtime": runtime if isinstance(runtime, int) and runtime > 0 else None,
        "genres": _names(_objects(details.get("genres"))),
        "directors": directors,
        "cast_members": _names(billed[:TOP_CAST]),
        "countries": _names(_objects(details.get("production_countries"))),
        "languages": [name for name in languages if name],
        "popularity": details.get("popularity"),
        "vote_average": details.get("vote_average"),
        "alternative_titles": _alternative_titles(details),
        "release_years": _release_years(details),
    }
