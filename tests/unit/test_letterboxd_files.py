"""Recognising Letterboxd's files and checking their cells, without a database."""

from __future__ import annotations

import io

import pytest

from api.errors import BadUpload
from api.letterboxd import copytext
from api.letterboxd.fields import FieldParser, RowError
from api.letterboxd.kinds import Kind, kind_of, skip_reason
from api.letterboxd.reader import CsvFile
from tests.support.exports import DIARY, RATINGS, REVIEWS, WATCHED


@pytest.mark.parametrize(
    ("path", "header", "kind"),
    [
        ("watched.csv", WATCHED, Kind.WATCHED),
        ("likes/films.csv", WATCHED, Kind.LIKES),
        ("export-2024/likes/films.csv", WATCHED, Kind.LIKES),
        ("watchlist.csv", WATCHED, Kind.WATCHLIST),
        ("Watchlist.CSV", WATCHED, Kind.WATCHLIST),
        ("anything.csv", WATCHED, Kind.WATCHED),
        ("films.csv", WATCHED, Kind.LIKES),  # likes/films.csv picked without its folder
        ("x.csv", RATINGS, Kind.RATINGS),
        ("x.csv", DIARY, Kind.DIARY),
        ("x.csv", list(reversed(DIARY)), Kind.DIARY),
        ("x.csv", REVIEWS, Kind.REVIEWS),
        ("x.csv", ["Date", "Name"], None),
        ("x.csv", [*WATCHED, "Name"], None),
    ],
)
def test_kind_comes_from_the_header_and_the_name_where_headers_coincide(path, header, kind):
    assert kind_of(path, header) is kind


@pytest.mark.parametrize(
    ("path", "skipped"),
    [
        ("profile.csv", True),
        ("comments.csv", True),
        ("lists/my-list.csv", True),
        ("deleted/diary.csv", True),
        ("orphaned/reviews.csv", True),
        ("likes/lists.csv", True),
        ("__MACOSX/._diary.csv", True),
        ("readme.txt", True),
        ("diary.csv", False),
        ("likes/films.csv", False),
        ("top/diary.csv", False),
    ],
)
def test_files_without_watches_are_skipped(path, skipped):
    assert (skip_reason(path) is not None) is skipped


def test_ratings_are_halves_from_half_a_star_to_five():
    cells = FieldParser()
    assert [cells.rating(v) for v in ("0.5", "1", "1.0", "4.5", "5", "")] == [
        "0.5",
        "1",
        "1",
        "4.5",
        "5",
        copytext.NULL,
    ]
    for bad in ("0", "5.5", "-1", "4.25", "four"):
        with pytest.raises(RowError):
            cells.rating(bad)


def test_years_dates_and_tags():
    cells = FieldParser()
    assert cells.year("1984") == 1984
    assert cells.year("") is None
    for bad in ("84", "198４", "1984.0", "20000", "1500"):
        with pytest.raises(RowError):
            cells.year(bad)
    assert cells.date("2024-02-29", "Date") == "2024-02-29"
    assert cells.date("", "Date") == copytext.NULL
    for bad in ("2023-02-29", "2024-1-5", "20240105", "2024-01-05T00:00"):
        with pytest.raises(RowError):
            cells.date(bad, "Date")
    assert cells.tags(' cinema, "quoted", back\\slash,,') == copytext.field(
        '{"cinema","\\"quoted\\"","back\\\\slash"}'
    )


def test_copy_text_escapes_what_copy_would_misread():
    assert copytext.field("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert copytext.field(None) == "\\N"


def test_csv_reader_reports_the_line_where_a_bad_record_starts():
    data = b'Date,Name,Year,Letterboxd URI\n2024-01-01,"Multi\nline",1995,\n2024-01-01,Heat,1995\n'
    csv_file = CsvFile(io.BytesIO(data), "watched.csv")
    rows = iter(csv_file)
    assert next(rows).cells[1] == "Multi\nline"
    with pytest.raises(BadUpload, match=r"watched\.csv, line 4: it has 3 columns where the header has 4"):
        next(rows)
