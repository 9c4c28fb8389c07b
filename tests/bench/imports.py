"""P8 import of a 1,000-conversation ChatGPT archive, with the event loop's lag meanwhile.

A child process writes a ChatGPT export as downloaded (a .zip with conversations.json; the
published shape: a mapping tree per conversation with a hidden system node, a regenerated
reply now and then, model slugs, corpus.TextMaker text), then imports it as File → Import
does: ImportService.read and .write in worker threads, awaited on an asyncio loop whose lag
is probed every LAG_INTERVAL_MS (the window's loop would see the same: the work holds the
GIL in bursts, nothing runs on the loop). Then the same archive is imported again, which
must add nothing. No Qt, no window. `--quick` imports QUICK_CONVERSATIONS, against the
target scaled to that many (the import is linear in the conversations); the figure's name
says how many.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from tests.bench.common import (
    LAG_INTERVAL_MS,
    Figure,
    LagRecorder,
    Options,
    run_sample,
    sample_main,
)
from tests.bench.corpus import TextMaker

MODULE = "tests.bench.imports"
CONVERSATIONS = 1_000
QUICK_CONVERSATIONS = 100
TARGET_S = 10.0
"""DESIGN.md P8, for CONVERSATIONS."""
TURNS = 20
"""Messages per conversation on its main path (user and assistant alternating)."""


def build_archive(path: Path, conversations: int = CONVERSATIONS, turns: int = TURNS) -> int:
    """A ChatGPT export of `conversations` conversations; returns its message count."""
    from tests.services.importers.archives import chatgpt_conversation, chatgpt_node

    maker = TextMaker(8)
    data, messages = [], 0
    for number in range(conversations):
        start = 1_700_000_000.0 + number * 3600
        nodes = [
            chatgpt_node("root", None, ["sys"], role=None),
            chatgpt_node("sys", "root", ["n0"], "system", [""], time=None),
        ]
        for turn in range(turns):
            role = "user" if turn % 2 == 0 else "assistant"
            parent = "sys" if turn == 0 else f"n{turn - 1}"
            children = [f"n{turn + 1}"] if turn + 1 < turns else []
            text = maker.words(25) if role == "user" else maker.paragraph(90)
            model = "gpt-4o" if role == "assistant" else None
            nodes.append(
                chatgpt_node(
                    f"n{turn}", parent, children, role, [text], time=start + turn, model=model
                )
            )
            messages += 1
        if number % 10 == 0:  # a regenerated last reply: a second branch
            nodes[-2]["children"].append("alt")
            nodes.append(
                chatgpt_node(
                    "alt",
                    f"n{turns - 2}",
                    [],
                    "assistant",
                    [maker.paragraph(90)],
                    time=start + turns,
                    model="o1",
                )
            )
            messages += 1
        data.append(chatgpt_conversation(f"conv-{number}", maker.words(5), nodes, f"n{turns - 1}"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("conversations.json", json.dumps(data))
        archive.writestr("user.json", "{}")
    return messages


async def _import_with_probe(service: Any, archive: Path) -> dict[str, Any]:
    lag = LagRecorder()
    stop = asyncio.Event()

    async def probe() -> None:
        while not stop.is_set():
            await asyncio.sleep(LAG_INTERVAL_MS / 1000)
            lag.tick()

    prober = asyncio.create_task(probe())
    await asyncio.sleep(0)
    lag.restart()
    started = time.perf_counter()
    parsed = await service.read(archive)
    read_s = time.perf_counter() - started
    report = await service.write(parsed)
    total_s = time.perf_counter() - started
    stop.set()
    await prober
    return {
        "read_s": read_s,
        "total_s": total_s,
        "added": report.added,
        "skipped": report.skipped,
        **lag.summary(),
    }


def _measure(repeats: int, conversations: int) -> dict[str, Any]:
    from desktopchat.services.importers.service import ImportService
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore

    with tempfile.TemporaryDirectory(prefix="dc-bench-import-") as folder:
        archive = Path(folder) / "chatgpt-export.zip"
        messages = build_archive(archive, conversations)
        runs, again = [], None
        for number in range(repeats):
            db, problem = open_database(Path(folder) / f"history-{number}.db")
            if problem is not None:
                raise RuntimeError(f"could not create the benchmark history: {problem}")
            store = ConversationStore(db)
            service = ImportService(store)
            runs.append(asyncio.run(_import_with_probe(service, archive)))
            if again is None:
                again = asyncio.run(_import_with_probe(service, archive))
            store.close()
            db.close()
        size_mb = archive.stat().st_size / 1e6
    return {"messages": messages, "size_mb": size_mb, "runs": runs, "again": again}


def _sample(args: list[str]) -> dict[str, Any]:
    return _measure(int(args[0]), int(args[1]))


def measure(options: Options) -> list[Figure]:
    repeats = 1 if options.quick else options.runs
    conversations = QUICK_CONVERSATIONS if options.quick else CONVERSATIONS
    result = run_sample(MODULE, options, str(repeats), str(conversations), timeout=900)
    runs = result["runs"]
    name = f"import {conversations:,} ChatGPT conversations ({result['messages']:,} messages)"
    again = result["again"]
    return [
        Figure(
            "P8",
            name,
            "s",
            [r["total_s"] for r in runs],
            limit=TARGET_S * conversations / CONVERSATIONS,
            note=f"{runs[0]['added']} added, archive {result['size_mb']:.0f} MB",
        ),
        Figure("P8", "  of which reading the archive", "s", [r["read_s"] for r in runs]),
        Figure(
            "P8",
            "  longest loop stall meanwhile",
            "ms",
            [r["stall_ms"] for r in runs],
            limit=50,
            note=f"the loop's own CPU ≤ {max(r['own_stall_ms'] for r in runs):.0f} ms of it",
        ),
        Figure(
            "P8",
            "  the same archive again",
            "s",
            [again["total_s"]],
            note=f"{again['added']} added, {again['skipped']} skipped",
        ),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
