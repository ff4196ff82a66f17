"""Fixtures of the acceptance tests that run real workers against the loopback TMDB."""

from __future__ import annotations

import pytest

from tests.support.workers import fleet
from tmdbdemo.testing import FakeTmdb


@pytest.fixture
def tmdb():
    """The demo catalogue on loopback (a module may override it, e.g. with synthetic films)."""
    with FakeTmdb() as fake:
        yield fake


@pytest.fixture
def workers(database_url, tmdb, tmp_path):
    """A fleet that starts no worker until the test asks; all stopped at the end."""
    with fleet(database_url, tmdb.base_url, tmp_path) as f:
        yield f


@pytest.fixture
def worker(workers):
    """One running worker."""
    workers.start(1)
    return workers
