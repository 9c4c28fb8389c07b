"""P5 opening a 2,000-message conversation, P6 memory with it open.

Each run is a fresh process with the real main window (window_harness) on a copy of the
populated data folder (corpus.populate_home: two conversations of 2,000 messages, about a
million characters each, with code blocks, tables and lists). In it:

- RSS once the window is idle (in-process, the reference for the next figure);
- the first open after start of conversation A (MainWindow.open_conversation, what a click
  in the sidebar calls) until the first paint of the conversation pane with its scroll bar
  usable, then RSS with A open;
- switches A ↔ B, each followed by the reference: Qt's own QTextBrowser.setMarkdown of the
  same page of messages (the window shows the newest PAGE_SIZE) until its first paint.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import Figure, Options, rss_mb, run_sample, sample_main
from tests.bench.corpus import LONG_MESSAGES, LONG_TITLES

MODULE = "tests.bench.history"
SETTLE_S = 0.5


# --- in the child process ----------------------------------------------------------------------


async def _timed_open(running: Any, conversation_id: int) -> dict[str, float]:
    """open_conversation → first paint with a usable scroll bar → last scroll-range change."""
    bar = running.window.chat_view.verticalScrollBar()
    painted = running.view_paints.next_paint(lambda: bar.maximum() > 0)
    range_changed = [0.0]

    def on_range_changed(*_: int) -> None:
        range_changed[0] = time.perf_counter()

    bar.rangeChanged.connect(on_range_changed)
    started = time.perf_counter()
    running.window.open_conversation(conversation_id)
    returned = time.perf_counter()
    painted_at = await asyncio.wait_for(painted, 10)
    await asyncio.sleep(SETTLE_S)
    bar.rangeChanged.disconnect(on_range_changed)
    return {
        "returned_ms": (returned - started) * 1000,
        "painted_ms": (painted_at - started) * 1000,
        "settled_ms": (max(range_changed[0], painted_at) - started) * 1000,
        "at_bottom": bar.value() == bar.maximum(),
    }


async def _timed_branch_switches(running: Any, conversation_id: int, count: int) -> list[float]:
    """Make a second branch halfway down the open conversation (an edited question and its
    answer), then time ‹ and › on it: switch_branch → first paint of the other branch."""
    from desktopchat.domain.types import Role

    store = running.services.history.store
    path = store.thread(conversation_id).messages
    middle = path[len(path) // 2 - (len(path) // 2) % 2]  # a question
    edited = store.add_message(
        conversation_id, Role.USER, middle.text + " (edited)", parent_id=middle.parent_id
    ).result()
    store.add_message(conversation_id, Role.ASSISTANT, path[-1].text, parent_id=edited.id).result()
    running.window.open_conversation(conversation_id)
    await asyncio.sleep(SETTLE_S * 2)
    view = running.window.chat_view
    timings = []
    current, step = edited.id, -1
    for _ in range(count):
        painted = running.view_paints.next_paint()
        started = time.perf_counter()
        await running.window.message_actions.switch_branch(conversation_id, current, step)
        painted_at = await asyncio.wait_for(painted, 10)
        timings.append((painted_at - started) * 1000)
        current = middle.id if step < 0 else edited.id
        step = -step
        await asyncio.sleep(SETTLE_S)
    del view
    return timings


async def _reference_render(markdown: str, size: Any) -> float:
    """Milliseconds for a bare QTextBrowser to show `markdown` (Qt's own renderer)."""
    from PySide6.QtWidgets import QTextBrowser

    from tests.bench.window_harness import PaintWatch

    browser = QTextBrowser()
    browser.resize(size)
    paints = PaintWatch(browser.viewport())
    shown = paints.next_paint()
    browser.show()
    await asyncio.wait_for(shown, 10)
    painted = paints.next_paint(lambda: browser.verticalScrollBar().maximum() > 0)
    started = time.perf_counter()
    browser.setMarkdown(markdown)
    painted_at = await asyncio.wait_for(painted, 10)
    browser.close()
    browser.deleteLater()
    return (painted_at - started) * 1000


async def _open_conversations(template: Path, switches: int, home: Path) -> dict[str, Any]:
    from desktopchat.ui.transcript.shown_messages import PAGE_SIZE
    from tests.bench.window_harness import open_window, settle

    shutil.copytree(template, home)
    running = await open_window(home, None, None)
    await settle()
    await asyncio.sleep(SETTLE_S)
    idle_rss = rss_mb(os.getpid())
    store = running.services.history.store
    ids = {c.title: c.id for c in store.list_conversations()}
    long_ids = [ids[title] for title in LONG_TITLES]
    first = await _timed_open(running, long_ids[0])
    open_rss = rss_mb(os.getpid())
    page_size = running.window.chat_view.viewport().size()
    switched, references = [], []
    for number in range(switches):
        conversation_id = long_ids[(number + 1) % 2]
        switched.append(await _timed_open(running, conversation_id))
        page = store.thread(conversation_id).messages[-PAGE_SIZE:]
        references.append(await _reference_render("\n\n".join(m.text for m in page), page_size))
    branch_switches = await _timed_branch_switches(running, long_ids[0], switches)
    await running.close()
    return {
        "idle_rss_mb": idle_rss,
        "open_rss_mb": open_rss,
        "first": first,
        "switches": switched,
        "reference_ms": references,
        "branch_switches": branch_switches,
    }


def _sample(args: list[str]) -> dict[str, Any]:
    from tests.bench.window_harness import run_qt

    with tempfile.TemporaryDirectory(prefix="dc-bench-history-") as folder:
        home = Path(folder) / "home"
        return run_qt(lambda: _open_conversations(Path(args[0]), int(args[1]), home))


# --- in the suite's process --------------------------------------------------------------------


def measure(options: Options, populated_template: Path) -> list[Figure]:
    switches = 4 if options.quick else 6
    runs = [
        run_sample(MODULE, options, str(populated_template), str(switches), timeout=180)
        for _ in range(options.runs)
    ]
    firsts = [run["first"] for run in runs]
    switched = [s for run in runs for s in run["switches"]]
    references = [ms for run in runs for ms in run["reference_ms"]]
    not_at_bottom = sum(not s["at_bottom"] for s in firsts + switched)
    qt_markdown = "QTextBrowser.setMarkdown of the same page of messages → first paint"
    title = f"{LONG_MESSAGES:,}-message conversation"
    return [
        Figure(
            "P5",
            "open it, first time after start → shown, scrollable",
            "ms",
            [s["painted_ms"] for s in firsts],
            limit=300,
            reference=qt_markdown,
            reference_samples=references,
        ),
        Figure(
            "P5",
            f"switch between two {title}s → shown",
            "ms",
            [s["painted_ms"] for s in switched],
            limit=300,
            reference=qt_markdown,
            reference_samples=references,
            note=f"{not_at_bottom} open(s) not scrolled to the end" if not_at_bottom else "",
        ),
        Figure(
            "P5",
            "  of which open_conversation() itself",
            "ms",
            [s["returned_ms"] for s in switched],
        ),
        Figure(
            "P5",
            "  until the scroll range stops changing",
            "ms",
            [s["settled_ms"] for s in switched],
        ),
        Figure(
            "P5",
            f"switch branches (‹ ›) halfway down a {title} → shown",
            "ms",
            [ms for run in runs for ms in run["branch_switches"]],
            limit=100,
        ),
        Figure(
            "P6",
            f"RSS with a {title} open (in-process)",
            "MB",
            [run["open_rss_mb"] for run in runs],
            limit=300,
            reference="RSS of the same process idle before opening it",
            reference_samples=[run["idle_rss_mb"] for run in runs],
        ),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
