"""The TMDB v3 endpoints themselves, as Starlette routes under `/3`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tmdbdemo.find import find_endpoint
from tmdbdemo.genres import genre_list
from tmdbdemo.guard import guarded
from tmdbdemo.payloads import (
    INVALID_PAGE,
    INVALID_PARAMETERS,
    NOT_FOUND,
    configuration_body,
    details_body,
    search_body,
)
from tmdbdemo.search import MAX_PAGE, search
from tmdbdemo.state import FakeState


class _BadParameter(ValueError):
    """A query parameter TMDB would refuse."""


def tmdb_routes(fake: FakeState) -> list[Route]:
    """The TMDB endpoints the fake answers; anything else under /3 is TMDB's 404."""

    async def search_movie(request: Request) -> Response:
        params = request.query_params
        try:
            page = _page(params.get("page"))
        except _BadParameter:
            return JSONResponse(INVALID_PAGE, status_code=400)
        try:
            year = _year(params.get("year"))
            primary_year = _year(params.get("primary_release_year"))
        except _BadParameter:
            return JSONResponse(INVALID_PARAMETERS, status_code=422)
        found = search(
            fake.catalogue,
            params.get("query", ""),
            year=year,
            primary_release_year=primary_year,
            page=page,
            synthetic_films=fake.settings.synthetic_films,
            ranking=fake.settings.ranking,
        )
        return JSONResponse(search_body(found))

    async def movie_details(request: Request) -> Response:
        raw_id = str(request.path_params["movie_id"])
        film = fake.film(int(raw_id)) if raw_id.isascii() and raw_id.isdigit() else None
        if film is None:
            return JSONResponse(NOT_FOUND, status_code=404)
        append = {part.strip() for part in request.query_params.get("append_to_response", "").split(",")}
        return JSONResponse(details_body(film, append))

    async def genres(request: Request) -> Response:
        return JSONResponse(genre_list())

    async def configuration(request: Request) -> Response:
        return JSONResponse(configuration_body())

    async def not_found(request: Request) -> Response:
        return JSONResponse(NOT_FOUND, status_code=404)

    return [
        Route("/3/search/movie", guarded(fake, "search", search_movie), methods=["GET"]),
        Route("/3/movie/{movie_id}", guarded(fake, "details", movie_details), methods=["GET"]),
        Route("/3/find/{external_id}", guarded(fake, "find", find_endpoint(fake)), methods=["GET"]),
        Route("/3/genre/movie/list", guarded(fake, "other", genres), methods=["GET"]),
        Route("/3/configuration", guarded(fake, "other", configuration), methods=["GET"]),
        Route("/3/{rest:path}", guarded(fake, "other", not_found)),
    ]


def _page(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise _BadParameter(raw)
    return int(raw)


def _year(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) != 4:
        raise _BadParameter(raw)
    return int(raw)
