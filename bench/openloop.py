"""An open-loop upload client light enough not to be the bottleneck, and process CPU from /proc.

Requests are sent on a fixed schedule (the i-th at start + i / rate) whatever the answers do: a
request whose connection is busy goes out on a new one, and its latency counts from its intended
send time, so a slow server shows as latency, never as a slower schedule. Requests are built once
as bytes and sent over raw keep-alive HTTP/1.1 connections (no HTTP library per request).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

BOUNDARY = "reelstatsbench"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def upload_request(host: str, port: int, name: str, body: bytes) -> bytes:
    """The bytes of one multipart POST /api/sessions carrying one file."""
    part = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + body
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    head = (
        f"POST /api/sessions HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(part)}\r\n\r\n"
    ).encode()
    return head + part


@dataclass
class Outcome:
    """One request: its intended send time, when its answer was complete, status and session."""

    intended: float
    answered: float = 0.0
    status: int = 0
    session: str | None = None


@dataclass
class Client:
    """A pool of keep-alive connections to the API."""

    host: str
    port: int
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = field(default_factory=list)
    opened: int = 0

    async def _connection(self, fresh: bool) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.idle and not fresh:
            return self.idle.pop()
        self.opened += 1
        return await asyncio.open_connection(self.host, self.port)

    async def send(self, request: bytes, outcome: Outcome) -> None:
        # A kept-alive connection the server closed meanwhile (uvicorn closes one idle for 5 s):
        # once more, on a new connection.
        for attempt in range(2):
            reader, writer = await self._connection(fresh=attempt > 0)
            try:
                writer.write(request)
                status_line = await reader.readline()
                if not status_line:
                    writer.close()
                    continue
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError):
                writer.close()
                if attempt == 0:
                    continue
                outcome.answered, outcome.status = time.perf_counter(), 599
                return
            outcome.answered = time.perf_counter()
            outcome.status = int(status_line.split()[1])
            if outcome.status == 202:
                outcome.session = str(json.loads(body)["id"])
            self.idle.append((reader, writer))
            return
        outcome.answered, outcome.status = time.perf_counter(), 599

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()


async def open_loop(host: str, port: int, request: bytes, rate: float, seconds: float) -> list[Outcome]:
    """Send `request` `rate` times a second for `seconds`, on schedule; the outcomes."""
    client = Client(host, port)
    outcomes: list[Outcome] = []
    tasks: list[asyncio.Task[None]] = []
    start = time.perf_counter() + 0.05
    for index in range(round(rate * seconds)):
        intended = start + index / rate
        if (wait := intended - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        outcome = Outcome(intended)
        outcomes.append(outcome)
        tasks.append(asyncio.create_task(client.send(request, outcome)))
    await asyncio.gather(*tasks)
    client.close()
    return outcomes


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far, in seconds (gone processes count 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def children_of(parent: int) -> list[int]:
    """The processes whose parent is `parent`, with it (a PostgreSQL postmaster and its backends)."""
    pids = [parent]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{parent}\n" in status:
                pids.append(int(entry.name))
    return pids


def parent_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    raise RuntimeError(f"no parent for {pid}")
