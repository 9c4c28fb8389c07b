"""A hostile server's answers, as `Fault`s for tests/wire_server.py (DESIGN.md R9).

Each body is made as it is sent (`Fault.source`), so a gigabyte inflated or an endless line
costs the server nothing to hold, and stops as soon as the client hangs up:

- `gzip_bomb`: a small gzip body that inflates to `inflated` bytes, on any status;
- `endless_line`: one SSE `data:` line that never ends;
- `huge_delta`: an OpenAI stream whose second delta holds `size` characters;
- `trickle`: a body sent one byte at a time, `interval` seconds apart;
- `comments_forever`: an event stream of SSE comments and no event, as fast as asked;
- `lone_surrogate_*`: a `"\\ud800"` (valid JSON, no valid UTF-8) in a delta or an error;
- `deeply_nested_*`: JSON nested deeper than Python's recursion limit, as an event or a body.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterator

from tests.wire_formats import AnthropicEvents, OpenAIChunks, dumps, sse
from tests.wire_script import Fault

_ZEROS = bytes(1 << 20)
_SSE = "text/event-stream; charset=utf-8"
_JSON = "application/json"


def _gzip_of_zeros(inflated: int) -> Iterator[bytes]:
    """A gzip stream of `inflated` zero bytes, compressed a mebibyte at a time."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    for _ in range(inflated // len(_ZEROS)):
        if piece := compressor.compress(_ZEROS):
            yield piece
    yield compressor.flush()


def gzip_bomb(inflated: int, *, status: int = 200, content_type: str = _JSON) -> Fault:
    """`Content-Encoding: gzip` over about inflated/1000 bytes that inflate to `inflated`."""
    return Fault(
        "raw",
        status,
        headers=(("Content-Encoding", "gzip"),),
        content_type=content_type,
        source=lambda: _gzip_of_zeros(inflated),
    )


def endless_line(piece: int = 1 << 16) -> Fault:
    """An SSE event whose `data:` line never ends, sent as fast as the client reads."""

    def body() -> Iterator[bytes]:
        yield b'data: {"choices":[{"index":0,"delta":{"content":"'
        yield from itertools.repeat(b"a" * piece)

    return Fault("raw", source=body)


def huge_delta(size: int, *, before: str = "Hello ", piece: int = 1 << 20) -> Fault:
    """An OpenAI stream: a normal delta (`before`), then one delta of `size` characters."""

    def body() -> Iterator[bytes]:
        chunks = OpenAIChunks("wire-large", usage_field=False)
        yield chunks.first() + chunks.text(before)
        yield b'data: {"id":"' + chunks.id.encode() + b'","object":"chat.completion.chunk",'
        yield b'"choices":[{"index":0,"delta":{"content":"'
        for _ in range(size // piece):
            yield b"a" * piece
        yield b'"},"finish_reason":null}]}\n\n' + chunks.finish("stop") + chunks.done()

    return Fault("raw", source=body)


def trickle(body: bytes, interval: float, *, content_type: str = _JSON) -> Fault:
    """`body`, one byte every `interval` seconds: never silent long enough for a read
    timeout, never done."""
    return Fault(
        "raw",
        content_type=content_type,
        seconds=interval,
        source=lambda: (body[i : i + 1] for i in range(len(body))),
    )


def comments_forever(interval: float) -> Fault:
    """An event stream that sends an SSE comment every `interval` seconds and no event."""
    return Fault("raw", seconds=interval, source=lambda: itertools.repeat(b": junk\n\n"))


def lone_surrogate_delta(before: str = "Hello ", after: str = " world") -> Fault:
    """An OpenAI stream whose second delta is `"\\ud800"` between two ordinary ones."""
    chunks = OpenAIChunks("wire-large", usage_field=False)
    broken = chunks.text("@").replace(b"@", b"\\ud800")
    return Fault.raw(
        chunks.first(),
        chunks.text(before),
        broken,
        chunks.text(after),
        chunks.finish("stop"),
        chunks.done(),
    )


def lone_surrogate_error(status: int = 400) -> Fault:
    """An OpenAI error body whose message holds `"\\ud800"`."""
    error = {"error": {"message": "bad @ request", "type": "invalid_request_error"}}
    body = dumps(error).encode().replace(b"@", b"\\ud800")
    return Fault.raw(body, status=status, content_type=_JSON)


def deeply_nested_event(depth: int, preset_id: str, *, before: str = "Hello ") -> Fault:
    """A stream in `preset_id`'s format: a normal text delta (`before`), then one event of
    `depth` nested `[`, which no JSON parser in Python reads without a RecursionError."""
    nested = "[" * depth + "]" * depth
    if preset_id == "anthropic":
        events = AnthropicEvents("wire-large")
        head = events.message_start(1) + events.block_start(0, "text") + events.text(0, before)
        return Fault.raw(head, sse(nested, "content_block_delta"), events.message_stop())
    chunks = OpenAIChunks("wire-large", usage_field=False)
    return Fault.raw(chunks.first(), chunks.text(before), sse(nested), chunks.finish("stop"))


def deeply_nested_error(depth: int, status: int = 500) -> Fault:
    """An error body of `depth` nested `[`, on `status`."""
    return Fault.raw(b"[" * depth + b"]" * depth, status=status, content_type=_JSON)
