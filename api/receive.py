"""Receiving an upload's multipart body under a byte limit, without holding it in memory.

The body is counted as it streams in: over the limit the request is refused with 413 at once,
whether the client announced its size (Content-Length) or not. File parts are spooled to
temporary files by Starlette's multipart parser (python-multipart).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from api.errors import ApiError, UploadTooLarge
from api.sources.upload import UploadedFile

MAX_FILES = 20
FILES_FIELD = "files"


@dataclass
class ReceivedUpload:
    """The file parts of one request and the body's size; close() removes the spooled files."""

    files: list[UploadedFile] = field(default_factory=list)
    body_bytes: int = 0
    spooled: list[UploadFile] = field(default_factory=list)

    async def close(self) -> None:
        """Delete the temporary files."""
        for upload in self.spooled:
            await upload.close()


def _too_large(limit: int) -> UploadTooLarge:
    return UploadTooLarge(
        f"The upload is larger than {limit // (1024 * 1024)} MB (MAX_UPLOAD_MB); "
        "an export is usually a few MB"
    )


class _CountedBody:
    def __init__(self, request: Request, limit: int) -> None:
        self._request = request
        self._limit = limit
        self.count = 0

    async def chunks(self) -> AsyncGenerator[bytes, None]:
        async for chunk in self._request.stream():
            self.count += len(chunk)
            if self.count > self._limit:
                raise _too_large(self._limit)
            yield chunk


async def receive_upload(request: Request, limit: int) -> ReceivedUpload:
    """Read the multipart body; 415 for another content type, 413 past `limit`, 400 if malformed."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(
            "Send the export as multipart/form-data with the files in parts named 'files' "
            "(curl -F files=@export.zip)",
            status=415,
        )
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit:
        raise _too_large(limit)
    body = _CountedBody(request, limit)
    parser = MultiPartParser(request.headers, body.chunks(), max_files=MAX_FILES, max_fields=MAX_FILES)
    try:
        form = await parser.parse()
    except MultiPartException as problem:
        raise ApiError(f"The request body is not valid multipart/form-data: {problem.message}") from None
    spooled = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
    received = ReceivedUpload(body_bytes=body.count, spooled=spooled)
    try:
        for name, value in form.multi_items():
            if name != FILES_FIELD or not isinstance(value, UploadFile):
                raise ApiError(f"Unexpected form field {name[:40]!r}: send each file in a part named 'files'")
            received.files.append(UploadedFile(value.filename or "upload", value.file))
        if not received.files:
            raise ApiError("The upload holds no files: send them in parts named 'files'")
    except ApiError:
        await received.close()
        raise
    return received
