"""`GET /3/find/{external_id}?external_source=imdb_id`: TMDB's look-up by another database's id.

TMDB answers every department at once; the fake knows films only, so `movie_results` holds the
film with that IMDb id (bundled or synthetic) and the other lists are empty. An id nobody has
gives empty lists with 200, as TMDB does; a missing or unknown `external_source` gives TMDB's
404 (what TMDB answers a find without it).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tmdbdemo.films import Film
from tmdbdemo.guard import Handler
from tmdbdemo.payloads import JSON, NOT_FOUND, search_result
from tmdbdemo.state import FakeState
from tmdbdemo.synthetic import number_for_imdb_id, synthetic_film

# The external sources TMDB's find accepts; only imdb_id ever finds a film here.
EXTERNAL_SOURCES = frozenset(
    {
        "imdb_id",
        "facebook_id",
        "instagram_id",
        "tvdb_id",
        "tiktok_id",
        "twitter_id",
        "wikidata_id",
        "youtube_id",
    }
)


def find_body(films: list[Film]) -> JSON:
    """The body of a find: the films found as search results marked `media_type` movie."""
    return {
        "movie_results": [{**search_result(film), "media_type": "movie"} for film in films],
        "person_results": [],
        "tv_results": [],
        "tv_episode_results": [],
        "tv_season_results": [],
    }


def find_endpoint(fake: FakeState) -> Handler:
    """The find handler; the catalogue's IMDb ids are indexed once, when the app is made."""
    by_imdb_id = {film.imdb_id: film for film in fake.catalogue.by_id.values() if film.imdb_id}

    async def find(request: Request) -> Response:
        if request.query_params.get("external_source") not in EXTERNAL_SOURCES:
            return JSONResponse(NOT_FOUND, status_code=404)
        if request.query_params["external_source"] != "imdb_id":
            return JSONResponse(find_body([]))
        external_id = str(request.path_params["external_id"])
        film = by_imdb_id.get(external_id)
        if film is None:
            n = number_for_imdb_id(external_id, fake.settings.synthetic_films)
            film = None if n is None else synthetic_film(n)
        return JSONResponse(find_body([] if film is None else [film]))

    return find
