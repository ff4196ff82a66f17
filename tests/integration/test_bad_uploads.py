"""Bad input gets a clear 4xx, stores nothing, and leaves the API healthy."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.support.exports import DIARY, RATINGS, WATCHED, csv_bytes, files, row_counts, zip_bytes

GOOD_DIARY_ROW = ["2024-01-02", "Heat", "1995", "https://boxd.it/e1", "4", "", "", "2024-01-01"]
NOTHING_STORED = dict.fromkeys(
    ("upload_sessions", "films", "diary_entries", "reviews", "watchlist_entries", "enrichment_jobs"), 0
)


def diary_with(*rows: list[str]) -> bytes:
    return csv_bytes(DIARY, [GOOD_DIARY_ROW, *rows])


def bad_row(**changes: str) -> list[str]:
    row = dict(zip(DIARY, GOOD_DIARY_ROW, strict=True))
    row.update({k.replace("_", " "): v for k, v in changes.items()})
    return [row[column] for column in DIARY]


def bomb(size: int, members: tuple[str, ...] = ("watched.csv",)) -> bytes:
    """A zip whose members each inflate to about `size` bytes of valid rows."""
    rows = b"2024-01-01,Heat,1995,\n" * (size // 22)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in members:
            archive.writestr(name, b"Date,Name,Year,Letterboxd URI\n" + rows)
    return out.getvalue()


CASES = [
    ("empty file", [("diary.csv", b"")], 422, "diary.csv is empty"),
    ("header only", [("diary.csv", csv_bytes(DIARY, []))], 422, "has a header row but no rows"),
    (
        "unknown columns",
        [("diary.csv", csv_bytes([*DIARY, "Mood"], [[*GOOD_DIARY_ROW, "happy"]]))],
        422,
        "columns that Letterboxd's export files do not have: 'Mood'",
    ),
    (
        "columns of no export file",
        [("diary.csv", csv_bytes(["Name", "Year"], [["Heat", "1995"]]))],
        422,
        "are not those of any Letterboxd export file",
    ),
    (
        "not UTF-8",
        [("watched.csv", "Date,Name,Year,Letterboxd URI\n2024-01-01,Amélie,2001,\n".encode("latin-1"))],
        422,
        "is not UTF-8 text (line 2)",
    ),
    ("binary junk", [("diary.csv", bytes(range(128, 256)) * 40)], 422, "is not UTF-8 text"),
    ("binary junk with NUL bytes", [("diary.csv", bytes(range(256)) * 40)], 422, "it is not a text CSV file"),
    (
        "NUL bytes",
        [("watched.csv", b"Date,Name,Year,Letterboxd URI\n2024-01-01,He\x00at,1995,\n")],
        422,
        "watched.csv, line 2: it contains NUL bytes",
    ),
    (
        "unterminated quote",
        [("watched.csv", b'Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,\n2024-01-01,"Heat,1995,\n')],
        422,
        "watched.csv, line 3: a quoted field is never closed",
    ),
    (
        "year not a year",
        [("diary.csv", diary_with(bad_row(Year="19x5")))],
        422,
        "diary.csv, line 3: Year '19x5' is not a year",
    ),
    ("year out of range", [("diary.csv", diary_with(bad_row(Year="1066")))], 422, "Year 1066 is not between"),
    (
        "rating above 5",
        [("diary.csv", diary_with(bad_row(Rating="6")))],
        422,
        "diary.csv, line 3: Rating '6' is not between 0.5 and 5",
    ),
    (
        "rating of zero",
        [("diary.csv", diary_with(bad_row(Rating="0")))],
        422,
        "Rating '0' is not between 0.5 and 5",
    ),
    (
        "rating not a half star",
        [("diary.csv", diary_with(bad_row(Rating="3.3")))],
        422,
        "is not a whole or half star",
    ),
    (
        "rating not a number",
        [("diary.csv", diary_with(bad_row(Rating="great")))],
        422,
        "Rating 'great' is not a number",
    ),
    (
        "ratings.csv row without rating",
        [("ratings.csv", csv_bytes(RATINGS, [["2024-01-01", "Heat", "1995", "", ""]]))],
        422,
        "ratings.csv, line 2: the Rating column is empty",
    ),
    (
        "impossible date",
        [("diary.csv", diary_with(bad_row(Watched_Date="2023-02-30")))],
        422,
        "Watched Date '2023-02-30' is not a real date",
    ),
    (
        "month 13",
        [("diary.csv", diary_with(bad_row(Date="2023-13-01")))],
        422,
        "Date '2023-13-01' is not a real date",
    ),
    (
        "date in another format",
        [("diary.csv", diary_with(bad_row(Date="01/02/2023")))],
        422,
        "is not a date like 2024-01-31",
    ),
    (
        "empty name",
        [("diary.csv", diary_with(bad_row(Name="  ")))],
        422,
        "diary.csv, line 3: the Name column is empty",
    ),
    (
        "bad rewatch",
        [("diary.csv", diary_with(bad_row(Rewatch="maybe")))],
        422,
        "Rewatch 'maybe' is neither Yes nor empty",
    ),
    (
        "row with missing columns",
        [("diary.csv", diary_with(["2024-01-01", "Heat"]))],
        422,
        "diary.csv, line 3: it has 2 columns where the header has 8",
    ),
    (
        "line over 64 KiB",
        [("watched.csv", csv_bytes(WATCHED, [["2024-01-01", "x" * (65 * 1024), "1995", ""]]))],
        422,
        "watched.csv, line 2: the line is longer than 64 KiB",
    ),
    (
        "thousands of columns",
        [("watched.csv", (",".join(f"c{n}" for n in range(5000)) + "\n1\n").encode())],
        422,
        "has 5000 columns in its header row",
    ),
    ("zip with no CSV", [("export.zip", zip_bytes({"readme.txt": b"hello"}))], 422, "contains no CSV files"),
    (
        "zip with ..",
        [("export.zip", zip_bytes({"../diary.csv": diary_with()}))],
        422,
        "contains an unsafe file name ('../diary.csv')",
    ),
    (
        "zip with absolute name",
        [("export.zip", zip_bytes({"/etc/diary.csv": diary_with()}))],
        422,
        "unsafe file name",
    ),
    (
        "zip member inflating past the limit",
        [("export.zip", bomb(3 * 1024 * 1024))],
        413,
        "The zip inflates to more than 2 MB",
    ),
    (
        "zip members inflating past the limit together",
        [("export.zip", bomb(900 * 1024, members=("watched.csv", "likes/films.csv", "watchlist.csv")))],
        413,
        "The zip inflates to more than 2 MB",
    ),
    (
        "not a zip despite its name",
        [("export.zip", b"this is not a zip")],
        422,
        "export.zip is not a valid zip file",
    ),
    (
        "a malformed row in an otherwise good file",
        [
            (
                "diary.csv",
                csv_bytes(DIARY, [GOOD_DIARY_ROW] * 40 + [bad_row(Rating="7")] + [GOOD_DIARY_ROW] * 40),
            )
        ],
        422,
        "diary.csv, line 42: Rating '7'",
    ),
    (
        "two diaries",
        [("diary.csv", diary_with()), ("more/diary.csv", diary_with())],
        422,
        "The upload holds two diary files",
    ),
    (
        "only files without watches",
        [("profile.csv", b"Date Joined,Username\n2020-01-01,x\n")],
        422,
        "None of the uploaded files carries films",
    ),
]


@pytest.mark.parametrize(("parts", "status", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_upload_is_refused_clearly_and_stores_nothing(client, db, parts, status, message):
    response = client.post("/api/sessions", files=files(*parts))
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert message in body["error"]
    assert row_counts(db) == NOTHING_STORED


def test_a_damaged_zip_member_is_refused(client, db):
    archive = bytearray(zip_bytes({"diary.csv": diary_with(*[GOOD_DIARY_ROW] * 200)}))
    archive[60:70] = b"\xff" * 10  # inside the deflated data of the only member
    response = client.post("/api/sessions", files=files(("export.zip", bytes(archive))))
    assert response.status_code == 422
    assert (
        "is damaged and cannot be unzipped" in response.json()["error"] or "line" in response.json()["error"]
    )
    assert row_counts(db) == NOTHING_STORED


def test_an_encrypted_zip_member_is_refused(client, db):
    archive = bytearray(zip_bytes({"diary.csv": diary_with()}, compression=zipfile.ZIP_STORED))
    archive[6] |= 0x1  # the local header's "encrypted" flag
    central = archive.rfind(b"PK\x01\x02")
    archive[central + 8] |= 0x1  # and the central directory's
    response = client.post("/api/sessions", files=files(("export.zip", bytes(archive))))
    assert response.status_code == 422
    assert "is encrypted" in response.json()["error"]


def test_wrong_content_type_is_415(client, db):
    response = client.post("/api/sessions", content=diary_with(), headers={"content-type": "text/csv"})
    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["error"]
    assert row_counts(db) == NOTHING_STORED


def test_a_body_announced_over_the_limit_is_413_before_reading(client, db):
    response = client.post(
        "/api/sessions",
        content=b"x" * 100,
        headers={"content-type": "multipart/form-data; boundary=b", "content-length": str(3 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "larger than 2 MB" in response.json()["error"]


def test_a_body_over_the_limit_is_413(client, db):
    big = csv_bytes(WATCHED, [["2024-01-01", f"Film {n}" + "x" * 100, "1995", ""] for n in range(25_000)])
    response = client.post("/api/sessions", files=files(("watched.csv", big)))
    assert response.status_code == 413
    assert row_counts(db) == NOTHING_STORED


def test_multipart_without_files_is_400(client, db):
    response = client.post("/api/sessions", files={"note": (None, "hello")})
    assert response.status_code == 400
    assert "Unexpected form field 'note'" in response.json()["error"]


def test_malformed_multipart_is_400(client, db):
    response = client.post(
        "/api/sessions", content=b"garbage", headers={"content-type": "multipart/form-data; boundary=zz"}
    )
    assert response.status_code in (400, 422)
    assert "error" in response.json()
    assert row_counts(db) == NOTHING_STORED


def test_after_every_kind_of_bad_input_a_good_upload_still_works(client, db):
    for _, parts, _, _ in CASES:
        assert client.post("/api/sessions", files=files(*parts)).status_code >= 400
    assert client.get("/healthz").status_code == 200
    response = client.post("/api/sessions", files=files(("diary.csv", diary_with())))
    assert response.status_code == 202
    assert row_counts(db)["films"] == 1
