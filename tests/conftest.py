"""Fixtures every test may use: a real PostgreSQL database of its own, the API, helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from starlette.testclient import TestClient

from api.app import create_app
from api.config import ApiConfig
from tests.support.postgres import DatabaseFactory, postgres_server
from tests.support.processes import Process
from tests.support.processes import start_api as start_api_process


@pytest.fixture(scope="session")
def database_factory() -> Iterator[DatabaseFactory]:
    with postgres_server() as (admin_url, origin):
        factory = DatabaseFactory(admin_url)
        factory.build_template()
        print(f"\nPostgreSQL for tests: {origin}")
        try:
            yield factory
        finally:
            factory.drop_template()


@pytest.fixture
def database_url(database_factory: DatabaseFactory) -> Iterator[str]:
    """The URL of a freshly migrated database that only this test uses."""
    with database_factory.temporary() as url:
        yield url


@pytest.fixture
def empty_database_url(database_factory: DatabaseFactory) -> Iterator[str]:
    """The URL of a new database without any schema."""
    with database_factory.temporary(migrated=False) as url:
        yield url


@pytest.fixture
def db(database_url: str) -> Iterator[psycopg.Connection[dict[str, object]]]:
    """An autocommit connection to the test's database, for arranging and checking rows."""
    with psycopg.connect(database_url, autocommit=True, row_factory=dict_row) as conn:
        yield conn


@pytest.fixture
def api_config(database_url: str) -> ApiConfig:
    return ApiConfig(database_url=database_url, max_upload_bytes=2 * 1024 * 1024)


@pytest.fixture
def client(api_config: ApiConfig) -> Iterator[TestClient]:
    """The API app in-process (lifespan run), talking to the test's own database."""
    with TestClient(create_app(api_config), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _dict_rows(conn: AsyncConnection[Any]) -> None:
    conn.row_factory = dict_row


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[AsyncConnectionPool[Any]]:
    """An async pool on the test's database with dict rows, as the processes use."""
    async with AsyncConnectionPool(database_url, min_size=1, max_size=6, configure=_dict_rows) as opened:
        yield opened


@pytest.fixture
def start_api(database_url: str, tmp_path: Path) -> Iterator[Callable[..., tuple[str, Process]]]:
    """Start `python -m api` for real on a free port (extra env as keywords); stopped after the test."""
    started: list[Process] = []

    def start(**env: str) -> tuple[str, Process]:
        base, process = start_api_process(database_url, tmp_path / f"api-{len(started)}.log", **env)
        started.append(process)
        return base, process

    yield start
    for process in started:
        assert process.stop() == 0, process.output()
