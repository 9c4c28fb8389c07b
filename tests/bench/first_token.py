"""P2 first request after start, P4 client overhead on time to first token.

One wire server process answers with a fixed SERVER_DELAY before the first byte. Each round
runs three fresh interpreters against it:

- `bare`: the reference, `openai.AsyncOpenAI` on plain asyncio: import the SDK, then time
  from `create()` to the first chunk with text, for the first request (client built inside
  the timing, as the app builds its provider on the first request) and the later ones;
- `app-cold`: the real main window (window_harness); Send right after the window's first
  paint, while the app's SDK warm-up may still run, then the later requests;
- `app-warm`: the same, but the person first presses a key (which starts the SDK warm-up, as
  typing a message does) and Send comes once the start-up tasks (SDK warm-up, model list)
  ended.

For each request through the window: Send → the controller's first delta (arrived) → the
document holds the token → the first paint of the conversation pane that shows it, and the
longest event-loop stall meanwhile. Overheads are per-round differences of medians.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import BENCH_KEY, Figure, Options, run_sample, sample_main
from tests.bench.wire_process import WireProcess

MODULE = "tests.bench.first_token"
MARKER = "Zqmark"
REPLY = f"{MARKER} is the first token, then the rest of a short reply from the wire server."
SERVER_DELAY = 0.05
TOKEN_RATE = 20.0
"""After the first token the rest follows as a model streams, so the first one is shown
through the view's throttled flush, not by the end of the reply."""
MODEL = "wire-large"


# --- in the child processes ------------------------------------------------------------------


async def _bare_requests(url: str, count: int) -> dict[str, Any]:
    started = time.perf_counter()
    import openai

    imported = time.perf_counter()
    client = None
    requests = []
    for number in range(count):
        sent = time.perf_counter()
        if client is None:
            client = openai.AsyncOpenAI(api_key=BENCH_KEY, base_url=url, max_retries=0)
        stream = await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": f"Question {number}"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        first = None
        async for chunk in stream:
            if first is None and chunk.choices and chunk.choices[0].delta.content:
                first = time.perf_counter()
        requests.append((first - sent) * 1000)
    await client.close()
    return {
        "import_ms": (imported - started) * 1000,
        "cold_total_ms": (imported - started) * 1000 + requests[0],
        "requests_ms": requests,
    }


async def _app_requests(url: str, count: int, cold: bool, home: Path) -> dict[str, Any]:
    from tests.bench.window_harness import LagProbe, open_window, settle, wire_preferences

    running = await open_window(home, wire_preferences(url), BENCH_KEY)
    if not cold:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(running.window.composer, Qt.Key.Key_Shift)
        await settle()
    window, controller = running.window, running.services.controller
    document = window.chat_view.document()
    arrivals: list[float] = []
    controller.delta_received.connect(lambda *_: arrivals.append(time.perf_counter()))
    probe = LagProbe()
    requests = []
    for number in range(count):
        shown_before = document.toPlainText().count(MARKER)

        def holds_token(shown_before: int = shown_before) -> bool:
            return document.toPlainText().count(MARKER) > shown_before

        in_document: list[float] = []

        def on_contents_changed(in_document: list[float] = in_document) -> None:
            if not in_document and holds_token():
                in_document.append(time.perf_counter())

        document.contentsChanged.connect(on_contents_changed)
        painted = running.view_paints.next_paint(holds_token)
        done = asyncio.get_running_loop().create_future()

        def on_streaming_changed(
            _conversation_id: int, streaming: bool, done: asyncio.Future = done
        ) -> None:
            if not streaming and not done.done():
                done.set_result(None)

        controller.streaming_changed.connect(on_streaming_changed)
        arrivals.clear()
        probe.start()
        sent = time.perf_counter()
        window.composer.send_requested.emit(f"Question {number}")
        painted_at = await asyncio.wait_for(painted, 30)
        await asyncio.wait_for(done, 30)
        lag = probe.stop()
        document.contentsChanged.disconnect(on_contents_changed)
        controller.streaming_changed.disconnect(on_streaming_changed)
        requests.append(
            {
                "arrived_ms": (arrivals[0] - sent) * 1000,
                "document_ms": (in_document[0] - sent) * 1000,
                "painted_ms": (painted_at - sent) * 1000,
                "stall_ms": max(lag.lateness_ms),
            }
        )
        await asyncio.sleep(0.05)
    await running.close()
    return {"requests": requests}


def _sample(args: list[str]) -> dict[str, Any]:
    mode, url, count = args[0], args[1], int(args[2])
    if mode == "bare":
        return asyncio.run(_bare_requests(url, count))
    from tests.bench.window_harness import run_qt

    with tempfile.TemporaryDirectory(prefix="dc-bench-first-") as home:
        return run_qt(lambda: _app_requests(url, count, mode == "app-cold", Path(home)))


# --- in the suite's process -------------------------------------------------------------------


def _column(requests: list[dict[str, float]], key: str) -> list[float]:
    return [request[key] for request in requests]


def measure(options: Options) -> list[Figure]:
    count = 1 + (2 if options.quick else 8)
    bare, cold, warm = [], [], []
    with WireProcess(
        text=REPLY, chunks=3, first_byte_delay=SERVER_DELAY, tokens_per_second=TOKEN_RATE
    ) as wire:
        for _ in range(options.runs):
            args = (wire.openai_url, str(count))
            bare.append(run_sample(MODULE, options, "bare", *args, timeout=90))
            cold.append(run_sample(MODULE, options, "app-cold", *args, timeout=120)["requests"])
            warm.append(run_sample(MODULE, options, "app-warm", *args, timeout=120)["requests"])
    firsts_cold = [run[0] for run in cold]
    firsts_warm = [run[0] for run in warm]
    later = [request for run in cold + warm for request in run[1:]]
    bare_first = [run["requests_ms"][0] for run in bare]
    bare_later = [ms for run in bare for ms in run["requests_ms"][1:]]

    def later_overhead(key: str) -> list[float]:
        """Per round: the app's median later request minus the bare SDK's."""
        return [
            statistics.median(_column(c[1:] + w[1:], key)) - statistics.median(b["requests_ms"][1:])
            for b, c, w in zip(bare, cold, warm, strict=True)
        ]

    def arrived_to_painted(requests: list[dict[str, float]]) -> list[float]:
        return [r["painted_ms"] - r["arrived_ms"] for r in requests]

    server = f"wire server with {SERVER_DELAY * 1000:.0f} ms before the first byte"
    bare_name = f"bare openai.AsyncOpenAI create() → first chunk, {server}"
    return [
        Figure(
            "P2",
            "first request at window shown: longest loop stall",
            "ms",
            _column(firsts_cold, "stall_ms"),
            limit=50,
        ),
        Figure(
            "P2",
            "first request at window shown: token arrived → painted",
            "ms",
            arrived_to_painted(firsts_cold),
            limit=50,
        ),
        Figure(
            "P2",
            "first request at window shown: Send → token painted",
            "ms",
            _column(firsts_cold, "painted_ms"),
            reference="bare: import openai + create() → first chunk, same server",
            reference_samples=[run["cold_total_ms"] for run in bare],
        ),
        Figure(
            "P2",
            "first request after warm-up: longest loop stall",
            "ms",
            _column(firsts_warm, "stall_ms"),
            limit=50,
        ),
        Figure(
            "P2",
            "first request after warm-up: token arrived → painted",
            "ms",
            arrived_to_painted(firsts_warm),
            limit=50,
        ),
        Figure(
            "P2",
            "later requests: token arrived → painted",
            "ms",
            arrived_to_painted(later),
            limit=50,
        ),
        Figure(
            "P4",
            "first after warm-up: Send → token painted",
            "ms",
            _column(firsts_warm, "painted_ms"),
            reference=bare_name + " (client built inside)",
            reference_samples=bare_first,
        ),
        Figure(
            "P4",
            "  overhead vs bare SDK (per round)",
            "ms",
            [w["painted_ms"] - b for w, b in zip(firsts_warm, bare_first, strict=True)],
            limit=30,
        ),
        Figure(
            "P4",
            "later requests: Send → token painted",
            "ms",
            _column(later, "painted_ms"),
            reference=bare_name,
            reference_samples=bare_later,
        ),
        Figure(
            "P4",
            "  overhead vs bare SDK (median per round)",
            "ms",
            later_overhead("painted_ms"),
            limit=30,
        ),
        Figure(
            "P4",
            "  of which Send → token at the controller",
            "ms",
            later_overhead("arrived_ms"),
            note="the app's stack up to the delta signal, minus bare",
        ),
        Figure(
            "P4",
            "  of which Send → token in the document",
            "ms",
            later_overhead("document_ms"),
        ),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
