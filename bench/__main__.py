"""`make bench`: run every benchmark in turn (or those named: `python -m bench ingest latency`)."""

from __future__ import annotations

import importlib
import sys

ALL = [
    "ingest",
    "latency",
    "scale",
    "throughput",
    "matching",
    "analytics",
    "burst",
    "fairness",
    "housekeeping",
    "bigcache",
    "soak",
]


def main(names: list[str]) -> int:
    failed = []
    for name in names or ALL:
        print(f"== bench/{name}.py", flush=True)
        status = importlib.import_module(f"bench.{name}").main()
        if status:
            failed.append(name)
    if failed:
        print(f"targets missed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
