"""schemathesis against /openapi.json: no 5xx, and every response as the document describes it."""

from __future__ import annotations

import copy

import httpx
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.openapi import DOCUMENT
from tests.support.processes import start_api

pytestmark = pytest.mark.slow
KNOWN_SESSION = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"  # created by the fixture, so 200s are reached too


def _document_with_examples() -> dict:
    document = copy.deepcopy(DOCUMENT)
    for path, item in document["paths"].items():
        for parameter in item.get("parameters", []):
            if parameter["name"] == "session_id" and not path.endswith(("/retry", "/events")):
                parameter["example"] = KNOWN_SESSION
    return document


schema = schemathesis.openapi.from_dict(_document_with_examples())


@pytest.fixture(scope="module")
def fuzz_target(database_factory, tmp_path_factory):
    """A real API process on its own database, with one finished session to find."""
    with database_factory.temporary() as url:
        base, api = start_api(url, tmp_path_factory.mktemp("fuzz") / "api.log", MAX_UPLOAD_MB="1")
        try:
            with psycopg.connect(url, autocommit=True) as db:
                db.execute(
                    "INSERT INTO upload_sessions (id, status, finished_at) VALUES (%s, 'completed', now())",
                    (KNOWN_SESSION,),
                )
            assert httpx.get(f"{base}/openapi.json").json() == DOCUMENT  # the document served is this one
            yield base, api
        finally:
            api.stop()


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_answers_as_documented_and_never_with_5xx(case, fuzz_target):
    base, _ = fuzz_target
    # Valid-looking requests for sessions that do not exist are rightly 404, and a random cursor
    # is rightly 400: "acceptance of positive data" does not hold for such an API by design.
    case.call_and_validate(base_url=base, excluded_checks=[positive_data_acceptance], timeout=30)


def test_the_fuzzed_api_logged_no_traceback(fuzz_target):
    _, api = fuzz_target
    assert "Traceback" not in api.output()
