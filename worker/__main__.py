"""`python -m worker` runs one worker (the event-driven loop arrives with issue 3)."""

from __future__ import annotations

import sys


def main() -> int:
    """Not yet implemented: say so and exit non-zero."""
    print("reelstats worker: not implemented yet", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
