"""Tasks with an owner: coroutines started from Qt slots on the qasync loop.

Every task belongs to something that lives a known time (DESIGN.md §5, "every task has an
owner"): the main window, a dialog, a service. The owner keeps a strong reference to each
task until it ends (asyncio keeps only weak ones, so a task started from a slot could be
collected mid-flight), sends any exception other than cancellation to the excepthook, where
a bug is logged and shown once, and at its end cancels what still runs and waits for it:
the window's tasks are drained before the history closes (app/lifetime.py), a dialog's end when it
closes. Anki's QueryOp/CollectionOp are the model: work in the background, its answer
handled on the loop, tied to a parent's lifetime.

A read that comes after the history closed (services/history.py `HistoryClosed`) is no
bug: the owner drops it quietly.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import weakref
from collections.abc import Coroutine
from typing import Any

from desktopchat.services.history import HistoryClosed

log = logging.getLogger(__name__)


class Tasks:
    """The tasks of one owner: `spawn` starts one, `cancel` ends those running (a dialog
    closed, and kept for next time), `aclose` ends them for good and waits until they have.

    Owners nest: a widget that starts work of its own (the attachment tray, the transcript's
    pictures) has its own Tasks, which the window `adopt`s, so closing the window's ends
    them too.
    """

    def __init__(self) -> None:
        self._running: set[asyncio.Task] = set()
        self._finishing: set[asyncio.Task] = set()
        self._children: weakref.WeakSet[Tasks] = weakref.WeakSet()
        self._closed = False

    def spawn(self, coro: Coroutine[Any, Any, Any], *, finish: bool = False) -> asyncio.Task:
        """Start `coro` on the running loop and keep it until it ends.

        `finish`: a write that must reach the history (a draft, the window's place) is
        never cancelled; `cancel` leaves it alone and `aclose` waits for it. Once the owner
        is closed, a new task is cancelled before it starts.
        """
        task = asyncio.get_event_loop().create_task(coro)
        if self._closed:
            task.cancel()
            return task
        self._running.add(task)
        if finish:
            self._finishing.add(task)
        task.add_done_callback(self._finished)
        return task

    def adopt(self, child: Tasks) -> Tasks:
        """Make `child` end with this owner (cancelled with it, drained by its aclose)."""
        self._children.add(child)
        if self._closed:
            child.cancel()
            child._closed = True
        return child

    @property
    def closed(self) -> bool:
        return self._closed

    def running(self) -> int:
        """How many tasks of this owner (its children's included) have not ended."""
        return len(self._running) + sum(child.running() for child in list(self._children))

    def cancel(self) -> None:
        """Cancel what runs (writes started with `finish` excepted); new work is taken."""
        current = _current_task()
        for task in list(self._running):
            if task not in self._finishing and task is not current:
                task.cancel()
        for child in list(self._children):
            child.cancel()

    async def aclose(self, timeout: float | None = None) -> None:
        """Refuse new work, cancel what runs, and wait until every task (the children's
        too) has ended, or `timeout` seconds have passed (what still runs then is logged:
        quitting never hangs on one task). Called from one of its own tasks, it does not
        wait for that one."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        self._closed = True
        self.cancel()
        for child in list(self._children):
            await child.aclose(None if deadline is None else max(0.0, deadline - loop.time()))
        current = _current_task()
        while pending := [task for task in self._running if task is not current]:
            left = None if deadline is None else deadline - loop.time()
            if left is not None and left <= 0:
                log.warning(
                    "%d task(s) still running after %.1f s: left behind", len(pending), timeout
                )
                return
            await asyncio.wait(pending, timeout=left)

    def _finished(self, task: asyncio.Task) -> None:
        self._running.discard(task)
        self._finishing.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            return
        if isinstance(error, HistoryClosed):
            log.debug("a task read the history after it closed; dropped")
            return
        sys.excepthook(type(error), error, error.__traceback__)


def _current_task() -> asyncio.Task | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop
        return None
