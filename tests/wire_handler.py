"""The HTTP side of the wire server: routes a request, plays the script, injects faults.

Streams go out as SSE over chunked transfer encoding, as the services send them, so a cut
socket looks to the client exactly like a dropped connection (an incomplete chunked body).
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import socketserver
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count, pairwise
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.wire_formats import (
    ANTHROPIC,
    CONTEXT_TOO_LONG,
    OPENAI,
    TEMPERATURE_REJECTED,
    AnthropicEvents,
    OpenAIChunks,
    anthropic_message,
    anthropic_models,
    dumps,
    error_body,
    html_page,
    openai_completion,
    openai_models,
    openai_usage,
)
from tests.wire_local import LOCAL_PATHS
from tests.wire_script import HTTP_FAULTS, Fault, RecordedRequest, Reply, WireState

FOREVER_RATE = 200.0
"""Tokens per second of a never-ending reply when no rate is set: steady, not a flood."""


@dataclass
class _Stream:
    """One streamed reply as frames: faults are injected between the text deltas."""

    preamble: list[bytes]
    deltas: Iterable[bytes]
    ending: list[bytes]
    malformed: bytes
    error: Callable[[Fault], bytes]
    """The protocol's own error event for a `stream_error` fault."""
    rate: float | None = None


class _ClientGone(Exception):
    """The client closed the connection before the response was complete."""


class _Stopping(Exception):
    """The server is shutting down; the handler leaves without a word."""


class WireHTTPServer(ThreadingHTTPServer):
    """A threaded HTTP server whose handlers share one WireState."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], wire: WireState) -> None:
        self.wire = wire
        super().__init__(address, WireHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall without a network.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if error is None or isinstance(error, OSError):
            return  # a client that went away between two requests
        self.wire.errors.append(error)
        super().handle_error(request, client_address)


def split_text(text: str, pieces: int) -> list[str]:
    """`text` in `pieces` nearly equal deltas (fewer if the text is shorter)."""
    if not text:
        return []
    pieces = max(1, min(pieces, len(text)))
    bounds = [round(i * len(text) / pieces) for i in range(pieces + 1)]
    return [text[a:b] for a, b in pairwise(bounds)]


class WireHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "wire/1"
    sys_version = ""
    server: WireHTTPServer

    @property
    def wire(self) -> WireState:
        return self.server.wire

    def setup(self) -> None:
        super().setup()
        self.wire.track(self.connection, alive=True)

    def finish(self) -> None:
        self.wire.track(self.connection, alive=False)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows what failed, not every request."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        target = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = RecordedRequest(
            self.command,
            target.path,
            parse_qs(target.query),
            headers,
            body,
            self.client_address[1],
        )
        self.wire.record(request)
        try:
            self._route(request)
        except _ClientGone:
            self.wire.note_disconnect(request.path)
            self.close_connection = True
        except _Stopping:
            self.close_connection = True

    def _route(self, request: RecordedRequest) -> None:
        path, method = request.path, request.method
        if method == "POST" and path.endswith("/chat/completions"):
            self._chat(OPENAI, request.body or {})
        elif method == "POST" and path.endswith("/messages"):
            self._chat(ANTHROPIC, request.body or {})
        elif path in LOCAL_PATHS:
            status, answer = self.wire.local.answer(path, request.body)
            self._send(status, answer, "application/json")
        elif method == "GET" and path.endswith("/models"):
            self._models(ANTHROPIC if request.header("anthropic-version") else OPENAI)
        else:
            self._send(404, b'{"detail":"Not Found"}', "application/json")

    # --- answers -------------------------------------------------------------------------

    def _models(self, protocol: str) -> None:
        self._pause(self.wire.reply.first_byte_delay)
        fault = self.wire.take_fault(streaming=False)
        if fault is not None:
            self._send_fault(protocol, fault)
            return
        render = anthropic_models if protocol == ANTHROPIC else openai_models
        self._send_json(200, render(list(self.wire.models)), protocol)

    def _chat(self, protocol: str, body: dict[str, Any]) -> None:
        if body.get("tools") and self.wire.reply.reject_tools:
            self._send_json(400, error_body(protocol, 400, self.wire.reply.reject_tools), protocol)
            return
        reply = self.wire.next_reply()
        streaming = bool(body.get("stream"))
        self._pause(reply.first_byte_delay)
        fault = self.wire.take_fault(streaming)
        if fault is not None and fault.kind in HTTP_FAULTS:
            self._send_fault(protocol, fault)
            return
        if reply.reject_temperature and "temperature" in body:
            error = error_body(
                protocol,
                400,
                TEMPERATURE_REJECTED[protocol],
                code="unsupported_value" if protocol == OPENAI else None,
                param="temperature",
            )
            self._send_json(400, error, protocol)
            return
        model = str(body.get("model", "wire-model"))
        if not streaming:
            self._send_json(200, self._complete(protocol, model), protocol)
            return
        forever = fault is not None and fault.kind == "forever"
        if protocol == ANTHROPIC:
            stream = self._anthropic_stream(reply, model, forever)
        else:
            stream = self._openai_stream(reply, model, body, forever)
        self._stream(stream, fault)

    def _complete(self, protocol: str, model: str) -> dict[str, Any]:
        reply = self.wire.reply
        if protocol == ANTHROPIC:
            return anthropic_message(
                model,
                reply.text,
                reply.finish_reason or "end_turn",
                reply.input_tokens,
                reply.output_tokens,
            )
        usage = openai_usage(reply.input_tokens, reply.output_tokens)
        return openai_completion(model, reply.text, reply.finish_reason or "stop", usage)

    def _texts(self, reply: Reply, forever: bool, prefix: str = "") -> Iterable[str]:
        pieces = list(reply.pieces) or split_text(prefix + reply.text, reply.chunks)
        if forever:
            pieces = pieces or ["…"]
            return (pieces[i % len(pieces)] for i in count())
        return pieces

    def _openai_stream(
        self, reply: Reply, model: str, body: dict[str, Any], forever: bool
    ) -> _Stream:
        options = body.get("stream_options") or {}
        requested = bool(options.get("include_usage"))
        chunks = OpenAIChunks(
            reply.served_model or model, usage_field=requested and reply.usage != "never"
        )
        preamble = [b": OPENROUTER PROCESSING\n\n"] * reply.openrouter_comments
        preamble.append(chunks.first())
        think = reply.reasoning_form == "think" and reply.reasoning
        prefix = f"<think>{reply.reasoning}</think>\n\n" if think else ""
        if not think:
            thoughts = split_text(reply.reasoning, reply.chunks)
            preamble += [chunks.reasoning(p, reply.reasoning_form) for p in thoughts]
        ending = chunks.tool_calls(reply.tool_calls)
        default_finish = "tool_calls" if reply.tool_calls else "stop"
        ending.append(chunks.finish(reply.finish_reason or default_finish))
        if reply.usage == "always" or (reply.usage == "requested" and requested):
            details = {"reasoning_tokens": reply.reasoning_tokens, "cost": reply.cost}
            details["cached_tokens"] = reply.cached_tokens
            ending.append(chunks.usage(reply.input_tokens, reply.output_tokens, **details))
        ending.append(chunks.done())
        return _Stream(
            preamble=preamble,
            deltas=(chunks.text(text) for text in self._texts(reply, forever, prefix)),
            ending=ending,
            malformed=b'data: {"id":"' + chunks.id.encode() + b'","choices":[{"delta":\n\n',
            error=lambda fault: chunks.error(
                fault.message or "Internal error", fault.code or "server_error"
            ),
            rate=reply.tokens_per_second,
        )

    def _anthropic_stream(self, reply: Reply, model: str, forever: bool) -> _Stream:
        events = AnthropicEvents(reply.served_model or model)
        preamble = [events.message_start(reply.input_tokens, reply.cached_tokens)]
        index = 0
        if reply.reasoning:
            preamble.append(events.block_start(0, "thinking"))
            preamble += [events.thinking(0, p) for p in split_text(reply.reasoning, reply.chunks)]
            if reply.signature:
                preamble.append(events.signature(0, reply.signature))
            preamble.append(events.block_stop(0))
            index = 1
        preamble += [events.block_start(index, "text"), events.ping()]
        ending = [events.block_stop(index), *events.tool_uses(index + 1, reply.tool_calls)]
        default_stop = "tool_use" if reply.tool_calls else "end_turn"
        ending += [
            events.message_delta(reply.finish_reason or default_stop, reply.output_tokens),
            events.message_stop(),
        ]
        return _Stream(
            preamble=preamble,
            deltas=(events.text(index, text) for text in self._texts(reply, forever)),
            ending=ending,
            malformed=b'event: content_block_delta\ndata: {"type":"content_block_delta",\n\n',
            error=lambda fault: events.error(
                fault.error_type or "overloaded_error", fault.message or "Overloaded"
            ),
            rate=reply.tokens_per_second,
        )

    def _stream(self, stream: _Stream, fault: Fault | None) -> None:
        """Send a reply as SSE over chunked encoding, injecting `fault` after its delta."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        number = self.wire.begin_stream()
        for frame in stream.preamble:
            self._write_chunk(frame)
        rate = stream.rate or (FOREVER_RATE if fault and fault.kind == "forever" else None)
        start, sent = time.monotonic(), 0
        for frame in stream.deltas:
            if fault is not None and fault.after == sent and self._inject(fault, stream):
                return
            if rate:
                self._pause(start + sent / rate - time.monotonic())
            self._write_chunk(frame)
            self.wire.note_delta_sent(number, sent)
            sent += 1
        if fault is not None and fault.after >= sent and self._inject(fault, stream):
            return
        for frame in stream.ending:
            self._write_chunk(frame)
        self._write(b"0\r\n\r\n")

    def _inject(self, fault: Fault, stream: _Stream) -> bool:
        """Apply a stream fault; True when the response is over."""
        if fault.kind == "stall":
            self._pause(fault.seconds)
            return False
        if fault.kind == "forever":
            return False
        if fault.kind == "cut":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if fault.kind == "malformed":
            self._write_chunk(stream.malformed)
        elif fault.kind == "stream_error":
            self._write_chunk(stream.error(fault))
        self._write(b"0\r\n\r\n")
        return True

    def _send_fault(self, protocol: str, fault: Fault) -> None:
        headers = dict(fault.headers)
        if fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault.kind == "raw":
            self.send_response(fault.status)
            self.send_header("Content-Type", fault.content_type)
            self.send_header("Transfer-Encoding", "chunked")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            for piece in fault.source() if fault.source else fault.body:
                self._pause(fault.seconds)
                if piece:
                    self._write_chunk(piece)
            self._write(b"0\r\n\r\n")
            return
        if fault.kind == "html":
            reason = self.responses.get(fault.status, ("Error",))[0]
            self._send(fault.status, html_page(fault.status, reason), "text/html", headers)
            return
        if fault.kind == "context":
            code = "context_length_exceeded" if protocol == OPENAI else None
            error = error_body(protocol, 400, CONTEXT_TOO_LONG[protocol], code=code)
            self._send_json(400, error, protocol)
            return
        error = error_body(
            protocol,
            fault.status,
            fault.message,
            error_type=fault.error_type,
            code=fault.code,
            param=fault.param,
        )
        self._send_json(fault.status, error, protocol, headers)

    # --- bytes on the socket -------------------------------------------------------------

    def _send_json(
        self, status: int, obj: object, protocol: str, headers: dict[str, str] | None = None
    ) -> None:
        id_header = "request-id" if protocol == ANTHROPIC else "x-request-id"
        headers = {id_header: f"req_wire{len(self.wire.requests)}", **(headers or {})}
        self._send(status, dumps(obj).encode(), "application/json", headers)

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._write(body)

    def _write_chunk(self, data: bytes) -> None:
        self._write(b"%X\r\n%s\r\n" % (len(data), data))

    def _write(self, data: bytes) -> None:
        if self.wire.stopping.is_set():
            raise _Stopping
        try:
            self.wfile.write(data)
        except OSError as error:
            raise _ClientGone from error

    def _pause(self, seconds: float) -> None:
        """Wait, but notice at once a client that hangs up or a server that stops."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if self.wire.stopping.is_set():
                raise _Stopping
            readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.05))
            if readable:
                try:
                    gone = not self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    gone = True
                if gone:
                    raise _ClientGone
                time.sleep(min(remaining, 0.05))
