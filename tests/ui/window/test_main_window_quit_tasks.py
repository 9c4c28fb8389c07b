"""Quitting while the window still reads the history: its tasks end before the history
closes, and nothing the app does then is a bug ("Something went wrong")."""

from __future__ import annotations

import asyncio
import sys
import threading

from PySide6.QtWidgets import QDialog


def test_quitting_while_a_reply_s_siblings_are_read_reports_no_bug(app, monkeypatch):
    app.send("Hello")
    app.wait_reply_done()
    reply = app.store.messages(app.window.conversation_id)[-1]
    bugs = []
    monkeypatch.setattr(sys, "excepthook", lambda *error: bugs.append(error))
    history = app.services.history
    # The read thread is busy as the app quits (a long search, a big page); it lets go
    # once the store is closed, or after 2 s if closing waits for it.
    store_closed = threading.Event()
    close_store = history.store.close

    def close(timeout: float = 10.0):
        try:
            return close_store(timeout)
        finally:
            store_closed.set()

    monkeypatch.setattr(history.store, "close", close)
    busy = asyncio.get_event_loop().create_task(history.read(store_closed.wait, 2.0))

    app.controller.reply_finished.emit(reply)  # as a reply ends: the window reads ‹ i/n ›
    app.quit()  # the window closes, then the app shuts down in order

    app.qtbot.waitUntil(busy.done, timeout=5000)
    app.qtbot.wait(300)  # what was queued behind the busy read has had its turn
    assert bugs == []


def test_closing_a_dialog_ends_its_reads_and_quitting_ends_an_open_one_s(app, monkeypatch):
    reads = []

    async def slow_summary(_since):
        reads.append(asyncio.current_task())
        await asyncio.sleep(60)

    monkeypatch.setattr(app.services.usage, "summary", slow_summary)
    app.window.context_controls.open_usage()
    first = app.window.findChild(QDialog, "usageDialog")
    app.qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)

    first.reject()  # Close, or Esc
    app.qtbot.waitUntil(reads[0].done, timeout=5000)
    assert reads[0].cancelled()

    app.window.context_controls.open_usage()  # open again, and quit with it open
    app.qtbot.waitUntil(lambda: len(reads) == 2, timeout=5000)
    app.quit()
    assert reads[1].cancelled()
    assert not app.window.tasks.running()
