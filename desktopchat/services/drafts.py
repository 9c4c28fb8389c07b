"""Which version of each stored draft this instance typed over, so that a save never
overwrites another instance's newer draft (DESIGN.md R8).

The store merges when a save's base is not the stored version (storage/drafts.py); this
keeps the bases. A base is the `updated` read at start, or the stamp of this instance's
previous save of that draft, chosen when the save is queued (before it is written), so
saves queued one after another are each based on the one before, in order. A conflict found
by the writer is passed to the listeners on the loop: the window takes the other text in
and says so.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from desktopchat.storage.drafts import Draft, DraftConflict, SaveDraft

ConflictListener = Callable[[int, DraftConflict], None]


class DraftVersions:
    """The bases of this instance's drafts, and who hears of a conflict."""

    def __init__(self) -> None:
        self._bases: dict[int, float] = {}
        self._listeners: list[ConflictListener] = []

    def read(self, versions: dict[int, tuple[Draft, float]]) -> dict[int, Draft]:
        """Remember the versions of the drafts just read; the drafts themselves."""
        self._bases.update({key: updated for key, (_, updated) in versions.items()})
        return {key: draft for key, (draft, _) in versions.items()}

    def next_save(self, conversation_id: int) -> tuple[float | None, float]:
        """The base of a save about to be queued and the stamp it writes, which is the base
        of the next one. Called on the loop, in the order the saves are queued."""
        based_on = self._bases.get(conversation_id)
        stamp = max(time.time(), (based_on or 0.0) + 1e-6)
        self._bases[conversation_id] = stamp
        return based_on, stamp

    def on_conflict(self, listener: ConflictListener) -> None:
        """`listener(conversation_id, conflict)` on the loop when a save kept another
        instance's text too."""
        self._listeners.append(listener)

    def watch(
        self, loop: asyncio.AbstractEventLoop, change: SaveDraft, written: Future[Any]
    ) -> None:
        """Tell the listeners, on `loop`, if `change` met another instance's draft."""

        def done(future: Future[Any]) -> None:
            if future.cancelled() or future.exception() is not None or not change.conflict:
                return
            if not loop.is_closed():
                loop.call_soon_threadsafe(self._tell, change.conversation_id, change.conflict[0])

        written.add_done_callback(done)

    def _tell(self, conversation_id: int, conflict: DraftConflict) -> None:
        for listener in self._listeners:
            listener(conversation_id, conflict)
