"""Issue 18 item 29 re-run: import a generated ChatGPT export the size of the tester's
(conversations.json ~233 MB with the default 17,800 conversations, a 30 MB zip), then
export the whole history as Markdown, with the loop's longest stall in each phase.

Not a family of `python -m tests.bench` (it takes ~4 minutes on a 2-core machine); run
it alone: `PYTHONPATH=$PWD python -m tests.bench.large_import [CONVERSATIONS]`. The work
runs as File → Import and File → Export all run it (ImportService.read and .write,
HistoryService.export_all, each in a worker thread) under an asyncio loop probed every
LAG_INTERVAL_MS, as tests/bench/imports.py does. A stall with little of the loop's own CPU
is the interpreter held by a worker (or the machine busy): the garbage collector's full
passes longer than 50 ms are listed beside each phase to tell them apart.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from tests.bench.common import LAG_INTERVAL_MS, LagRecorder, rss_mb
from tests.bench.imports import build_archive

CONVERSATIONS = 17_800
"""conversations.json of ~233 MB, the size of the export the tester used."""
LONG_PASS_MS = 50


class GcPasses:
    """The collector's passes longer than LONG_PASS_MS: (generation, ms)."""

    def __init__(self) -> None:
        self.long: list[tuple[int, float]] = []
        self._started = 0.0
        gc.callbacks.append(self._on_pass)

    def _on_pass(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = (time.perf_counter() - self._started) * 1000
        if took > LONG_PASS_MS:
            self.long.append((info["generation"], took))

    def take(self) -> str:
        passes, self.long = self.long, []
        worst = max((ms for _generation, ms in passes), default=0.0)
        return f"{len(passes)} gc pass(es) > {LONG_PASS_MS} ms, longest {worst:.0f} ms"


async def _probed(work: Any) -> tuple[Any, float, dict[str, float]]:
    lag, stop = LagRecorder(), asyncio.Event()

    async def probe() -> None:
        while not stop.is_set():
            await asyncio.sleep(LAG_INTERVAL_MS / 1000)
            lag.tick()

    prober = asyncio.create_task(probe())
    await asyncio.sleep(0)
    lag.restart()
    started = time.perf_counter()
    result = await work
    took = time.perf_counter() - started
    stop.set()
    await prober
    return result, took, lag.summary()


def _said(phase: str, took: float, lag: dict[str, float], passes: GcPasses) -> None:
    print(
        f"{phase}: {took:.1f} s, longest loop stall {lag['stall_ms']:.0f} ms (the loop's own "
        f"CPU {lag['own_stall_ms']:.0f} ms), p99 {lag['p99_ms']:.0f} ms; {passes.take()}",
        flush=True,
    )


async def _run(conversations: int, folder: Path) -> None:
    from desktopchat.services.history import HistoryService
    from desktopchat.services.importers.service import ImportService
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore

    archive = folder / "chatgpt-export.zip"
    messages = build_archive(archive, conversations)
    inner = zipfile.ZipFile(archive).getinfo("conversations.json").file_size
    print(
        f"{conversations:,} conversations, {messages:,} messages: zip "
        f"{archive.stat().st_size / 1e6:.0f} MB, conversations.json {inner / 1e6:.0f} MB; "
        f"load {' '.join(f'{v:.2f}' for v in os.getloadavg())}",
        flush=True,
    )
    db, problem = open_database(folder / "history.db")
    if problem is not None:
        raise RuntimeError(f"could not create the benchmark history: {problem}")
    store = ConversationStore(db)
    service, passes = ImportService(store), GcPasses()
    passes.take()
    parsed, took, lag = await _probed(service.read(archive))
    _said("import, read", took, lag, passes)
    report, took, lag = await _probed(service.write(parsed))
    _said(f"import, write ({report.added:,} added)", took, lag, passes)
    del parsed
    written, took, lag = await _probed(HistoryService(store).export_all(folder / "export"))
    _said(f"export all ({len(written):,} files)", took, lag, passes)
    print(f"memory now {rss_mb(os.getpid()):.0f} MB", flush=True)
    store.close()
    db.close()


def main(argv: list[str]) -> int:
    conversations = int(argv[0]) if argv else CONVERSATIONS
    with tempfile.TemporaryDirectory(prefix="dc-bench-large-import-") as folder:
        asyncio.run(_run(conversations, Path(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
