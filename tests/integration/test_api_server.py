"""The API as a real process: start-up, streaming limits over a real socket, health after abuse."""

from __future__ import annotations

import select
import socket

import httpx
import pytest

from api.migrations import latest_version
from tests.support.exports import DIARY, csv_bytes, files


def chunked_upload_over_limit(base: str, total: int) -> bytes:
    """Stream a multipart body without Content-Length until the server answers; return what it said."""
    port = int(base.rsplit(":", 1)[1])
    boundary = b"rsboundary"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: multipart/form-data; boundary=" + boundary + b"\r\n\r\n"
        )
        head = (
            b"--"
            + boundary
            + b'\r\nContent-Disposition: form-data; name="files"; filename="watched.csv"\r\n\r\n'
        )
        sent, chunk = 0, b"2024-01-01,Heat,1995,\n" * 3000
        pieces = [head] + [chunk] * (total // len(chunk) + 1)
        for piece in pieces:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        answer = b""
        try:
            while not _complete(answer) and (data := sock.recv(65536)):
                answer += data
        except ConnectionResetError:
            pass
        return answer


def _complete(response: bytes) -> bool:
    head, found, body = response.partition(b"\r\n\r\n")
    if not found:
        return False
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    return len(body) >= length


@pytest.fixture
def api_server(start_api):
    return start_api(MAX_UPLOAD_MB="1")


def test_api_process_serves_health_and_readiness(api_server):
    base, _ = api_server
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{base}/readyz").json() == {"status": "ready", "schema_version": latest_version()}


def test_a_streamed_body_over_the_limit_is_cut_off_with_413_and_the_server_stays_healthy(api_server):
    base, process = api_server
    answer = chunked_upload_over_limit(base, 3 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"larger than 1 MB" in answer
    assert httpx.get(f"{base}/healthz").status_code == 200
    good = csv_bytes(DIARY, [["2024-01-01", "Heat", 1995, "", "4", "", "", ""]])
    response = httpx.post(f"{base}/api/sessions", files=files(("diary.csv", good)))
    assert response.status_code == 202
    assert "Traceback" not in process.output()


def test_bad_uploads_leave_no_traceback_in_the_log(api_server):
    base, process = api_server
    for content in (b"", b"\x00\x01garbage", b"Date,Name\n" + b"x" * 70000):
        response = httpx.post(f"{base}/api/sessions", files=files(("diary.csv", content)))
        assert 400 <= response.status_code < 500
    assert httpx.get(f"{base}/healthz").status_code == 200
    assert "Traceback" not in process.output()
