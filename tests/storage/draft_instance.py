"""One app instance for tests/storage/test_draft_instances.py, run as its own process.

Usage: python draft_instance.py HISTORY

It opens the history with the real store and HistoryService (no window), prints "ready",
then answers one JSON command per line on stdin with one JSON line on stdout:

- {"do": "read"}: read the drafts as the window does at start → {"drafts": {key: text}};
- {"do": "save", "key": K, "text": T}: save a draft as the window does, wait until it is
  written → {"conflicts": [[key, other text, written text], …]} heard since the last save;
- {"do": "quit"}: close the store (nothing may be left unwritten) and exit.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from desktopchat.services.history import DraftConflict, HistoryService
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore


async def serve(history: HistoryService) -> None:
    conflicts: list[list[object]] = []

    def heard(key: int, conflict: DraftConflict) -> None:
        conflicts.append([key, conflict.other_text, conflict.text])

    history.on_draft_conflict(heard)
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        command = json.loads(line)
        if command["do"] == "read":
            drafts = await history.drafts()
            answer: dict[str, object] = {"drafts": {k: t for k, (t, _) in drafts.items()}}
        elif command["do"] == "save":
            await history.save_draft(command["key"], command["text"])
            while history.writes_pending():
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)  # the conflict is told on the loop, after the write
            answer, conflicts[:] = {"conflicts": list(conflicts)}, []
        else:
            break
        print(json.dumps(answer), flush=True)
    unsaved = await history.close(60)
    if unsaved:
        raise AssertionError(f"not written: {unsaved}")


def main() -> None:
    db, problem = open_database(Path(sys.argv[1]))
    if problem is not None:
        raise AssertionError(problem)
    asyncio.run(serve(HistoryService(ConversationStore(db))))


if __name__ == "__main__":
    main()
