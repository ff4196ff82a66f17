"""`make up`: run reelstats on this machine with nothing but Python installed.

Starts an embedded PostgreSQL under .data/ when DATABASE_URL is unset, applies the schema, starts
the demo TMDB when no credentials are set, then the API and one worker, and prints the URL.
Ctrl-C (or SIGTERM) stops everything it started, worker first, database last.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".data"


class Stop(Exception):
    """Ctrl-C, SIGTERM, or a child that died: time to stop everything."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def say(text: str) -> None:
    print(f"[make up] {text}", flush=True)


def start(name: str, args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.Popen[bytes]:
    # Own session: a terminal's Ctrl-C reaches only this script, which stops the children in order.
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, start_new_session=True, **kwargs)


def wait_ready(url: str, children: list[tuple[str, subprocess.Popen[bytes]]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        check_children(children)
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own loopback URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise Stop(f"{url} did not answer 200 within {timeout:.0f}s")


def check_children(children: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
    for name, child in children:
        if child.poll() is not None:
            raise Stop(f"the {name} exited with status {child.returncode}")


def start_demo_tmdb(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    demo = start("demo TMDB", ["-m", "tmdbdemo", "--port", "0"], env, stdout=subprocess.PIPE)
    assert demo.stdout is not None
    ready, _, _ = select.select([demo.stdout], [], [], 20)
    line = demo.stdout.readline().decode().strip() if ready else ""
    if "listening on " not in line:
        raise Stop("the demo TMDB server did not start")
    return demo, line.split("listening on ", 1)[1]


def stop_all(children: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
    for name, child in reversed(children):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                say(f"the {name} did not stop in 20 s; killing it")
                child.kill()
                child.wait()


def main() -> int:
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    env = dict(os.environ)
    children: list[tuple[str, subprocess.Popen[bytes]]] = []
    server = None
    try:
        if not env.get("DATABASE_URL"):
            import pgserver  # noqa: PLC0415 - only needed for the embedded database

            DATA.mkdir(exist_ok=True)
            server = pgserver.get_server(DATA / "pg", cleanup_mode="stop")
            env["DATABASE_URL"] = server.get_uri()
            say(f"embedded PostgreSQL running, data in {DATA / 'pg'} (set DATABASE_URL to use your own)")
            say(f"inspect it with: psql '{env['DATABASE_URL']}'")
        if subprocess.run(
            [sys.executable, "-m", "api", "migrate"], cwd=ROOT, env=env, check=False
        ).returncode:
            raise Stop("the schema could not be applied")
        if not (env.get("TMDB_API_KEY") or env.get("TMDB_ACCESS_TOKEN")):
            demo, env["TMDB_BASE_URL"] = start_demo_tmdb(env)
            children.append(("demo TMDB", demo))
            say("=" * 72)
            say("DEMO MODE: no TMDB_API_KEY or TMDB_ACCESS_TOKEN is set, so films are enriched")
            say("from the small bundled demo catalogue, not from TMDB. Films outside it end")
            say("up 'not_found'. Set a TMDB key and run `make up` again for real data.")
            say("=" * 72)
        host, port = env.get("API_HOST", "127.0.0.1"), env.get("API_PORT", "8000")
        children.append(("API", start("API", ["-m", "api"], env)))
        wait_ready(f"http://{host}:{port}/readyz", children, 30)
        children.append(("worker", start("worker", ["-m", "worker"], env)))
        say(f"reelstats is running at http://{host}:{port}/")
        say(f"try: curl -F files=@samples/letterboxd-export.zip http://{host}:{port}/api/sessions")
        say("press Ctrl-C to stop")
        while True:
            check_children(children)
            time.sleep(0.5)
    except Stop as reason:
        say(f"stopping ({reason})")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_all(children)
        if server is not None:
            server.cleanup()
            say("embedded PostgreSQL stopped")
    failed = [name for name, child in children if child.returncode not in (0, None)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
