"""Driving a session through the API's test client: upload, wait for a final status, read a film."""

from __future__ import annotations

from typing import Any

from tests.support.exports import files
from tests.support.processes import wait_until


def upload(client: Any, body: bytes, name: str = "watched.csv") -> str:
    """POST one export file; the new session's id."""
    response = client.post("/api/sessions", files=files((name, body)))
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def wait_final(client: Any, session_id: str, timeout: float = 60) -> dict[str, Any]:
    """The session once its status is no longer enriching (with a deadline)."""

    def final() -> dict[str, Any] | None:
        session: dict[str, Any] = client.get(f"/api/sessions/{session_id}").json()
        return session if session["status"] != "enriching" else None

    found: dict[str, Any] = wait_until(final, timeout, "the session to finish", interval=0.02)
    return found


def film(client: Any, session_id: str, film_id: int) -> dict[str, Any]:
    """GET one film of a session (its page: the film and its candidates)."""
    response = client.get(f"/api/sessions/{session_id}/films/{film_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found
