"""The real reelstats for developing the page: `python tests/browser/preview.py`.

Starts a throwaway PostgreSQL (see tests/support/postgres.py), the API, one worker and the loopback
TMDB with the demo catalogue, uploads the sample export and prints the address of its session. The
page talks to the real API, so what it shows is what the service computes; nothing here answers
for it. Ctrl-C stops everything.

    --token SECRET     the API asks for `Authorization: Bearer SECRET` (the page's token prompt)
    --latency-ms N     TMDB answers after N ms, to watch the progress bar (default 0)
    --no-sample        start empty, for trying uploads
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.postgres import DatabaseFactory, postgres_server  # noqa: E402
from tests.support.processes import start_api, wait_until  # noqa: E402
from tests.support.workers import fleet  # noqa: E402
from tmdbdemo.testing import FakeTmdb  # noqa: E402

SAMPLE_ZIP = ROOT / "samples" / "letterboxd-export.zip"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--token")
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--no-sample", dest="sample", action="store_false")
    options = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="reelstats-preview-"))
    env = {"API_TOKEN": options.token} if options.token else {}
    headers = {"Authorization": f"Bearer {options.token}"} if options.token else {}
    with (
        postgres_server() as (admin_url, _),
        FakeTmdb(latency_ms=options.latency_ms) as tmdb,
    ):
        factory = DatabaseFactory(admin_url, prefix="preview")
        factory.build_template()
        with factory.temporary() as url, fleet(url, tmdb.base_url, logs) as workers:
            base, api = start_api(url, logs / "api.log", **env)
            workers.start(1)
            try:
                address = f"{base}/"
                if options.sample:
                    answer = httpx.post(
                        f"{base}/api/sessions",
                        files={"files": ("letterboxd-export.zip", SAMPLE_ZIP.read_bytes())},
                        headers=headers,
                    )
                    session_id = answer.json()["id"]
                    wait_until(
                        lambda: (
                            httpx.get(f"{base}/api/sessions/{session_id}", headers=headers).json()["status"]
                            != "enriching"
                        ),
                        120,
                        "the sample to be enriched",
                        interval=0.2,
                    )
                    address = f"{base}/?session={session_id}"
                print(f"reelstats preview: {address}  (logs in {logs}; Ctrl-C stops)", flush=True)
                api.popen.wait()
            except KeyboardInterrupt:
                pass
            finally:
                api.stop()
        factory.drop_template()


if __name__ == "__main__":
    main()
