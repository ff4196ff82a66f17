"""A loopback TCP proxy to PostgreSQL's Unix socket that can make chosen connections go silent.

`freeze(marker)` stops forwarding, in both directions, on every open connection whose start-up
packet contains `marker` (an application_name), without closing anything: the connection looks
alive but never answers, like a peer behind a dead NAT entry. New connections pass normally.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class _Connection:
    startup: bytearray = field(default_factory=bytearray)
    silenced: asyncio.Event = field(default_factory=asyncio.Event)


class SilencingProxy:
    """Runs its own event loop in a thread; `port` is where clients connect."""

    def __init__(self, socket_path: Path) -> None:
        self._target = socket_path
        self._open: list[_Connection] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.frozen_connections = 0
        self.port = 0
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def freeze(self, marker: bytes) -> None:
        """Silence the open connections whose start-up packet contains `marker`."""

        def silence() -> None:
            for connection in self._open:
                if marker in connection.startup and not connection.silenced.is_set():
                    connection.silenced.set()
                    self.frozen_connections += 1

        self._loop.call_soon_threadsafe(silence)

    def close(self) -> None:
        """Drop every connection and stop the proxy's loop."""

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(cancel_all(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_unix_connection(str(self._target))
        connection = _Connection()
        self._open.append(connection)

        async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, inspect: bool) -> None:
            while data := await reader.read(65536):
                if inspect and len(connection.startup) < 4096:
                    connection.startup.extend(data)
                if connection.silenced.is_set():
                    await asyncio.Event().wait()  # hold the connection open, forward nothing, forever
                writer.write(data)
                await writer.drain()
            writer.close()

        try:
            await asyncio.gather(
                pump(client_reader, server_writer, True),
                pump(server_reader, client_writer, False),
                return_exceptions=True,
            )
        except asyncio.CancelledError:
            pass  # the proxy is closing
        finally:
            self._open.remove(connection)
            client_writer.close()
            server_writer.close()
