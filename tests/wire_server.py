"""A loopback HTTP server that speaks the OpenAI and Anthropic wire formats, with faults on demand.

Both SDKs talk through `httpx2`, which `respx` cannot intercept, so tests drive the real
SDKs against real sockets instead (DESIGN.md section 5). One server answers both protocols:

- `…/chat/completions` (any prefix, so Gemini's `/v1beta/openai/` and DeepSeek's bare host
  work) and `…/models` in OpenAI's shapes;
- `…/messages` and `…/models` (told apart by the `anthropic-version` header) in Anthropic's.

A test scripts the next replies (`server.reply`, `server.models`), queues faults for the next
requests (`server.queue(Fault.rate_limited("0.01"), times=2)`), then reads what the client
sent (`server.requests`), when each streamed delta left (`server.deltas_sent`) and whether it
hung up mid-response (`server.disconnects`).
The bytes live in tests/wire_formats.py, the script in tests/wire_script.py and the HTTP
handling in tests/wire_handler.py; this module starts and stops the server.

Standalone, for manual and end-to-end use: `python -m tests.wire_server --port 8765`.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import socket
import threading

from tests.wire_formats import ModelSpec
from tests.wire_handler import WireHTTPServer
from tests.wire_script import DeltaSent, Fault, RecordedRequest, Reply, WireState

__all__ = ["DeltaSent", "Fault", "ModelSpec", "RecordedRequest", "Reply", "WireServer", "main"]


class WireServer(WireState):
    """The scriptable server on 127.0.0.1. Use as a context manager, or start() / stop()."""

    def __init__(self, port: int = 0) -> None:
        super().__init__()
        self._httpd = WireHTTPServer(("127.0.0.1", port), self)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """The Anthropic base URL (the SDK adds `/v1/messages`)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_url(self) -> str:
        """The OpenAI base URL (the SDK adds `/chat/completions`)."""
        return f"{self.url}/v1"

    def start(self) -> WireServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"wire-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop at once, never-ending replies and kept-alive connections included."""
        self.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        for connection in self.open_connections():
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)  # wakes a handler blocked on a read
        self._httpd.server_close()

    def __enter__(self) -> WireServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _long_text(tokens: int) -> str:
    words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog"]
    return " ".join(words[i % len(words)] for i in range(tokens)) + "."


def main(argv: list[str] | None = None) -> None:
    """Serve on loopback until interrupted, printing the base URLs to point a client at."""
    parser = argparse.ArgumentParser(prog="python -m tests.wire_server", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--text", help="the reply text")
    parser.add_argument("--tokens", type=int, help="a generated reply of this many words")
    parser.add_argument("--chunks", type=int, help="deltas per reply (default: 3, or --tokens)")
    parser.add_argument("--tokens-per-second", type=float)
    parser.add_argument("--first-byte-delay", type=float, default=0.0)
    parser.add_argument("--reasoning", default="", help="thinking streamed before the text")
    args = parser.parse_args(argv)
    server = WireServer(args.port)
    reply = server.reply
    if args.tokens:
        reply.text, reply.chunks = _long_text(args.tokens), args.tokens
    if args.text is not None:
        reply.text = args.text
    if args.chunks:
        reply.chunks = args.chunks
    reply.tokens_per_second = args.tokens_per_second
    reply.first_byte_delay = args.first_byte_delay
    reply.reasoning = args.reasoning
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with server:
        print(f"OpenAI base URL:    {server.openai_url}", flush=True)
        print(f"Anthropic base URL: {server.url}", flush=True)
        while not stop.wait(0.5):
            pass


if __name__ == "__main__":
    main()
