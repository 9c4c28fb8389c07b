"""P9 (history part): another program holds the history's write lock while a reply streams.

One child process builds the window as app.run() does (window_harness); a second process
(as a database browser or a second instance would) takes `BEGIN IMMEDIATE` on the history
right before Send and keeps it LOCK_S seconds (1 s with --quick: still ten times the writer's
own wait for the lock, so its retries run) while a reply streams at
2,000 tokens a second for longer than that. The LagProbe records the loop's stalls from Send
until the reply is finished and everything is written once the lock has gone.

Figures: the longest stall and the 99th percentile over that span, beside the same reply
with the history free (same process, after a warm-up reply); how long after the lock went
(and the reply ended) everything was on disk; and whether the question and the whole reply
were stored.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from desktopchat.system.paths import app_paths
from tests.bench.common import BENCH_KEY, Figure, Options, run_sample, sample_main
from tests.bench.wire_process import WireProcess

MODULE = "tests.bench.locked_history"
LOCK_S = {"full": 10.0, "quick": 1.0}
TOKENS_PER_SECOND = 2000.0
QUESTION = "A question asked while the history is locked"

_HOLD = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
print("released", flush=True)
"""


async def _replies(home: Path, lock_s: float) -> dict[str, Any]:
    """A warm-up reply (SDK client built, connection open), the same reply with no lock
    (the reference), then the reply with the history locked."""
    from tests.bench.window_harness import open_window, settle, wire_preferences

    tokens = int((lock_s + 1.0) * TOKENS_PER_SECOND)
    text = " ".join(f"word{i}" for i in range(tokens))
    with WireProcess(text="Warming up.", chunks=2) as wire:
        running = await open_window(home, wire_preferences(wire.openai_url), BENCH_KEY)
        await settle()
        await _one_reply(running, home, None)
        wire.configure(text=text, chunks=tokens, tokens_per_second=TOKENS_PER_SECOND)
        unlocked = await _one_reply(running, home, None)
        locked = await _one_reply(running, home, lock_s)
        await running.close()
    database = app_paths({"DESKTOPCHAT_HOME": str(home)}).database
    stored = _stored(database, locked.pop("conversation_id"))
    unlocked.pop("conversation_id")
    return {
        "locked": {**locked, "stored_whole": stored == [("user", QUESTION), ("assistant", text)]},
        "unlocked": unlocked,
    }


async def _one_reply(running: Any, home: Path, lock_s: float | None) -> dict[str, Any]:
    """Send in a new chat (the history locked for `lock_s` from just before, if given) and
    probe the loop until the reply is finished and everything is written."""
    from tests.bench.window_harness import LagProbe

    window, controller = running.window, running.services.controller
    store = running.services.history.store
    window.show_new_chat()
    await asyncio.sleep(0.1)
    holder = None
    if lock_s is not None:
        database = app_paths({"DESKTOPCHAT_HOME": str(home)}).database
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLD, str(database), str(lock_s)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout.readline() == "locked\n"
    finished = asyncio.get_running_loop().create_future()

    def on_finished(_message: object) -> None:
        if not finished.done():
            finished.set_result(time.perf_counter())

    controller.reply_finished.connect(on_finished)
    probe = LagProbe()
    probe.start()
    window.composer.send_requested.emit(QUESTION)
    released_at = await asyncio.to_thread(_wait_released, holder) if holder else 0.0
    finished_at = await asyncio.wait_for(finished, 120)
    while store.writer.pending():
        await asyncio.sleep(0.01)
    written_at = time.perf_counter()
    lag = probe.stop()
    controller.reply_finished.disconnect(on_finished)
    return {
        **lag.summary(),
        "behind_s": written_at - max(released_at, finished_at),
        "conversation_id": window.conversation_id,
    }


def _wait_released(holder: subprocess.Popen) -> float:
    """Wait (in a worker thread) until the holder lets go; when it did."""
    line = holder.stdout.readline()
    released = time.perf_counter()
    holder.wait()
    assert line == "released\n"
    return released


def _stored(database: Path, conversation_id: int) -> list[tuple[str, str]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(
            "SELECT role, text FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        ).fetchall()
    finally:
        connection.close()


def _sample(args: list[str]) -> dict[str, Any]:
    from tests.bench.window_harness import run_qt

    with tempfile.TemporaryDirectory(prefix="dc-bench-locked-") as home:
        return run_qt(lambda: _replies(Path(home), LOCK_S[args[0]]))


def measure(options: Options) -> list[Figure]:
    mode = "quick" if options.quick else "full"
    runs = 1 if options.quick else min(options.runs, 3)
    samples = [
        run_sample(MODULE, options, mode, timeout=LOCK_S[mode] * 6 + 90) for _ in range(runs)
    ]
    locked = [sample["locked"] for sample in samples]
    unlocked = [sample["unlocked"] for sample in samples]
    broken = sum(not sample["stored_whole"] for sample in locked)
    lock = f"history locked {LOCK_S[mode]:.0f} s by another process while a reply streams"
    reference = "the same reply with the history free, same process"

    def versus_free(name: str, key: str, unit: str, limit: float | None = None) -> Figure:
        return Figure(
            "P9",
            name,
            unit,
            [s[key] for s in locked],
            limit=limit,
            reference=reference,
            reference_samples=[s[key] for s in unlocked],
        )

    return [
        versus_free(f"{lock}: longest loop stall", "stall_ms", "ms", 50),
        versus_free("  99th percentile tick lateness", "p99_ms", "ms"),
        versus_free("  longest stall on our own CPU", "own_stall_ms", "ms"),
        Figure(
            "P9",
            "  lock gone and reply done → all on disk",
            "s",
            [s["behind_s"] for s in locked],
            note=f"not stored whole in {broken} run(s)" if broken else "",
        ),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
