"""API_TOKEN: when set, every /api/* request must carry `Authorization: Bearer <token>`.

The page, /healthz, /readyz and /metrics stay open. Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from api.edges import error_response

PROTECTED_PREFIX = "/api/"


class BearerToken:
    """ASGI middleware refusing /api/* requests without the configured bearer token (401)."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self._expected is not None
            and scope["type"] == "http"
            and str(scope.get("path", "")).startswith(PROTECTED_PREFIX)
            and not self._authorised(scope)
        ):
            response = error_response(
                401,
                "This server needs an API token: send it as 'Authorization: Bearer <token>'",
                {"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _authorised(self, scope: Scope) -> bool:
        assert self._expected is not None
        presented = next((value for name, value in scope["headers"] if name == b"authorization"), b"")
        return hmac.compare_digest(presented, self._expected)
