"""A TMDB-compatible demo and fake server, with a bundled catalogue of real films.

`make up` serves it as the demo catalogue when there is no TMDB key; the tests and benchmarks
use it as the fake TMDB, with switches for latency, rate limits and faults.
"""

from tmdbdemo.app import create_app
from tmdbdemo.settings import FakeSettings, SwitchError
from tmdbdemo.synthetic import synthetic_id, synthetic_imdb_id, synthetic_title, synthetic_year

__all__ = [
    "FakeSettings",
    "SwitchError",
    "create_app",
    "synthetic_id",
    "synthetic_imdb_id",
    "synthetic_title",
    "synthetic_year",
]
