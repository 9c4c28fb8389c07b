"""How much a server may make DesktopChat hold and wait for, and what enforces it.

A server is data from outside: a gzip bomb, one endless SSE line or a 100 MB delta must end
as a clear error after a bounded amount of memory, never as gigabytes and a frozen window
(DESIGN.md R9). The limits apply to the bytes as they come out of decompression, counted
while they flow (tests/reliability/test_hostile_server.py measures the peaks). This module
imports no HTTP library, so errors_map can recognise its exceptions without loading one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from desktopchat.domain.errors import QT_TRANSLATE_NOOP, TOO_LARGE, TOO_SLOW

MiB = 1024 * 1024

WHOLE_BODY_LIMIT = 32 * MiB
"""A successful response read whole (a model list: OpenRouter's is about 1 MiB)."""
ERROR_BODY_LIMIT = 1 * MiB
"""An error body: only its first few hundred characters are ever shown; the rest is dropped."""
EVENT_LIMIT = 4 * MiB
"""One server-sent event (or one line of one): a real delta is a few bytes to a few KiB."""
REPLY_TEXT_LIMIT = 16 * MiB
"""Characters of one reply's text; what came before the limit is kept."""


def describe_size(size: int) -> str:
    """`16 MiB`, `512 KiB`: a limit as a person reads it."""
    return f"{size // MiB} MiB" if size >= MiB else f"{size // 1024} KiB"


class TooLarge(Exception):
    """A response went over one of the limits above. Raised from inside the SDK's reading
    of the body, deliberately not an httpx2 error: the SDK neither wraps nor retries it.

    `what` says what was too large ("one server-sent event", "the response"); `streaming`
    is True for a reply stream, whose part received is kept.
    """

    def __init__(self, what: str, limit: int, *, streaming: bool) -> None:
        super().__init__(what, limit)
        self.what = what
        self.limit = limit
        self.streaming = streaming

    def __str__(self) -> str:
        return TOO_LARGE.format(what=self.what, size=describe_size(self.limit))


class TooSlow(Exception):
    """No complete answer (`what`) within `seconds`, however many bytes trickled in."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(what, seconds)
        self.what = what
        self.seconds = seconds

    def __str__(self) -> str:
        return TOO_SLOW.format(what=self.what, seconds=f"{self.seconds:g}")


@contextlib.asynccontextmanager
async def deadline(seconds: float, what: str) -> AsyncIterator[None]:
    """Raise TooSlow when the block runs longer than `seconds` (retries included): for calls
    read whole, whose read timeout restarts with every byte a slow server sends."""
    scope = asyncio.timeout(seconds)
    try:
        async with scope:
            yield
    except TimeoutError:
        if not scope.expired():
            raise
        raise TooSlow(what, seconds) from None


class EventFraming:
    """Bytes of a server-sent event stream since the last event boundary.

    Line endings are normalised to LF on the way through (the SSE specification makes CR,
    LF and CRLF equivalent), so that the two SDKs' decoders, which disagree about odd mixes
    of them, both end an event exactly where this counter does: at a blank line.
    `feed` returns the normalised bytes and raises TooLarge once `limit` bytes have passed
    without a boundary, before the SDK's decoder can buffer more than that.
    """

    def __init__(self, limit: int = EVENT_LIMIT) -> None:
        self._limit = limit
        self._since_boundary = 0
        self._ended_with_lf = False
        self._held_cr = False

    def feed(self, chunk: bytes) -> bytes:
        if self._held_cr:
            chunk = b"\r" + chunk
            self._held_cr = False
        if chunk.endswith(b"\r"):  # maybe the first half of a CRLF split between reads
            chunk, self._held_cr = chunk[:-1], True
        if b"\r" in chunk:
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        self._count(chunk)
        return chunk

    def finish(self) -> bytes:
        """What is still held back when the body ends (a lone CR, ending a line)."""
        if not self._held_cr:
            return b""
        self._held_cr = False
        self._count(b"\n")
        return b"\n"

    def _count(self, chunk: bytes) -> None:
        if not chunk:
            return
        boundary = chunk.rfind(b"\n\n")
        if boundary >= 0:
            self._since_boundary = len(chunk) - boundary - 2
        elif self._ended_with_lf and chunk.startswith(b"\n"):
            self._since_boundary = len(chunk) - 1
        else:
            self._since_boundary += len(chunk)
        self._ended_with_lf = chunk.endswith(b"\n")
        if self._since_boundary > self._limit:
            raise TooLarge(ONE_EVENT, self._limit, streaming=True)


# What a limit is about, worded in the UI's language when an error's detail names it.
MODEL_LIST = QT_TRANSLATE_NOOP("ChatError", "the model list")
FIRST_EVENT = QT_TRANSLATE_NOOP("ChatError", "the first event of the reply")
NEXT_EVENT = QT_TRANSLATE_NOOP("ChatError", "the next event of the reply")
ONE_EVENT = QT_TRANSLATE_NOOP("ChatError", "one server-sent event")
REPLY_TEXT = QT_TRANSLATE_NOOP("ChatError", "the reply's text")
RESPONSE = QT_TRANSLATE_NOOP("ChatError", "the response")
