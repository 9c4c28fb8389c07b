"""The sidebar over a very large history (issue 18 item 29): 300,000 conversations.

A child process writes CONVERSATIONS conversations straight into a new history (one
transaction, the store's own schema and triggers), then opens the real window on it and
times: the window's list read (`load_conversations`, what blocked for 9.2 s when the whole
list was read), the first paint of the list, the pages read as the list is scrolled to its
end PAGES times (each page read in a worker, shown at the next paint) with the Qt loop's
stalls meanwhile, and the process's memory. The reference is the whole list read at once
(`HistoryService.conversations()`, the old way), timed in the same window. `--quick` uses
QUICK_CONVERSATIONS.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import Figure, Options, rss_mb, run_sample, sample_main

MODULE = "tests.bench.sidebar"
CONVERSATIONS = 300_000
QUICK_CONVERSATIONS = 30_000
PAGES = 20
DAY = 86_400


def _build(home: Path, count: int) -> None:
    """`count` conversations, one a minute back from now, every 500th pinned."""
    from desktopchat.storage.db import open_database
    from desktopchat.system.paths import app_paths

    paths = app_paths({"DESKTOPCHAT_HOME": str(home)})
    paths.ensure()
    db, problem = open_database(paths.database)
    if problem is not None:
        raise RuntimeError(f"could not create the benchmark history: {problem}")
    now = time.time()
    rows = (
        (n + 1, f"Conversation {n} about a topic", now - n * 60, now - n * 60, int(n % 500 == 0))
        for n in range(count)
    )
    with db.transaction() as connection:
        connection.executemany(
            "INSERT INTO conversations (id, title, created, updated, pinned)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    db.close()


async def _scenario(home: Path) -> dict[str, Any]:
    from PySide6.QtWidgets import QListView

    from desktopchat.ui.sidebar.conversation_model import HEADER_ROLE, PAGE_SIZE
    from tests.bench.window_harness import LagProbe, PaintWatch, open_window, settle

    started = time.perf_counter()
    running = await open_window(home, None, None)
    opened = (time.perf_counter() - started) * 1000
    window = running.window
    view = window.sidebar.findChild(QListView, "conversationList")
    model = view.model()

    def rows() -> int:
        return model.rowCount()

    paints = PaintWatch(view.viewport())
    first_paint = paints.next_paint(lambda: rows() > 0)
    view.viewport().update()
    painted = (await asyncio.wait_for(first_paint, 30) - started) * 1000
    await settle()
    read = time.perf_counter()
    await window.history.conversation_page(None, PAGE_SIZE)
    page_read = (time.perf_counter() - read) * 1000
    read = time.perf_counter()
    await window.history.conversations()
    whole_read = (time.perf_counter() - read) * 1000
    probe = LagProbe()
    probe.start()
    page_ms = []
    for _ in range(PAGES):
        before = rows()
        scrolled = time.perf_counter()
        shown = paints.next_paint(lambda before=before: rows() > before)
        view.scrollToBottom()
        view.viewport().update()
        page_ms.append((await asyncio.wait_for(shown, 30) - scrolled) * 1000)
    lag = probe.stop().summary()
    conversations = sum(1 for row in range(rows()) if model.index(row, 0).data(HEADER_ROLE) is None)
    memory = rss_mb(os.getpid())
    await running.close()
    return {
        "open_ms": opened,
        "page_read_ms": page_read,
        "whole_read_ms": whole_read,
        "paint_ms": painted,
        "page_ms": page_ms,
        "lag": lag,
        "loaded": conversations,
        "rss_mb": memory,
    }


def _sample(args: list[str]) -> dict[str, Any]:
    from tests.bench.window_harness import run_qt

    count = int(args[0])
    with tempfile.TemporaryDirectory(prefix="dc-bench-sidebar-") as folder:
        home = Path(folder)
        _build(home, count)
        result = run_qt(lambda: _scenario(home))
    result["conversations"] = count
    return result


def measure(options: Options) -> list[Figure]:
    count = QUICK_CONVERSATIONS if options.quick else CONVERSATIONS
    runs = 1 if options.quick else 3
    results = [run_sample(MODULE, options, str(count), timeout=900) for _ in range(runs)]
    size = f"{count:,} conversations"
    return [
        Figure(
            "P5",
            f"sidebar, {size}: the list's first page read from the history",
            "ms",
            [r["page_read_ms"] for r in results],
            reference="the whole list read at once (before)",
            reference_samples=[r["whole_read_ms"] for r in results],
        ),
        Figure(
            "P5",
            f"sidebar, {size}: window opened and the list painted",
            "ms",
            [r["paint_ms"] for r in results],
        ),
        Figure(
            "P5",
            f"sidebar, {size}: scroll to the end, next page shown",
            "ms",
            [ms for r in results for ms in r["page_ms"]],
            note=f"{PAGES} pages; {results[-1]['loaded']:,} conversations loaded after",
        ),
        Figure(
            "P5",
            f"sidebar, {size}: longest loop stall while scrolling",
            "ms",
            [r["lag"]["stall_ms"] for r in results],
            limit=50,
            note="the loop's own CPU ≤ {:.0f} ms of it".format(
                max(r["lag"]["own_stall_ms"] for r in results)
            ),
        ),
        Figure(
            "P5", f"sidebar, {size}: memory after scrolling", "MB", [r["rss_mb"] for r in results]
        ),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
