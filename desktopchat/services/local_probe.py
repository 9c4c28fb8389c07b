"""The first-run look for a local LM Studio or Ollama server: is anything listening on its
usual port, and what models does it list?

Whatever listens on localhost:1234 may be anything, including a server that answers with an
endless body or a gzip bomb. So this is not the SDK's request (which reads whatever comes):
one plain HTTP/1.1 GET of `/models` over asyncio streams, `Accept-Encoding: identity`, at
most PROBE_MAX_BYTES read, all within PROBE_DEADLINE seconds; a compressed or oversized
answer is given up on. When nothing listens, the refused connection costs a millisecond.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from urllib.parse import urlsplit

from desktopchat.domain.presets import ProviderPreset
from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import ModelList, capped

log = logging.getLogger(__name__)

PROBE_CONNECT_TIMEOUT = 0.4
"""Connecting to a loopback port either works or is refused at once."""
PROBE_DEADLINE = 3.0
"""Everything, from connecting to the last byte of the model list."""
PROBE_MAX_BYTES = 2 * 1024 * 1024
"""A local server's model list is a few kilobytes; 2 MiB is ~20,000 models."""
_HEAD_LIMIT = 64 * 1024
"""Longest status line and headers (and chunk-size line) read."""


class _GiveUp(Exception):
    """The answer is not a small, plain model list."""


async def probe_models(preset: ProviderPreset) -> ModelList | None:
    """The models a local server lists, capped; None if nothing usable answered in time."""
    parts = urlsplit(preset.base_url)
    host, port = parts.hostname or "localhost", parts.port or 80
    try:
        connected = asyncio.open_connection(host, port, limit=_HEAD_LIMIT)
        reader, writer = await asyncio.wait_for(connected, PROBE_CONNECT_TIMEOUT)
    except (OSError, TimeoutError):
        return None
    try:
        path = parts.path.rstrip("/") + "/models"
        body = await asyncio.wait_for(
            _get(reader, writer, host, port, path, preset.dummy_key), PROBE_DEADLINE
        )
        return capped(_models_of(json.loads(body)))
    except (
        OSError,
        TimeoutError,
        ValueError,
        RecursionError,  # JSON nested deeper than the parser goes
        _GiveUp,
        asyncio.IncompleteReadError,
    ) as error:
        log.info("%s answers on %s:%s but gave no model list: %r", preset.name, host, port, error)
        return None
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _get(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    host: str,
    port: int,
    path: str,
    key: str | None,
) -> bytes:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
        f"Accept-Encoding: identity\r\nConnection: close\r\n"
        + (f"Authorization: Bearer {key}\r\n" if key else "")
        + "\r\n"
    )
    writer.write(request.encode("ascii"))
    await writer.drain()
    head = await _read_line_block(reader, b"\r\n\r\n")
    status, headers = _parse_head(head)
    if status != 200:
        raise _GiveUp(f"status {status}")
    if headers.get("content-encoding", "identity").lower() != "identity":
        raise _GiveUp("a compressed answer to a request for an uncompressed one")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    length = headers.get("content-length")
    if length is not None:
        if not length.isdigit() or int(length) > PROBE_MAX_BYTES:
            raise _GiveUp(f"content-length {length[:20]}")
        return await reader.readexactly(int(length))
    body = bytearray()
    while chunk := await reader.read(PROBE_MAX_BYTES + 1 - len(body)):
        body += chunk
        if len(body) > PROBE_MAX_BYTES:
            raise _GiveUp("body too long")
    return bytes(body)


async def _read_line_block(reader: asyncio.StreamReader, end: bytes) -> bytes:
    try:
        return await reader.readuntil(end)
    except asyncio.LimitOverrunError as error:
        raise _GiveUp("header too long") from error


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    fields = lines[0].split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/1.") or not fields[1].isdigit():
        raise _GiveUp("not HTTP/1.x")
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
            raise _GiveUp("bad chunk size") from error
        if size == 0:
            return bytes(body)
        if len(body) + size > PROBE_MAX_BYTES:
            raise _GiveUp("body too long")
        body += await reader.readexactly(size)
        await reader.readexactly(2)  # the CRLF after each chunk


def _models_of(data: object) -> list[ModelInfo]:
    """OpenAI's shape, `{"data": [{"id": …}, …]}`, as LM Studio and Ollama send it."""
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise _GiveUp("no model list in the answer")
    models = []
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            owner = entry.get("owned_by")
            models.append(
                ModelInfo(entry["id"], owned_by=owner if isinstance(owner, str) else None)
            )
    return models
