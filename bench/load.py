"""A small HTTP/1.1 load generator on asyncio streams, for loopback benchmarks.

The benchmark runs the server and the clients on the same (2-core) machine, so every
cycle the clients spend is taken from the server. A full client library (httpx) parses
and validates far more than needed and costs several times the CPU per request of this
one: keep-alive connections, one request in flight per connection, a response read by
``Content-Length`` or chunked encoding, and the status and latency recorded. That is
all a benchmark of our own loopback server needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Builds one request: (method, path, JSON body or None); called once per request sent.
RequestMaker = Callable[[int], tuple[str, str, Any]]


@dataclass
class Result:
    """What a run of one scenario measured."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """The latency below which ``share`` of the requests finished (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


class Connection:
    """One keep-alive connection to ``host:port``."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.headers}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        status, headers = await self._head()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            content = await self._chunked()
        else:
            content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, content

    async def _head(self) -> tuple[int, dict[str, str]]:
        assert self.reader is not None
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        return status, headers

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readline()).split(b";")[0], 16)
            if size == 0:
                await self.reader.readline()
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readline()

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _run(
    host: str,
    port: int,
    headers: dict[str, str],
    make: RequestMaker,
    *,
    clients: int,
    seconds: float,
    expect: int,
    max_requests: int | None,
) -> Result:
    result = Result()
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        connection = Connection(host, port, headers)
        try:
            while time.perf_counter() < deadline:
                number = next(counter)
                if max_requests is not None and number >= max_requests:
                    return
                method, path, body = make(number)
                began = time.perf_counter()
                try:
                    status, _ = await connection.request(method, path, body)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    status = 599
                    await connection.close()
                result.latencies.append(time.perf_counter() - began)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status != expect:
                    result.errors += 1
        finally:
            await connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - began
    return result


def run(
    host: str,
    port: int,
    make: RequestMaker,
    *,
    headers: dict[str, str] | None = None,
    clients: int = 8,
    seconds: float = 5.0,
    expect: int = 200,
    max_requests: int | None = None,
) -> Result:
    """Send requests from ``clients`` concurrent connections for ``seconds``."""
    return asyncio.run(
        _run(
            host,
            port,
            headers or {},
            make,
            clients=clients,
            seconds=seconds,
            expect=expect,
            max_requests=max_requests,
        )
    )


def fetch(
    host: str, port: int, path: str, *, headers: dict[str, str] | None = None
) -> tuple[int, bytes, float]:
    """One GET on a fresh connection: status, body and seconds taken."""

    async def once() -> tuple[int, bytes, float]:
        connection = Connection(host, port, headers or {})
        began = time.perf_counter()
        try:
            status, body = await connection.request("GET", path)
        finally:
            await connection.close()
        return status, body, time.perf_counter() - began

    return asyncio.run(once())
