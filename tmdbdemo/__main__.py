"""`python -m tmdbdemo`: serve the fake TMDB on loopback; flags mirror FakeSettings."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tmdbdemo.serve import serve
from tmdbdemo.settings import FakeSettings, SwitchError

_DEFAULTS = FakeSettings()
_FLAGS: tuple[tuple[str, type, str], ...] = (
    ("latency_ms", float, "every TMDB request waits this many milliseconds"),
    ("rate_limit", float, "requests allowed in any sliding second before 429 (0 = off)"),
    ("ratio_429", float, "fraction of requests answered 429"),
    ("retry_after_seconds", int, "Retry-After of the random 429s and of next_429s"),
    ("next_429s", int, "the next this many requests get 429"),
    ("ratio_5xx", float, "fraction of requests answered 500/502/503"),
    ("ratio_timeout", float, "fraction of requests that hang --hang-seconds"),
    ("hang_seconds", float, "how long a hanging request hangs"),
    ("outage_seconds", float, "answer 503 to everything for this long after start"),
    ("required_key", str, "accept only this api_key or Bearer token"),
    ("seed", int, "seed of the random faults"),
    ("synthetic_films", int, 'generated "Synthetic Feature NNNNN" films to add'),
    ("ranking", str, "search order: relevance (as TMDB) or popularity"),
)


def parse_args(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, FakeSettings]:
    """The host/port arguments and the settings the flags describe (exit 2 when invalid)."""
    parser = argparse.ArgumentParser(prog="python -m tmdbdemo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    for name, kind, help_text in _FLAGS:
        parser.add_argument(
            "--" + name.replace("_", "-"),
            dest=name,
            type=kind,
            default=getattr(_DEFAULTS, name),
            help=f"{help_text} (default: %(default)s)",
        )
    args = parser.parse_args(argv)
    try:
        settings = _DEFAULTS.with_switches({name: getattr(args, name) for name, _, _ in _FLAGS})
    except SwitchError as error:
        parser.error(str(error))
    return args, settings


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the flags and serve until stopped."""
    args, settings = parse_args(argv)
    serve(settings, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
