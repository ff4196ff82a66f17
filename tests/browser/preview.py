"""A stand-in reelstats API for developing the web page: `python tests/browser/preview.py --port 8765`.

Serves `api/static/` at `/` and `/static/`, and canned answers for every endpoint the page uses,
computed from whatever is uploaded (CSVs or the export zip) against the bundled demo catalogue, with
progress that advances over about three seconds. A development aid only: not part of the test-suite
(pytest does not collect it) and not the real API.

    --token SECRET   every /api/* request needs `Authorization: Bearer SECRET` (else 401)
    --flaky          the event stream breaks after a second, to exercise the page's reconnect
    --no-demo        /api/info says the real TMDB is used (no demo banner)
    --seconds N      how long enrichment takes (default 3)

A finished session of the sample export is ready at `/?session=00000000-0000-4000-8000-000000000001`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import re
import time
import unicodedata
import uuid
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "api" / "static"
SAMPLE = ROOT / "samples" / "letterboxd"
CATALOGUE = json.loads((ROOT / "tmdbdemo" / "catalogue.json").read_text())["films"]
SAMPLE_ID = "00000000-0000-4000-8000-000000000001"
FINAL = {"completed", "failed", "cancelled"}

WATCHED_HEADER = ["Date", "Name", "Year", "Letterboxd URI"]
HEADERS = {
    tuple(WATCHED_HEADER): "watched",
    (*WATCHED_HEADER, "Rating"): "ratings",
    (*WATCHED_HEADER, "Rating", "Rewatch", "Tags", "Watched Date"): "diary",
    (*WATCHED_HEADER, "Rating", "Rewatch", "Review", "Tags", "Watched Date"): "reviews",
}
SKIPPED = (
    "profile.csv",
    "comments.csv",
    "lists/",
    "deleted/",
    "orphaned/",
    "likes/lists.csv",
    "likes/reviews.csv",
)


class Refused(Exception):
    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def normalise(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("&", "and")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


INDEX: dict[str, list[dict[str, Any]]] = defaultdict(list)
for _film in CATALOGUE:
    for _title in {_film["title"], _film["original_title"], *_film.get("alternative_titles", [])}:
        INDEX[normalise(_title)].append(_film)


def match(name: str, year: int | None) -> dict[str, Any] | None:
    candidates = INDEX.get(normalise(name), [])
    if year is not None:
        candidates = [
            f
            for f in candidates
            if abs(int(f["release_date"][:4]) - year) <= 1 or year in f.get("other_release_years", [])
        ]
    return min(candidates, key=lambda f: abs(int(f["release_date"][:4]) - (year or 0)), default=None)


@dataclass
class Film:
    name: str
    year: int | None
    rating: float | None = None
    tmdb: dict[str, Any] | None = None
    status: str = "pending"


@dataclass
class Session:
    id: str
    films: list[Film]
    files: list[dict[str, Any]]
    diary: list[tuple[str, int | None, str, float | None, bool]]  # name, year, watched date, rating, rewatch
    watchlist: int
    seconds: float
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: float = field(default_factory=time.monotonic)
    queue: list[Film] = field(default_factory=list)
    finished_at: datetime | None = None

    def __post_init__(self) -> None:
        self.queue = [f for f in self.films if f.status == "pending"]

    def advance(self) -> None:
        """Settle as many queued films as the elapsed time allows."""
        if not self.queue:
            return
        fraction = min(1.0, (time.monotonic() - self.started) / self.seconds)
        target = round(len(self.queue) * fraction)
        for film in self.queue[:target]:
            if film.status == "pending":
                film.tmdb = match(film.name, film.year)
                film.status = "matched" if film.tmdb else "not_found"
        if target >= len(self.queue):
            self.queue = []
            self.finished_at = datetime.now(UTC)

    def progress(self) -> dict[str, int]:
        counts = Counter(f.status for f in self.films)
        done = counts["matched"] + counts["not_found"] + counts["failed"]
        return {
            "total": len(self.films),
            "done": done,
            "matched": counts["matched"],
            "not_found": counts["not_found"],
            "failed": counts["failed"],
        }

    @property
    def status(self) -> str:
        self.advance()
        return "completed" if not self.queue else "enriching"

    def json(self) -> dict[str, Any]:
        status = self.status
        updated = self.finished_at or datetime.now(UTC)
        return {
            "id": self.id,
            "status": status,
            "created_at": self.created_at.isoformat(),
            "updated_at": updated.isoformat(),
            "error": None,
            "progress": self.progress(),
            "files": self.files,
        }


SESSIONS: dict[str, Session] = {}
OPTIONS = argparse.Namespace(token=None, flaky=False, demo=True, seconds=3.0)


def unpack(parts: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The uploaded files, with a zip replaced by its members."""
    members: list[tuple[str, bytes]] = []
    for name, data in parts:
        if not name.lower().endswith(".zip"):
            members.append((name, data))
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members += [(m, archive.read(m)) for m in archive.namelist() if not m.endswith("/")]
        except zipfile.BadZipFile:
            raise Refused(f"{name} is not a zip file we can open") from None
    if not members:
        raise Refused("The upload holds no files: choose your Letterboxd export zip or its CSV files", 400)
    return members


def classify(name: str, data: bytes) -> tuple[str, list[dict[str, str]]]:
    """A file's kind (from its header, then its name) and its rows."""
    if any(name == s or name.endswith("/" + s) or name.startswith(s) for s in SKIPPED):
        return "skipped", []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(f"{name} is not a UTF-8 text file; upload the CSV files of your export") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise Refused(f"{name} is empty")
    kind = HEADERS.get(tuple(rows[0]))
    if kind is None:
        raise Refused(f"{name}, line 1: this header is not one of a Letterboxd export's files")
    if kind == "watched" and "likes" in name:
        kind = "likes"
    elif kind == "watched" and "watchlist" in name:
        kind = "watchlist"
    return kind, [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r]


def read_export(parts: list[tuple[str, bytes]], seconds: float, session_id: str | None = None) -> Session:
    files, rows_by_kind = [], {}
    for name, data in unpack(parts):
        kind, rows = classify(name, data)
        if kind == "skipped":
            files.append({"name": name, "kind": "skipped", "rows": 0, "reason": "carries no watches"})
            continue
        if kind in rows_by_kind:
            raise Refused(f"{name}: the upload holds two {kind} files; send each file once")
        rows_by_kind[kind] = rows
        files.append({"name": name, "kind": kind, "rows": len(rows)})
    films: dict[tuple[str, int | None], Film] = {}
    for kind in ("watched", "diary", "ratings", "reviews", "likes"):
        for row in rows_by_kind.get(kind, []):
            key = (row["Name"], int(row["Year"]) if row["Year"] else None)
            film = films.setdefault(key, Film(*key))
            if row.get("Rating") and (kind == "ratings" or film.rating is None):
                film.rating = float(row["Rating"])
    diary = [
        (
            r["Name"],
            int(r["Year"]) if r["Year"] else None,
            r["Watched Date"] or r["Date"],
            float(r["Rating"]) if r["Rating"] else None,
            r["Rewatch"] == "Yes",
        )
        for r in rows_by_kind.get("diary", [])
    ]
    return Session(
        id=session_id or str(uuid.uuid4()),
        films=list(films.values()),
        files=files,
        diary=diary,
        watchlist=len(rows_by_kind.get("watchlist", [])),
        seconds=seconds,
    )


def ranking(counter: Counter[str]) -> list[dict[str, Any]]:
    return [{"name": k, "count": v} for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def analytics(session: Session) -> dict[str, Any]:
    status = session.status
    matched = [f for f in session.films if f.status == "matched" and f.tmdb]
    rated = [f for f in session.films if f.rating is not None]
    genres, directors, actors, countries, languages, original = (Counter[str]() for _ in range(6))
    decades, years = Counter[int](), Counter[int]()
    by_genre: dict[str, list[float]] = defaultdict(list)
    by_decade: dict[int, list[float]] = defaultdict(list)
    minutes_by_director: Counter[str] = Counter()
    films_by_director: Counter[str] = Counter()
    for film in matched:
        tmdb = film.tmdb or {}
        genres.update(tmdb["genres"])
        directors.update(tmdb["directors"])
        actors.update(tmdb["cast"][:5])
        countries.update(c["name"] for c in tmdb["production_countries"])
        languages.update(lang["english_name"] for lang in tmdb["spoken_languages"])
        original[tmdb["original_language"]] += 1
        if film.year:
            decades[film.year // 10 * 10] += 1
        years[int(tmdb["release_date"][:4])] += 1
        for director in tmdb["directors"]:
            minutes_by_director[director] += tmdb["runtime"] or 0
            films_by_director[director] += 1
        if film.rating is not None:
            for genre in tmdb["genres"]:
                by_genre[genre].append(film.rating)
            if film.year:
                by_decade[film.year // 10 * 10].append(film.rating)
    watch_dates = sorted({d for _, _, d, _, _ in session.diary})
    months = Counter(d[:7] for _, _, d, _, _ in session.diary)
    streak = None
    run_start = previous = None
    for day in (date.fromisoformat(d) for d in watch_dates):
        if previous is None or day - previous != timedelta(days=1):
            run_start = day
        previous = day
        length = (day - run_start).days + 1
        if streak is None or length > streak["days"]:
            streak = {"days": length, "start": run_start.isoformat(), "end": day.isoformat()}
    busiest = max(sorted(months.items()), key=lambda kv: kv[1], default=None)
    return {
        "session_id": session.id,
        "complete": status in FINAL,
        "status": status,
        "films": len(session.films),
        "unmatched": sum(f.status in {"not_found", "failed"} for f in session.films),
        "watchlist": session.watchlist,
        "watches": len(session.diary) or len(session.films),
        "rated": len(rated),
        "average_rating": round(sum(f.rating for f in rated) / len(rated), 2) if rated else None,
        "total_runtime_minutes": sum((f.tmdb or {}).get("runtime") or 0 for f in matched),
        "rewatches": sum(r for *_, r in session.diary),
        "busiest_month": {"month": busiest[0], "count": busiest[1]} if busiest else None,
        "longest_streak": streak,
        "genres": ranking(genres),
        "top_directors": ranking(directors),
        "top_actors": ranking(actors),
        "countries": ranking(countries),
        "languages": ranking(languages),
        "original_languages": ranking(original),
        "ratings": [{"rating": r / 2, "count": sum(f.rating == r / 2 for f in rated)} for r in range(1, 11)],
        "decades": [{"decade": k, "count": v} for k, v in sorted(decades.items())],
        "release_years": [{"year": k, "count": v} for k, v in sorted(years.items())],
        "watches_by_month": [{"month": k, "count": v} for k, v in sorted(months.items())],
        "average_rating_by_genre": sorted(
            ({"name": g, "average": round(sum(v) / len(v), 2), "count": len(v)} for g, v in by_genre.items()),
            key=lambda e: (-e["average"], e["name"]),
        ),
        "average_rating_by_decade": [
            {"decade": d, "average": round(sum(v) / len(v), 2), "count": len(v)}
            for d, v in sorted(by_decade.items())
        ],
        "top_directors_by_hours": sorted(
            (
                {"name": d, "hours": round(m / 60, 1), "count": films_by_director[d]}
                for d, m in minutes_by_director.items()
            ),
            key=lambda e: (-e["hours"], e["name"]),
        ),
    }


def error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def session_of(request: Request) -> Session:
    session = SESSIONS.get(request.path_params["session_id"])
    if session is None:
        raise Refused("There is no session with this id", 404)
    return session


async def create_session(request: Request) -> Response:
    form = await request.form(max_files=100)
    parts = [(f.filename or "upload", await f.read()) for f in form.getlist("files") if hasattr(f, "read")]
    if not parts:
        raise Refused("Send the files in multipart parts named 'files'", 400)
    size = sum(len(data) for _, data in parts)
    if size > 50 * 1024 * 1024:
        raise Refused("The upload is larger than 50 MB", 413)
    session = read_export(parts, OPTIONS.seconds)
    SESSIONS[session.id] = session
    return JSONResponse(session.json(), status_code=202, headers={"Location": f"/api/sessions/{session.id}"})


async def read_session(request: Request) -> Response:
    return JSONResponse(session_of(request).json())


async def delete_session(request: Request) -> Response:
    SESSIONS.pop(session_of(request).id)
    return Response(status_code=204)


async def events(request: Request) -> Response:
    session = session_of(request)

    async def stream():  # type: ignore[no-untyped-def]
        opened, last, beat = time.monotonic(), None, time.monotonic()
        while True:
            body = session.json()
            state = (body["status"], json.dumps(body["progress"]))
            if state != last:
                last = state
                yield f"event: progress\ndata: {json.dumps(body)}\n\n"
                if body["status"] in FINAL:
                    return
            if time.monotonic() - beat > 1:
                beat = time.monotonic()
                yield ": heartbeat\n\n"
            if OPTIONS.flaky and time.monotonic() - opened > 1:
                return
            await asyncio.sleep(0.2)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


async def read_analytics(request: Request) -> Response:
    return JSONResponse(analytics(session_of(request)))


async def list_films(request: Request) -> Response:
    session = session_of(request)
    session.advance()
    status = request.query_params.get("status")
    limit = int(request.query_params.get("limit", "100"))
    offset = int(request.query_params.get("cursor") or 0)
    chosen = [f for f in session.films if status in (None, f.status)]
    page = chosen[offset : offset + limit]
    films = []
    for film in page:
        tmdb = film.tmdb or {}
        films.append(
            {
                "name": film.name,
                "year": film.year,
                "status": film.status,
                "tmdb_id": tmdb.get("id"),
                "title": tmdb.get("title"),
                "genres": tmdb.get("genres", []),
                "runtime": tmdb.get("runtime"),
                "directors": tmdb.get("directors", []),
                "match_rule": "title_primary_year" if tmdb else None,
                "release_date": tmdb.get("release_date"),
                "original_language": tmdb.get("original_language"),
            }
        )
    more = offset + limit < len(chosen)
    return JSONResponse({"films": films, "next_cursor": str(offset + limit) if more else None})


async def retry(request: Request) -> Response:
    session = session_of(request)
    again = [f for f in session.films if f.status in {"not_found", "failed"}]
    for film in again:
        film.status = "pending"
    session.queue, session.started, session.finished_at = again, time.monotonic(), None
    return JSONResponse(session.json(), status_code=202)


async def info(request: Request) -> Response:
    return JSONResponse({"demo_catalogue": OPTIONS.demo, "max_upload_mb": 50})


async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})


class Guard:
    """Token check on /api/*, like the real API's when API_TOKEN is set."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/") and OPTIONS.token:
            headers = dict(scope["headers"])
            if headers.get(b"authorization", b"").decode() != f"Bearer {OPTIONS.token}":
                answer = error("This server needs an API token: send Authorization: Bearer <token>", 401)
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def refused(request: Request, problem: Exception) -> Response:
    assert isinstance(problem, Refused)
    return error(problem.message, problem.status)


def create_app() -> Any:
    routes = [
        Route("/", index),
        Mount("/static", StaticFiles(directory=STATIC)),
        Route("/api/info", info),
        Route("/api/sessions", create_session, methods=["POST"]),
        Route("/api/sessions/{session_id}", read_session),
        Route("/api/sessions/{session_id}", delete_session, methods=["DELETE"]),
        Route("/api/sessions/{session_id}/events", events),
        Route("/api/sessions/{session_id}/analytics", read_analytics),
        Route("/api/sessions/{session_id}/films", list_films),
        Route("/api/sessions/{session_id}/retry", retry, methods=["POST"]),
    ]
    return Guard(Starlette(routes=routes, exception_handlers={Refused: refused}))


def sample_session() -> Session:
    parts = [(str(path.relative_to(SAMPLE)), path.read_bytes()) for path in sorted(SAMPLE.rglob("*.csv"))]
    session = read_export(parts, 0.001, SAMPLE_ID)
    session.started -= 1
    session.advance()
    return session


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token")
    parser.add_argument("--flaky", action="store_true")
    parser.add_argument("--no-demo", dest="demo", action="store_false")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.parse_args(namespace=OPTIONS)
    SESSIONS[SAMPLE_ID] = sample_session()
    print(f"preview on http://{OPTIONS.host}:{OPTIONS.port}/  (sample: /?session={SAMPLE_ID})", flush=True)
    uvicorn.run(create_app(), host=OPTIONS.host, port=OPTIONS.port, log_level="warning")


if __name__ == "__main__":
    main()
