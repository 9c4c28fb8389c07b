"""The wire server (tests/wire_server.py) in a process of its own, scripted over a pipe.

In-process, the server's threads would take the GIL from the app being measured: 2,000
tokens a second of SSE formatting would show up as the app's own event-loop lag and CPU.
Here it runs apart; the benchmark sends it the reply to play (`configure`) as one JSON line
and waits for "ok". `model_count` (not a reply field) sets how many models it lists.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.bench.common import PYTHON, REPO


class WireProcess:
    """A running wire server process; use as a context manager."""

    def __init__(self, **reply: Any) -> None:
        self._process = subprocess.Popen(
            [PYTHON, "-m", "tests.bench.wire_process"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        urls = json.loads(self._process.stdout.readline())
        self.openai_url: str = urls["openai_url"]
        self.url: str = urls["url"]
        if reply:
            self.configure(**reply)

    def configure(self, **reply: Any) -> None:
        """Set fields of the server's Reply (text, chunks, tokens_per_second, …)."""
        self._process.stdin.write(json.dumps(reply) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline().strip()
        if answer != "ok":
            raise RuntimeError(f"wire server refused {sorted(reply)}: {answer}")

    def close(self) -> None:
        self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> WireProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def serve() -> None:
    """Serve until stdin closes, applying each JSON line to the reply."""
    from tests.wire_handler import WireHandler
    from tests.wire_server import ModelSpec, WireServer

    # As real API servers do: without TCP_NODELAY the server's small SSE writes wait for the
    # client's delayed ACK (40 ms on Linux) on a kept-alive connection, which would time the
    # loopback's ACK policy instead of the client.
    WireHandler.disable_nagle_algorithm = True
    with WireServer() as server:
        print(json.dumps({"openai_url": server.openai_url, "url": server.url}), flush=True)
        for line in sys.stdin:
            changes = json.loads(line)
            if "model_count" in changes:  # a model list of this many entries
                count = changes.pop("model_count")
                server.models = [ModelSpec(f"listed/model-{i:07d}") for i in range(count)]
            unknown = [name for name in changes if not hasattr(server.reply, name)]
            if unknown:
                print(f"unknown fields {unknown}", flush=True)
                continue
            for name, value in changes.items():
                setattr(server.reply, name, value)
            print("ok", flush=True)


if __name__ == "__main__":
    serve()
