"""FakeTmdb: the fake TMDB as a real subprocess, for tests and benchmarks.

    with FakeTmdb(latency_ms=20, rate_limit=40) as tmdb:
        client.get(f"{tmdb.base_url}/search/movie", params={"query": "Dune"})
        assert tmdb.stats()["max_in_any_second"] <= 40

The process is `python -m tmdbdemo` run from the repository root, so it serves real HTTP on
loopback exactly as `make up` does; nothing is shared in memory with the test.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from tmdbdemo.serve import READY_PREFIX
from tmdbdemo.settings import SWITCHES

REPO_ROOT = Path(__file__).resolve().parent.parent
_CONTROL_TIMEOUT = httpx.Timeout(10.0)


class FakeTmdbError(RuntimeError):
    """The fake did not start, or a control call failed; the message says why."""


class FakeTmdb:
    """A running `python -m tmdbdemo`, started on enter and stopped on exit.

    Keyword arguments are FakeSettings switches (`latency_ms=25`, `required_key="k"`, ...),
    passed as command-line flags. `base_url` ends in `/3`, like TMDB's.
    """

    def __init__(self, *, startup_timeout: float = 30.0, **switches: object) -> None:
        unknown = sorted(set(switches) - set(SWITCHES))
        if unknown:
            raise TypeError(f"unknown switches {unknown}; switches are {', '.join(SWITCHES)}")
        self.switches = switches
        self.startup_timeout = startup_timeout
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._client: httpx.Client | None = None

    @property
    def control_url(self) -> str:
        """The `/_fake` base URL beside `base_url`."""
        return self.base_url.removesuffix("/3") + "/_fake"

    def command(self) -> list[str]:
        """The command line that starts the fake with this object's switches."""
        argv = [sys.executable, "-m", "tmdbdemo", "--host", "127.0.0.1", "--port", "0"]
        for name, value in self.switches.items():
            if value is not None:
                argv += ["--" + name.replace("_", "-"), str(value)]
        return argv

    def start(self) -> FakeTmdb:
        """Start the process and wait for its "listening on" line (FakeTmdbError if late)."""
        if self._process is not None:
            raise FakeTmdbError("this FakeTmdb is already running")
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            self.command(),
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
        )
        try:
            line = self._read_ready_line()
        except BaseException:
            self.stop()
            raise
        self.base_url = line.removeprefix(READY_PREFIX).strip()
        self._client = httpx.Client(timeout=_CONTROL_TIMEOUT)
        return self

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the process: SIGTERM, wait up to `timeout`, then SIGKILL.

        Returns its exit status (0 after a clean stop), or None if it was not running.
        """
        if self._client is not None:
            self._client.close()
            self._client = None
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout)
        if process.stdout is not None:
            process.stdout.close()
        return process.returncode

    def stats(self) -> dict[str, Any]:
        """`GET /_fake/stats`: what the fake has counted since start or the last reset."""
        return self._call("GET", "/stats")

    def arrivals(self) -> list[tuple[float, str, str]]:
        """`GET /_fake/arrivals`: (wall-clock time, endpoint, target) of each request since the
        last reset, oldest first."""
        response = self._client_or_fail().get(self.control_url + "/arrivals")
        return [(float(at), str(endpoint), str(target)) for at, endpoint, target in response.json()]

    def configure(self, **switches: object) -> dict[str, Any]:
        """`POST /_fake/config`: apply these switches at once; returns the whole config."""
        return self._call("POST", "/config", switches)

    def config(self) -> dict[str, Any]:
        """`GET /_fake/config`: the switches in force."""
        return self._call("GET", "/config")

    def reset(self) -> None:
        """`POST /_fake/reset`: clear the stats (and the rate limiter's window)."""
        self._call("POST", "/reset")

    def __enter__(self) -> FakeTmdb:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _client_or_fail(self) -> httpx.Client:
        if self._client is None:
            raise FakeTmdbError("the fake is not running")
        return self._client

    def _call(self, method: str, path: str, body: dict[str, object] | None = None) -> dict[str, Any]:
        response = self._client_or_fail().request(method, self.control_url + path, json=body)
        if response.status_code != 200:
            raise FakeTmdbError(f"{method} {path}: {response.status_code} {response.text}")
        answer = response.json()
        if not isinstance(answer, dict):
            raise FakeTmdbError(f"{method} {path}: expected a JSON object, got {answer!r}")
        return answer

    def _read_ready_line(self) -> str:
        """Read stdout up to the first newline, by a deadline, without blocking past it."""
        if self._process is None or self._process.stdout is None:
            raise FakeTmdbError("the fake was not started with a stdout pipe")
        stdout = self._process.stdout
        deadline = time.monotonic() + self.startup_timeout
        buffer = b""
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise FakeTmdbError(f"tmdbdemo printed no ready line in {self.startup_timeout} s")
                if not selector.select(timeout=left):
                    continue
                chunk = os.read(stdout.fileno(), 4096)
                if not chunk:
                    code = self._process.wait(timeout=5)
                    raise FakeTmdbError(f"tmdbdemo exited with {code} before it was ready")
                buffer += chunk
        line = buffer.split(b"\n", 1)[0].decode()
        if not line.startswith(READY_PREFIX):
            raise FakeTmdbError(f"unexpected first line from tmdbdemo: {line!r}")
        return line
