"""P3 streaming smoothness: 20,000 tokens through the real main window.

One child process builds the window as app.run() does (window_harness) on the suite's Xvfb
(offscreen without one) and streams three replies of TOKENS deltas each from a wire server
process: prose with lists, one mostly made of a long code block, and one with a 400-row
table, at 2,000 tokens a second and at full speed, interleaved in every round. `--quick`
streams QUICK_TOKENS and only QUICK_CASES (prose paced, the table at full speed: the
steadiest and the hardest), which the figures' names say.

For each stream: the LagProbe's longest stall and 99th percentile from Send until the final
text is painted; the time from the last delta reaching the controller to the first paint
after the view finished the reply; the process's CPU seconds over the same span (the wire
server runs in its own process, so none of its work counts).

Reference, right after each stream: the bare `openai.AsyncOpenAI` consuming the same stream
on plain asyncio in a fresh process, with the same lag probe on an asyncio timer, so the
SDK's own share of the CPU and of the stalls is known.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import (
    BENCH_KEY,
    LAG_INTERVAL_MS,
    Figure,
    LagRecorder,
    Options,
    run_sample,
    sample_main,
)
from tests.bench.corpus import streamed_reply
from tests.bench.wire_process import WireProcess

MODULE = "tests.bench.streaming"
TOKENS = 20_000
KINDS = ("prose", "code", "table")
SPEEDS = {"2,000 tok/s": 2000.0, "full speed": None}
QUICK_TOKENS = 4_000
QUICK_CASES = (("prose", "2,000 tok/s"), ("table", "full speed"))
STREAM_TIMEOUT = 120


# --- in the child processes --------------------------------------------------------------------


async def _one_reply(running: Any, text: str) -> dict[str, Any]:
    """Send, and measure the reply streaming into the window until its final paint."""
    from tests.bench.window_harness import LagProbe

    window, controller = running.window, running.services.controller
    window.show_new_chat()
    await asyncio.sleep(0.1)
    last_delta = [0.0]
    finished = asyncio.get_running_loop().create_future()

    def on_delta(_conversation_id: int, _message_id: int, _text: str) -> None:
        last_delta[0] = time.perf_counter()

    def on_finished(_message: object) -> None:
        # Connected after the window's own slot, so the view has finished the reply.
        if not finished.done():
            finished.set_result(time.perf_counter())

    controller.delta_received.connect(on_delta)
    controller.reply_finished.connect(on_finished)
    final_paint = running.view_paints.next_paint(finished.done)
    probe = LagProbe()
    probe.start()
    cpu_before = time.process_time()
    sent = time.perf_counter()
    window.composer.send_requested.emit("Write something long, please.")
    await asyncio.wait_for(finished, STREAM_TIMEOUT)
    painted = await asyncio.wait_for(final_paint, 30)
    lag = probe.stop()
    cpu = time.process_time() - cpu_before
    controller.delta_received.disconnect(on_delta)
    controller.reply_finished.disconnect(on_finished)
    ending = " ".join(text.split()[-5:])
    return {
        **lag.summary(),
        "final_ms": (painted - last_delta[0]) * 1000,
        "cpu_s": cpu,
        "duration_s": last_delta[0] - sent,
        "final_text_shown": ending in window.chat_view.document().toPlainText(),
    }


async def _bare_stream(url: str) -> dict[str, Any]:
    """The reference: the SDK alone consumes the stream the server is set up to send."""
    import openai

    async def tick(lag: LagRecorder) -> None:
        while True:
            await asyncio.sleep(LAG_INTERVAL_MS / 1000)
            lag.tick()

    async with openai.AsyncOpenAI(api_key=BENCH_KEY, base_url=url, max_retries=0) as client:
        lag = LagRecorder()
        ticker = asyncio.create_task(tick(lag))
        cpu_before = time.process_time()
        sent = last = time.perf_counter()
        stream = await client.chat.completions.create(
            model="wire-large",
            messages=[{"role": "user", "content": "Write something long, please."}],
            stream=True,
            stream_options={"include_usage": True},
        )
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                last = time.perf_counter()
        cpu = time.process_time() - cpu_before
        lag.tick()
        ticker.cancel()
    return {**lag.summary(), "cpu_s": cpu, "duration_s": last - sent}


async def _stream_all(
    quick: bool, rounds: int, home: Path
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    from tests.bench.window_harness import open_window, settle, wire_preferences

    tokens = QUICK_TOKENS if quick else TOKENS
    texts = {kind: streamed_reply(kind, tokens) for kind in KINDS}
    cases = QUICK_CASES if quick else [(k, s) for k in KINDS for s in SPEEDS]
    size = f", {tokens:,} tokens" if quick else ""
    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with WireProcess(text="Warming up.", chunks=2) as wire:
        running = await open_window(home, wire_preferences(wire.openai_url), BENCH_KEY)
        await settle()
        await _one_reply(running, "Warming up.")  # SDK client built, connection open
        for _ in range(rounds):
            for kind, speed in cases:
                wire.configure(text=texts[kind], chunks=tokens, tokens_per_second=SPEEDS[speed])
                case = results.setdefault(f"{kind}, {speed}{size}", {"app": [], "bare": []})
                case["app"].append(await _one_reply(running, texts[kind]))
                case["bare"].append(
                    run_sample(MODULE, Options(), "bare", wire.openai_url, timeout=STREAM_TIMEOUT)
                )
        await running.close()
    return results


def _sample(args: list[str]) -> dict[str, Any]:
    if args[0] == "bare":
        return asyncio.run(_bare_stream(args[1]))
    from tests.bench.window_harness import run_qt

    with tempfile.TemporaryDirectory(prefix="dc-bench-stream-") as home:
        return run_qt(lambda: _stream_all(args[0] == "quick", int(args[1]), Path(home)))


# --- in the suite's process --------------------------------------------------------------------


def measure(options: Options) -> list[Figure]:
    mode = "quick" if options.quick else "full"
    rounds = 1 if options.quick else options.runs
    results = run_sample(MODULE, options, mode, str(rounds), timeout=rounds * 500 + 60)
    bare = "the bare SDK consuming the same stream on plain asyncio, fresh process"
    figures = []
    for case, samples in results.items():

        def column(key: str, side: str = "app", samples: dict = samples) -> list[float]:
            return [sample[key] for sample in samples[side]]

        def versus_bare(name: str, key: str, unit: str, limit: float | None = None) -> Figure:
            return Figure(
                "P3",
                name,
                unit,
                column(key),
                limit=limit,
                reference=bare,
                reference_samples=column(key, "bare"),
            )

        missing = sum(not sample["final_text_shown"] for sample in samples["app"])
        figures += [
            versus_bare(f"{case}: longest loop stall", "stall_ms", "ms", 50),
            versus_bare("  99th percentile tick lateness", "p99_ms", "ms", 17),
            versus_bare("  longest stall on our own CPU", "own_stall_ms", "ms"),
            Figure(
                "P3",
                "  last delta → final text painted",
                "ms",
                column("final_ms"),
                limit=100,
                note=f"final text missing in {missing} run(s)" if missing else "",
            ),
            versus_bare("  CPU of the process", "cpu_s", "s"),
            versus_bare("  Send → last delta", "duration_s", "s"),
        ]
    return figures


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
