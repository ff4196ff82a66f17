"""Films as TMDB v3 JSON: search results, movie details, credits and error bodies."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from tmdbdemo.films import Film
from tmdbdemo.genres import GENRE_ID
from tmdbdemo.search import SearchPage

JSON = dict[str, Any]


def error_body(status_code: int, message: str) -> JSON:
    """TMDB's error shape: `{"success": false, "status_code": N, "status_message": ...}`."""
    return {"success": False, "status_code": status_code, "status_message": message}


NOT_FOUND = error_body(34, "The resource you requested could not be found.")
INVALID_KEY = error_body(7, "Invalid API key: You must be granted a valid key.")
RATE_LIMITED = error_body(25, "Your request count (#) is over the allowed limit of (40).")
INVALID_PAGE = error_body(
    22, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."
)
INVALID_PARAMETERS = error_body(5, "Invalid parameters: Your request parameters are incorrect.")


def search_result(film: Film) -> JSON:
    """One entry of a search's `results`, with the fields TMDB gives there."""
    return {
        "adult": False,
        "backdrop_path": None,
        "genre_ids": [GENRE_ID[name] for name in film.genres],
        "id": film.id,
        "original_language": film.original_language,
        "original_title": film.original_title,
        "overview": film.overview,
        "popularity": film.popularity,
        "poster_path": None,
        "release_date": film.release_date,
        "title": film.title,
        "video": False,
        "vote_average": film.vote_average,
        "vote_count": film.vote_count,
    }


def search_body(page: SearchPage) -> JSON:
    """The whole body of `GET /3/search/movie`."""
    return {
        "page": page.page,
        "results": [search_result(film) for film in page.films],
        "total_pages": page.total_pages,
        "total_results": page.total_results,
    }


def details_body(film: Film, append: Collection[str]) -> JSON:
    """The body of `GET /3/movie/{id}`; `append` names extras such as "credits"."""
    body: JSON = {
        "adult": False,
        "backdrop_path": None,
        "genres": [{"id": GENRE_ID[name], "name": name} for name in film.genres],
        "id": film.id,
        "imdb_id": film.imdb_id,
        "original_language": film.original_language,
        "original_title": film.original_title,
        "overview": film.overview,
        "popularity": film.popularity,
        "poster_path": None,
        "production_countries": [
            {"iso_3166_1": country.iso_3166_1, "name": country.name} for country in film.production_countries
        ],
        "release_date": film.release_date,
        "runtime": film.runtime,
        "spoken_languages": [
            {"english_name": lang.english_name, "iso_639_1": lang.iso_639_1, "name": lang.name}
            for lang in film.spoken_languages
        ],
        "status": "Released",
        "title": film.title,
        "video": False,
        "vote_average": film.vote_average,
        "vote_count": film.vote_count,
    }
    if "credits" in append:
        body["credits"] = credits_body(film)
    if "alternative_titles" in append:
        body["alternative_titles"] = {
            "titles": [{"iso_3166_1": "", "title": title, "type": ""} for title in film.alternative_titles]
        }
    if "release_dates" in append:
        body["release_dates"] = release_dates_body(film)
    return body


def release_dates_body(film: Film) -> JSON:
    """`release_dates` as TMDB appends it: per country, dated releases with their type. The
    primary date is a theatrical release (type 3) in the first production country; another
    release year before it is a premiere (type 1, a festival), after it a theatrical release
    abroad or a re-release."""
    country = film.production_countries[0].iso_3166_1 if film.production_countries else "US"
    releases = [(film.release_date, 3)] if film.release_date else []
    primary = film.year or 0
    releases += [
        (f"{year}-09-01" if year < primary else f"{year}-03-01", 1 if year < primary else 3)
        for year in film.other_release_years
    ]
    return {
        "results": [
            {
                "iso_3166_1": country,
                "release_dates": [
                    {
                        "certification": "",
                        "descriptors": [],
                        "iso_639_1": "",
                        "note": "",
                        "release_date": f"{date}T00:00:00.000Z",
                        "type": kind,
                    }
                    for date, kind in sorted(releases)
                ],
            }
        ]
        if releases
        else []
    }


def credits_body(film: Film) -> JSON:
    """Cast in billing order and the directors as crew.

    The catalogue does not record character names, so `character` is always "".
    """
    return {
        "cast": [
            {
                "id": who.id,
                "name": who.name,
                "character": "",
                "order": order,
                "known_for_department": "Acting",
            }
            for order, who in enumerate(film.cast)
        ],
        "crew": [
            {
                "id": who.id,
                "name": who.name,
                "job": "Director",
                "department": "Directing",
                "known_for_department": "Directing",
            }
            for who in film.directors
        ],
    }


def configuration_body() -> JSON:
    """A minimal `GET /3/configuration`: the image settings clients read."""
    return {
        "images": {
            "base_url": "http://image.tmdb.org/t/p/",
            "secure_base_url": "https://image.tmdb.org/t/p/",
            "backdrop_sizes": ["w300", "w780", "w1280", "original"],
            "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
            "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
            "profile_sizes": ["w45", "w185", "h632", "original"],
            "still_sizes": ["w92", "w185", "w300", "original"],
        },
        "change_keys": ["adult", "credits", "genres", "release_dates", "runtime", "title"],
    }
