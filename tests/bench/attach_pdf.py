"""P9 (attachments part): a 50 MB PDF attached while the window runs.

A child process builds the window as app.run() does, writes a 50 MB PDF (200 pages of text
and a large unused stream, as scanned or image-heavy PDFs are), then attaches it through
the composer, as the paperclip or a drop does. The LagProbe records the loop's stalls from
the attach until the chip is ready (text read in the PDF child process, bytes held for the
history). Figures: the longest stall and the 99th percentile, the time to a ready chip,
the window process's resident memory before and at its peak while attaching, and the PDF
child's peak memory.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.attachment_files import pdf
from tests.bench.common import BENCH_KEY, Figure, Options, rss_mb, run_sample, sample_main
from tests.bench.wire_process import WireProcess

MODULE = "tests.bench.attach_pdf"
PDF_BYTES = 50 * 1024 * 1024 - 64 * 1024
"""Just under the 50 MB cap, pages included."""


async def _attach(home: Path) -> dict[str, Any]:
    from tests.bench.window_harness import open_window, settle, wire_preferences

    path = home / "big.pdf"
    pages = [f"Page {n}: quarterly figures, revenue and costs." for n in range(200)]
    path.write_bytes(pdf(pages, padding=PDF_BYTES))
    with WireProcess(text="Unused.", chunks=1) as wire:
        running = await open_window(home, wire_preferences(wire.openai_url), BENCH_KEY)
        await settle()
        return await _measure(running, path)


async def _measure(running: Any, path: Path) -> dict[str, Any]:
    from tests.bench.window_harness import LagProbe

    composer = running.window.composer
    before = peak = rss_mb(os.getpid())
    probe = LagProbe()
    probe.start()
    started = time.perf_counter()
    composer.add_files([path])
    while not composer.attachments():
        peak = max(peak, rss_mb(os.getpid()))
        await asyncio.sleep(0.02)
    ready_s = time.perf_counter() - started
    lag = probe.stop()
    [payload] = composer.attachments()
    peak = max(peak, rss_mb(os.getpid()))
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    await running.close()
    return {
        **lag.summary(),
        "ready_s": ready_s,
        "rss_before_mb": before,
        "rss_peak_mb": peak,
        "child_peak_mb": child_kb / 1024,
        "text_ok": payload.text is not None and "Page 199" in payload.text,
        "bytes": path.stat().st_size,
    }


def _sample(_args: list[str]) -> dict[str, Any]:
    from tests.bench.window_harness import run_qt

    with tempfile.TemporaryDirectory(prefix="dc-bench-attach-") as home:
        return run_qt(lambda: _attach(Path(home)))


def measure(options: Options) -> list[Figure]:
    runs = 1 if options.quick else min(options.runs, 3)
    samples = [run_sample(MODULE, options, timeout=120) for _ in range(runs)]
    wrong = sum(not sample["text_ok"] for sample in samples)
    size = samples[0]["bytes"] / 2**20

    def figure(name: str, key: str, unit: str, limit: float | None = None) -> Figure:
        return Figure("P9", name, unit, [s[key] for s in samples], limit=limit)

    return [
        figure(f"a {size:.0f} MiB PDF attached: longest loop stall", "stall_ms", "ms", 50),
        figure("  99th percentile tick lateness", "p99_ms", "ms"),
        figure("  longest stall on our own CPU", "own_stall_ms", "ms"),
        Figure(
            "P9",
            "  attach → chip ready",
            "s",
            [s["ready_s"] for s in samples],
            note=f"text wrong in {wrong} run(s)" if wrong else "",
        ),
        figure("  window RSS before attaching", "rss_before_mb", "MB"),
        figure("  window RSS at its peak while attaching", "rss_peak_mb", "MB"),
        figure("  PDF child's peak RSS", "child_peak_mb", "MB"),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
