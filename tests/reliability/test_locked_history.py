"""R2/P9 at the window: another PROCESS holds the history's write lock (BEGIN IMMEDIATE, as a
database browser or a second instance mid-write would) while the person sends and a reply
streams.

What must hold: the question is sent and the reply streams and shows while the lock is held;
the window says saving is behind; the window keeps answering; and once the lock goes, the
question and the whole reply are stored, once each.

The bound checked (a freeze detector, not a smoothness figure: tests/bench P9 measures that):
no event-loop stall longer than FREEZE_MS while the lock is held. Before the writer thread,
Send froze the window for the 5 s busy timeout.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QLabel

from desktopchat.domain.types import MessageStatus, Role
from desktopchat.system.paths import app_paths
from tests.reliability.in_window import EventLoopWatch, chat_round

FREEZE_MS = 1000

_HOLD_UNTIL_TOLD = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
connection.close()
"""


def hold_the_lock(database: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_UNTIL_TOLD, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "locked\n"
    return holder


def test_a_reply_streams_and_is_stored_while_another_process_holds_the_lock(app):
    chat_round(app, "before the lock", "Answer before the lock.")
    conversation_id = app.window.conversation_id
    answer = " ".join(f"word{i}" for i in range(600))
    app.server.reply.text = answer
    app.server.reply.chunks = 600
    app.server.reply.tokens_per_second = 400
    holder = hold_the_lock(app_paths().database)
    watch = EventLoopWatch()
    try:
        app.send("asked while locked")
        app.wait_text("word599", timeout=15_000)
        app.wait_reply_done()
        saving = app.window.findChild(QLabel, "saveStatus")
        app.qtbot.waitUntil(lambda: "behind" in saving.text(), timeout=5000)
        assert "asked while locked" in app.view_text()
        assert app.store.writer.pending(), "the lock held the writes back"
    finally:
        stalls = watch.stop()
        holder.communicate("go\n", timeout=10)

    assert not [stall for stall in stalls if stall > FREEZE_MS], f"the window froze: {stalls}"
    app.qtbot.waitUntil(lambda: not app.store.writer.pending(), timeout=10_000)
    app.qtbot.waitUntil(lambda: saving.text() == "", timeout=5000)
    reader = app.store._db  # the write connection: what is in the file now
    rows = reader.query(
        "SELECT role, text, status FROM messages WHERE conversation_id = ? ORDER BY id",
        (conversation_id,),
    )
    assert [tuple(row) for row in rows] == [
        (Role.USER.value, "before the lock", MessageStatus.COMPLETE.value),
        (Role.ASSISTANT.value, "Answer before the lock.", MessageStatus.COMPLETE.value),
        (Role.USER.value, "asked while locked", MessageStatus.COMPLETE.value),
        (Role.ASSISTANT.value, answer, MessageStatus.COMPLETE.value),
    ]
