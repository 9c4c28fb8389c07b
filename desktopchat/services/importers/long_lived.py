"""What an import builds, kept out of the garbage collector's full passes.

A 230 MB export becomes ~360,000 messages that live until they are written, and writing
prepares a copy of each. CPython's full collection walks every tracked object while it
holds the interpreter, so each full pass stalls every thread, the window's included, for
as long as the heap is large: 0.6 s while such an export was read, 1 s while it was
written (measured; the passes fell in the import's worker thread, the window was idle).
These objects hold no reference cycles, so freezing them (`gc.freeze`: left out of every
later pass, still freed by reference counting when let go) removes the stall and keeps
nothing alive. Done every FREEZE_EVERY conversations, a pass never walks more than that
many conversations' objects on top of what was there before.
"""

from __future__ import annotations

import gc

FREEZE_EVERY = 500
"""Conversations between two freezes (~10,000 messages: a full pass over them ~15 ms)."""


def keep_out_of_passes() -> None:
    """Leave everything alive now out of later full passes. The young generations are
    collected first (cheap), so cyclic garbage just made is freed rather than frozen;
    only cycles already in the oldest generation and not yet found would stay, as they
    would have until the next full pass."""
    gc.collect(1)
    gc.freeze()


class Freezer:
    """Calls keep_out_of_passes once every `every` ticks (a tick per conversation)."""

    def __init__(self, every: int = FREEZE_EVERY) -> None:
        self._every = every
        self._ticks = 0

    def tick(self, count: int = 1) -> None:
        self._ticks += count
        if self._ticks >= self._every:
            self._ticks = 0
            keep_out_of_passes()
