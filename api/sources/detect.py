"""Which service's file a CSV or JSON file is: from its content (a CSV's header row, a JSON
file's first entry) and, where contents coincide, from its name."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import BinaryIO

from api.letterboxd import kinds as letterboxd
from api.sources import imdb, netflix, trakt
from api.sources.source import Source

_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Recognised:
    """A file's service and kind; `repeatable` kinds may come in several files of one upload."""

    source: Source
    kind: str
    repeatable: bool = False

    @property
    def label(self) -> str:
        """How messages name this kind of file ("diary", "IMDb ratings", "Trakt history")."""
        if self.source is Source.LETTERBOXD:
            return self.kind
        return f"{self.source.label} {self.kind.replace('_', ' ')}"


def recognise_csv(path: str, header: list[str]) -> Recognised | None:
    """The service and kind of a CSV with this header (and path), or None."""
    letterboxd_kind = letterboxd.kind_of(path, header)
    if letterboxd_kind is not None:
        return Recognised(Source.LETTERBOXD, letterboxd_kind.value)
    if (kind := imdb.kind_of(header)) is not None:
        return Recognised(Source.IMDB, kind, repeatable=kind == imdb.LIST)
    if (kind := netflix.kind_of(header)) is not None:
        # Several NetflixViewingHistory files (one per profile) merge; the reader checks the rest.
        return Recognised(Source.NETFLIX, kind, repeatable=True)
    return None


def csv_problem(name: str, header: list[str]) -> str:
    """Why a CSV is none of the files read here, for the service it looks most like."""
    return (
        imdb.header_problem(name, header)
        or netflix.header_problem(name, header)
        or letterboxd.header_problem(name, header)
    )


def recognise_json(path: str, first: trakt.Entry | None) -> Recognised | str | None:
    """A Trakt file's kind, the reason to skip it (a str), or None when it is not Trakt's."""
    verdict = trakt.kind_of(path, first)
    if verdict is None:
        return None
    kind, reason = verdict
    if kind is None:
        return reason or "carries no watches"
    return Recognised(Source.TRAKT, kind, repeatable=kind in trakt.REPEATABLE)


def looks_like_json(raw: BinaryIO) -> bool:
    """True when the stream's first character (after a BOM and white space) opens JSON; rewound."""
    start = raw.read(_SNIFF_BYTES)
    raw.seek(0)
    start = start.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    return start[:1] in (b"[", b"{")
