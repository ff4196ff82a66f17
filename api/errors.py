"""The API's errors: each carries the HTTP status and a sentence for the person who sent the request."""

from __future__ import annotations

from common.errors import ReelstatsError


class ApiError(ReelstatsError):
    """A request the API refuses; `message` is shown to the user as `{"error": message}`."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadUpload(ApiError):
    """The upload is not a Letterboxd export we can read; nothing of it is stored."""

    status = 422


class UploadTooLarge(ApiError):
    """The body, or what a zip inside it inflates to, is over MAX_UPLOAD_MB."""

    status = 413


class NotFound(ApiError):
    """No such session (or route)."""

    status = 404
