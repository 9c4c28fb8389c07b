"""What a test scripts on the wire server and what it reads back.

`Fault`s queue up for the next requests, `Reply` says what a healthy service answers, and
`WireState` holds both plus the record of every request and every client that hung up
mid-response. The HTTP handler (tests/wire_handler.py) only reads and appends to this state,
so a test can reason about the server without reading any socket code.
"""

from __future__ import annotations

import collections
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from tests.wire_formats import ModelSpec
from tests.wire_local import LocalAnswers

HTTP_FAULTS = frozenset({"status", "html", "context", "drop", "raw"})


@dataclass(frozen=True)
class Fault:
    """Something going wrong on one request. Build them with the class methods.

    HTTP faults (`http`, `rate_limited`, `html`, `context_too_long`, `drop`, `raw`) answer any
    request; the others happen inside a stream, after `after` text deltas, and wait in the
    queue for the next streaming request.
    """

    kind: str
    status: int = 200
    message: str | None = None
    error_type: str | None = None
    code: str | int | None = None
    param: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    after: int = 0
    seconds: float = 0.0
    body: tuple[bytes, ...] = ()
    """For `raw`: the response body, written as one HTTP chunk per piece."""
    content_type: str = "text/event-stream; charset=utf-8"
    source: Callable[[], Iterable[bytes]] | None = None
    """For `raw`: makes the body's pieces as they are sent, for bodies too large (or
    endless) to hold; tests/wire_hostile.py builds them. `seconds` is the pause before each."""

    @classmethod
    def http(
        cls,
        status: int,
        message: str | None = None,
        *,
        error_type: str | None = None,
        code: str | int | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Fault:
        """An HTTP error with the service's own error JSON (defaults per status)."""
        return cls(
            "status",
            status,
            message,
            error_type,
            code,
            param,
            tuple((headers or {}).items()),
        )

    @classmethod
    def rate_limited(cls, retry_after: str = "30", header: str = "Retry-After") -> Fault:
        """429 with a retry delay in `header` (`Retry-After` seconds or date, `retry-after-ms`)."""
        return cls.http(429, headers={header: retry_after})

    @classmethod
    def drop(cls) -> Fault:
        """The connection closes before any response: a proxy or server that gave up."""
        return cls("drop")

    @classmethod
    def html(cls, status: int = 502) -> Fault:
        """An HTML page instead of JSON, as a proxy in front of a dead API sends."""
        return cls("html", status)

    @classmethod
    def context_too_long(cls) -> Fault:
        """400 with each service's own words for a conversation over the model's context."""
        return cls("context", 400)

    @classmethod
    def cut(cls, after: int = 1) -> Fault:
        """The socket closes mid-body: no end chunk, no [DONE] / message_stop."""
        return cls("cut", after=after)

    @classmethod
    def truncated(cls, after: int = 1) -> Fault:
        """The body ends cleanly but the reply never finishes (no [DONE] / message_stop)."""
        return cls("truncate", after=after)

    @classmethod
    def malformed(cls, after: int = 1) -> Fault:
        """An event whose `data:` is not valid JSON."""
        return cls("malformed", after=after)

    @classmethod
    def stream_error(
        cls,
        after: int = 1,
        *,
        error_type: str = "overloaded_error",
        code: str | int = "server_error",
        message: str = "Overloaded",
    ) -> Fault:
        """An error after the stream started, under HTTP 200: Anthropic's `event: error`
        (uses `error_type`), OpenRouter's `data: {"error": …}` chunk (uses `code`)."""
        return cls("stream_error", error_type=error_type, code=code, message=message, after=after)

    @classmethod
    def stall(cls, seconds: float, after: int = 1) -> Fault:
        """Silence mid-stream, for read timeouts."""
        return cls("stall", after=after, seconds=seconds)

    @classmethod
    def forever(cls) -> Fault:
        """A reply that never ends, for cancellation."""
        return cls("forever")

    @classmethod
    def raw(
        cls,
        *pieces: bytes,
        status: int = 200,
        content_type: str = "text/event-stream; charset=utf-8",
    ) -> Fault:
        """Any bytes at all as the body, sent in `pieces` (so a line or a UTF-8 character
        can be split between two reads), for fuzzing the clients' stream parsers."""
        return cls("raw", status, body=pieces, content_type=content_type)


@dataclass(frozen=True)
class WireToolCall:
    """A tool call the scripted model asks for; its arguments are streamed in pieces."""

    id: str
    name: str
    arguments: str = "{}"


@dataclass
class Reply:
    """What the server answers when no fault applies. Change fields in a test as needed."""

    text: str = "Hello from the wire server."
    chunks: int = 3
    """How many text deltas the text is split into."""
    pieces: tuple[str, ...] = ()
    """The text deltas exactly (e.g. a `<think>` tag cut in two); overrides text/chunks."""
    reasoning: str = ""
    """Thinking streamed before the text: DeepSeek `reasoning_content` / Anthropic `thinking`."""
    reasoning_form: Literal["reasoning_content", "openrouter", "think"] = "reasoning_content"
    """OpenAI streams: where the thinking goes; "think" puts `<think>…</think>` at the
    start of the content, as local models do (split with the text)."""
    signature: str = ""
    """Anthropic: a signature_delta closing the thinking block."""
    served_model: str | None = None
    """The `model` the stream says answered; None: the one asked for."""
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    cost: float | None = None
    """OpenRouter's `usage.cost` in US dollars."""
    finish_reason: str | None = None
    """None for the protocol's normal end (`stop` / `end_turn`)."""
    input_tokens: int = 12
    output_tokens: int = 7
    usage: Literal["requested", "always", "never"] = "requested"
    """OpenAI streams: usage when `stream_options.include_usage` is sent (OpenAI, Groq),
    always (Gemini, OpenRouter) or never (LM Studio, llama.cpp)."""
    openrouter_comments: int = 0
    """`: OPENROUTER PROCESSING` comment lines before the first chunk."""
    first_byte_delay: float = 0.0
    """Seconds before the status line: a slow model, or a dead one with a large value."""
    tokens_per_second: float | None = None
    reject_temperature: bool = False
    """Answer 400 to any request that carries `temperature`, in the protocol's own words."""
    tool_calls: tuple[WireToolCall, ...] = ()
    """Calls asked after the text (OpenAI `delta.tool_calls` by index, interleaved when
    parallel; Anthropic `tool_use` blocks); the reply then ends with `tool_calls` /
    `tool_use` unless `finish_reason` says otherwise."""
    reject_tools: str = ""
    """Answer 400 with this message to any request that carries `tools`."""


@dataclass(frozen=True)
class DeltaSent:
    """One text delta of a streamed reply, as it left the server: what a client killed at
    a given moment had been sent by then."""

    stream: int
    """The streamed response it belongs to, numbered from 1 in the order they started."""
    index: int
    """Its place in the reply, from 0."""
    at: float
    """time.monotonic() just after it was written to the socket."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Lower-cased names."""
    body: Any
    """The parsed JSON body, None when there was none."""
    client_port: int
    """The client's side of the connection: the same port means a reused connection."""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class WireState:
    """The script and the record, shared by the test's thread and the handler threads."""

    def __init__(self) -> None:
        self.reply = Reply()
        self.replies: collections.deque[Reply] = collections.deque()
        """Replies for the next chat requests, one each, in order; `reply` once empty."""
        self.models: list[ModelSpec] = [
            ModelSpec("wire-large", owned_by="wire", context_length=128_000),
            ModelSpec("wire-small", owned_by="wire"),
        ]
        self.local = LocalAnswers()
        """What llama.cpp's, LM Studio's and Ollama's own endpoints answer."""
        self.requests: list[RecordedRequest] = []
        self.disconnects: list[str] = []
        """Paths of responses the client hung up on before they were complete."""
        self.errors: list[BaseException] = []
        """Exceptions raised by the server's own code: a test should fail on any."""
        self.deltas_sent: list[DeltaSent] = []
        self._streams_started = 0
        self.stopping = threading.Event()
        self._faults: collections.deque[Fault] = collections.deque()
        self._lock = threading.Lock()
        self._disconnected = threading.Condition(self._lock)
        self._connections: set[socket.socket] = set()

    def next_reply(self) -> Reply:
        with self._lock:
            return self.replies.popleft() if self.replies else self.reply

    def queue(self, fault: Fault, times: int = 1) -> None:
        """Apply `fault` to the next `times` requests it can apply to."""
        with self._lock:
            self._faults.extend([fault] * times)

    @property
    def last_request(self) -> RecordedRequest:
        with self._lock:
            return self.requests[-1]

    def wait_for_disconnect(self, timeout: float = 5.0) -> bool:
        """Whether a client hung up mid-response, waiting up to `timeout` seconds for one."""
        with self._disconnected:
            return self._disconnected.wait_for(lambda: bool(self.disconnects), timeout)

    # --- for the handler -------------------------------------------------------------------

    def take_fault(self, streaming: bool) -> Fault | None:
        """The next queued fault if it applies to this request (stream faults wait for a
        streaming request)."""
        with self._lock:
            if self._faults and (streaming or self._faults[0].kind in HTTP_FAULTS):
                return self._faults.popleft()
            return None

    def begin_stream(self) -> int:
        """Number a streamed response that starts now."""
        with self._lock:
            self._streams_started += 1
            return self._streams_started

    def note_delta_sent(self, stream: int, index: int) -> None:
        with self._lock:
            self.deltas_sent.append(DeltaSent(stream, index, time.monotonic()))

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def note_disconnect(self, path: str) -> None:
        with self._disconnected:
            self.disconnects.append(path)
            self._disconnected.notify_all()

    def track(self, connection: socket.socket, *, alive: bool) -> None:
        with self._lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def open_connections(self) -> list[socket.socket]:
        with self._lock:
            return list(self._connections)
