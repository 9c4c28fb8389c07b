"""Small helpers for running coroutines from Qt slots on the qasync loop.

asyncio keeps only weak references to tasks, so a task started from a slot can be garbage
collected mid-flight; `spawn` keeps a strong reference until it ends and sends any exception
other than cancellation to the excepthook, where a bug is logged and shown once.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any

_running: set[asyncio.Task] = set()


def spawn(coro: Coroutine[Any, Any, Any]) -> asyncio.Task:
    """Start `coro` on the running loop and keep it alive until it finishes."""
    task = asyncio.get_event_loop().create_task(coro)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        sys.excepthook(type(error), error, error.__traceback__)
