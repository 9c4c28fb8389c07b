"""GUI tests run each on a fresh qasync loop over the shared QApplication (DESIGN.md §5)."""

from __future__ import annotations

import asyncio
from unittest import mock

import pytest
import qasync
from PySide6.QtWidgets import QApplication


@pytest.fixture
def qloop(qapp, qtbot):
    """A running qasync loop for the test body; fails the test on unhandled asyncio errors."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    errors = []
    loop.set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=2000)
    with mock.patch.object(QApplication, "exit"):  # loop.stop() calls app.exit()
        loop.stop()
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)
    if errors:
        pytest.fail(f"unhandled asyncio errors: {errors}")
