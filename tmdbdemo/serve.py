"""Running the fake under uvicorn on a socket it binds itself, announcing the URL when ready.

Binding the socket here (port 0 = any free port) and printing the URL only after uvicorn has
started lets a parent process read the address from one stdout line with no race and no
port guessing.
"""

from __future__ import annotations

import signal
import socket
import sys
from types import FrameType

import uvicorn

from tmdbdemo.app import create_app
from tmdbdemo.settings import FakeSettings

READY_PREFIX = "tmdbdemo listening on "
# A hung request (ratio_timeout) must not hold up a stop for hang_seconds.
_GRACEFUL_SHUTDOWN_SECONDS = 1


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints the ready line once it accepts connections."""

    def __init__(self, config: uvicorn.Config, url: str) -> None:
        super().__init__(config)
        self._url = url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            sys.stdout.write(f"{READY_PREFIX}{self._url}\n")
            sys.stdout.flush()


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio only turns Nagle off (TCP_NODELAY) on sockets that say TCP,
    # and with Nagle on every small response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def base_url(sock: socket.socket) -> str:
    """The TMDB base URL (ending in /3) for a bound socket."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/3"


def serve(settings: FakeSettings, host: str = "127.0.0.1", port: int = 0) -> None:
    """Serve until SIGTERM or SIGINT, then return normally (so the process exits 0)."""
    sock = bind(host, port)
    config = uvicorn.Config(
        create_app(settings),
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=_GRACEFUL_SHUTDOWN_SECONDS,
    )
    server = _AnnouncingServer(config, base_url(sock))
    # uvicorn re-raises the stop signal once it has shut down, to the handlers it found in
    # place; these do nothing, so a requested stop ends in a clean exit rather than death by
    # signal or a KeyboardInterrupt traceback.
    previous = {sig: signal.signal(sig, _ignore) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()


def _ignore(signum: int, frame: FrameType | None) -> None:
    """Swallow the signal uvicorn raises again after it has already stopped on it."""
