"""P9 (sync part): the window's first sync of a new computer while the person types.

One child process first fills computer A's history (CONVERSATIONS × 20 messages) and syncs
it into a shared folder with the engine (no window), then builds computer B's window as
app.run() does (window_harness), sets sync up as Settings → Sync does (the folder, the
passphrase in the keychain) and starts a sync through the window's SyncLink, as Sync now
does. Meanwhile a key is typed into the composer every TYPE_EVERY_MS; the LagProbe
records the loop's stalls from the start of the sync until AFTER_SYNC_S after it ends,
while the sidebar is read again with what came.

Figures: the longest stall and the 99th percentile over that span, beside the same typing
with no sync (same process, just before); how long the sync took; and whether every
conversation arrived and the typed text is whole in the box.

What it showed (2 CPUs shared with other work): with the engine in a thread of the app,
~20 ms with 1,200 messages, but 120–380 ms with 10,000, with almost none of it the loop
thread's own CPU: the loop thread waited for the GIL while the sync thread (json.loads of
a 4,000-record file) and the history's writer thread (ApplySynced, one statement per
message) took turns with it (108 ms idle, 378 ms under load). With the engine in a child
process (services/sync/child.py): 10,000 messages 11–25 ms on an idle machine, 20–48 ms
under a load of 9; 1,200 messages 4 ms idle, 36–53 ms loaded (the window's own CPU up to
20 ms: the refresh of the sidebar). Starting the child with a preexec_fn (a fork under the
GIL) alone cost 30–60 ms; the child ties itself to the app instead.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import BENCH_KEY, Figure, Options, run_sample, sample_main

MODULE = "tests.bench.sync_typing"
CONVERSATIONS = {"full": 500, "quick": 60}
MESSAGES_PER_CONVERSATION = 20
TYPE_EVERY_MS = 40
AFTER_SYNC_S = 1.0
"""Typing goes on this long after the sync ends: the sidebar is read again meanwhile."""
PASSPHRASE = "bench passphrase, long enough"


def _fill_and_sync(home: Path, shared: Path, conversations: int) -> None:
    from desktopchat.domain.types import Role
    from desktopchat.services.sync.engine import SyncEngine
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore
    from desktopchat.storage.sync_state import SyncState
    from desktopchat.sync.folder import FolderTransport

    home.mkdir(parents=True)
    db, problem = open_database(home / "history.db")
    if problem is not None:
        raise RuntimeError(f"could not create the benchmark history: {problem}")
    store = ConversationStore(db)
    for number in range(conversations):
        conversation = store.create_conversation(title=f"Conversation {number}").result(30)
        parent = None
        for turn in range(MESSAGES_PER_CONVERSATION):
            role = Role.USER if turn % 2 == 0 else Role.ASSISTANT
            text = f"Message {turn} of conversation {number}: " + "words " * 40
            parent = store.add_message(conversation.id, role, text, parent_id=parent).result(30)
            parent = parent.id
    store.wait_written(60)
    state = SyncState(home / "sync-state.db")
    try:
        SyncEngine(store, state, FolderTransport(shared), PASSPHRASE).run()
    finally:
        state.close()
        store.close()
        db.close()


async def _typing_while(running: Any, until: asyncio.Future[Any] | None, seconds: float) -> dict:
    """Type into the composer every TYPE_EVERY_MS for `seconds` (with no sync), or until
    `seconds` after `until` is done (the refresh of what came): the loop's stalls
    meanwhile."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPlainTextEdit

    from tests.bench.window_harness import LagProbe

    target = running.window.findChild(QPlainTextEdit, "composer")
    probe = LagProbe()
    probe.start()
    started = time.perf_counter()
    typed = 0
    ended: float | None = None
    while True:
        now = time.perf_counter()
        if until is not None and until.done() and ended is None:
            ended = now
        if (until is None and now - started >= seconds) or (
            ended is not None and now - ended >= seconds
        ):
            break
        QTest.keyClick(target, Qt.Key.Key_A)
        typed += 1
        await asyncio.sleep(TYPE_EVERY_MS / 1000)
    lag = probe.stop()
    return {**lag.summary(), "typed": typed, "span_s": time.perf_counter() - started}


async def _run(base: Path, conversations: int) -> dict[str, Any]:
    from desktopchat.services.sync.target import SyncTarget
    from tests.bench.window_harness import open_window, settle, wire_preferences
    from tests.bench.wire_process import WireProcess

    shared = base / "Shared"
    shared.mkdir()
    _fill_and_sync(base / "a", shared, conversations)
    with WireProcess(text="Warming up.", chunks=2) as wire:
        running = await open_window(base / "b", wire_preferences(wire.openai_url), BENCH_KEY)
        await settle()
        window = running.window
        window.composer.focus_input()
        quiet = await _typing_while(running, None, 3.0)
        window.composer.set_draft("")
        link = window.sync_link
        service = link.service()
        await service.set_target(SyncTarget.folder(shared), joining=True)
        await service.keep_passphrase(PASSPHRASE)
        await link.reload()
        done = asyncio.get_running_loop().create_future()
        link.finished.connect(lambda: done.done() or done.set_result(time.perf_counter()))
        started = time.perf_counter()
        link.sync_now()
        during = await _typing_while(running, done, AFTER_SYNC_S)
        finished_at = await done
        await settle()
        typed_whole = window.composer.draft() == "a" * during["typed"]
        arrived = len(await running.services.history.conversations())
        problem = link.problem
        await running.close()
    return {
        "quiet": quiet,
        "during": {
            **during,
            "sync_s": finished_at - started,
            "arrived": arrived == conversations,
            "typed_whole": typed_whole,
            "problem": problem,
        },
    }


def _sample(args: list[str]) -> dict[str, Any]:
    from tests.bench.window_harness import run_qt

    with tempfile.TemporaryDirectory(prefix="dc-bench-sync-typing-") as folder:
        return run_qt(lambda: _run(Path(folder), CONVERSATIONS[args[0]]))


def measure(options: Options) -> list[Figure]:
    mode = "quick" if options.quick else "full"
    runs = 1 if options.quick else min(options.runs, 3)
    samples = [run_sample(MODULE, options, mode, timeout=900) for _ in range(runs)]
    during = [sample["during"] for sample in samples]
    quiet = [sample["quiet"] for sample in samples]
    wrong = [s["problem"] for s in during if s["problem"]]
    wrong += ["not everything arrived" for s in during if not s["arrived"]]
    wrong += ["typed keys lost" for s in during if not s["typed_whole"]]
    size = CONVERSATIONS[mode] * MESSAGES_PER_CONVERSATION
    what = f"first sync of {size:,} messages in the window while typing"
    reference = "the same typing with no sync, same process"

    def versus_quiet(name: str, key: str, limit: float | None = None) -> Figure:
        return Figure(
            "P9",
            name,
            "ms",
            [s[key] for s in during],
            limit=limit,
            reference=reference,
            reference_samples=[s[key] for s in quiet],
        )

    return [
        versus_quiet(f"{what}: longest loop stall", "stall_ms", 50),
        versus_quiet("  99th percentile tick lateness", "p99_ms"),
        versus_quiet("  longest stall on our own CPU", "own_stall_ms"),
        Figure(
            "P9",
            "  the sync's own duration",
            "s",
            [s["sync_s"] for s in during],
            note="; ".join(wrong),
        ),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
