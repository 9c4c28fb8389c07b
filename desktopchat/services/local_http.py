"""One small, bounded HTTP/1.1 exchange with a server on the person's machine or network
(LM Studio, Ollama, llama.cpp), for what they say of themselves: their models, a model's
context window.

Whatever listens on such a port may be anything, including a server that answers with an
endless body or a gzip bomb. So this is not the SDK's request (which reads whatever comes):
one plain request over asyncio streams, `Accept-Encoding: identity`, at most MAX_BYTES
read, all within DEADLINE seconds; a compressed or oversized answer is given up on, and the
JSON is parsed in a worker thread. When nothing listens, the refused connection costs a
millisecond. Plain http only: the services that need TLS are not local servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from urllib.parse import SplitResult

CONNECT_TIMEOUT = 0.4
"""Connecting to a loopback port either works or is refused at once."""
DEADLINE = 3.0
"""Everything, from connecting to the last byte of the answer."""
MAX_BYTES = 2 * 1024 * 1024
"""A local server's model list is a few kilobytes; 2 MiB is ~20,000 models."""
_HEAD_LIMIT = 64 * 1024
"""Longest status line and headers (and chunk-size line) read."""


class NoAnswer(Exception):
    """Nothing usable answered: refused, too slow, not HTTP, not 200, too big, not JSON."""


async def fetch_json(
    server: SplitResult, path: str, key: str | None, body: object = None
) -> object:
    """GET `path` (POST `body` as JSON when given) on `server`'s host and port, and the
    JSON answer; raises NoAnswer for anything else."""
    host, port = server.hostname or "localhost", server.port or 80
    try:
        connected = asyncio.open_connection(host, port, limit=_HEAD_LIMIT)
        reader, writer = await asyncio.wait_for(connected, CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as error:
        raise NoAnswer(f"nothing listens on {host}:{port}") from error
    try:
        payload = None if body is None else json.dumps(body).encode()
        exchange = _exchange(reader, writer, f"{host}:{port}", path, key, payload)
        raw = await asyncio.wait_for(exchange, DEADLINE)
        return await asyncio.to_thread(json.loads, raw)
    except (
        OSError,
        TimeoutError,
        ValueError,
        RecursionError,  # JSON nested deeper than the parser goes
        asyncio.IncompleteReadError,
    ) as error:
        raise NoAnswer(repr(error)) from error
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _exchange(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    host: str,
    path: str,
    key: str | None,
    payload: bytes | None,
) -> bytes:
    method = "GET" if payload is None else "POST"
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
        f"Accept-Encoding: identity\r\nConnection: close\r\n"
        + (f"Authorization: Bearer {key}\r\n" if key else "")
        + (
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
            if payload is not None
            else ""
        )
        + "\r\n"
    )
    writer.write(request.encode("ascii") + (payload or b""))
    await writer.drain()
    head = await _read_line_block(reader, b"\r\n\r\n")
    status, headers = _parse_head(head)
    if status != 200:
        raise NoAnswer(f"status {status}")
    if headers.get("content-encoding", "identity").lower() != "identity":
        raise NoAnswer("a compressed answer to a request for an uncompressed one")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    length = headers.get("content-length")
    if length is not None:
        if not length.isdigit() or int(length) > MAX_BYTES:
            raise NoAnswer(f"content-length {length[:20]}")
        return await reader.readexactly(int(length))
    body = bytearray()
    while chunk := await reader.read(MAX_BYTES + 1 - len(body)):
        body += chunk
        if len(body) > MAX_BYTES:
            raise NoAnswer("body too long")
    return bytes(body)


async def _read_line_block(reader: asyncio.StreamReader, end: bytes) -> bytes:
    try:
        return await reader.readuntil(end)
    except asyncio.LimitOverrunError as error:
        raise NoAnswer("header too long") from error


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    fields = lines[0].split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/1.") or not fields[1].isdigit():
        raise NoAnswer("not HTTP/1.x")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(fields[1]), headers


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await _read_line_block(reader, b"\r\n")
        size_text = size_line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError as error:
            raise NoAnswer("bad chunk size") from error
        if size == 0:
            return bytes(body)
        if len(body) + size > MAX_BYTES:
            raise NoAnswer("body too long")
        body += await reader.readexactly(size)
        await reader.readexactly(2)  # the CRLF after each chunk
