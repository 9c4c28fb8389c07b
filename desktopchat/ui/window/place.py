"""The window's place between runs: its geometry, the sidebar's width, the open conversation
and where each conversation was scrolled to, kept in the preferences.

They are saved a moment after they change (PLACE_SAVE_DELAY_MS, in a worker thread: the
settings file is written atomically with an fsync) and once more at quit (a worker too,
drained before the app ends), so a crash or a
`kill -9` loses at most the last second. Saves carry a generation: a background save that
finishes after a newer one (the one at quit) does not write its older picture over it.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import threading

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QAbstractScrollArea, QMainWindow, QSplitter

from desktopchat.system.settings import Preferences, SettingsStore
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.window import layout as window_layout

log = logging.getLogger(__name__)

PLACE_SAVE_DELAY_MS = 1000
SCROLL_RESTORE_MS = 1500
"""How long a restored scroll position is held while the conversation's layout settles (Qt
lays out a long document in steps, and each step moves the bottom)."""
MAX_SCROLL_PLACES = 200
"""Scroll positions kept: those of the conversations left most recently."""


class WindowPlace(QObject):
    def __init__(
        self,
        window: QMainWindow,
        splitter: QSplitter,
        store: SettingsStore,
        prefs: Preferences,
        tasks: Tasks,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._splitter = splitter
        self._store = store
        self._prefs = prefs
        self._lock = threading.Lock()
        self._generation = 0
        self._written = 0
        self.was_open = prefs.open_conversation
        """The conversation on screen when the app last stopped (read before anything is
        shown, which changes it)."""
        self._timer = QTimer(self, singleShot=True, interval=PLACE_SAVE_DELAY_MS)
        self._timer.timeout.connect(self._save_in_background)
        splitter.splitterMoved.connect(self.changed)
        self._restoring: tuple[QAbstractScrollArea, int] | None = None
        self._restore_timer = QTimer(self, singleShot=True, interval=SCROLL_RESTORE_MS)
        self._restore_timer.timeout.connect(self._stop_restoring)

    def restore_layout(self) -> None:
        window_layout.restore_window_state(self._window, self._splitter, self._prefs)

    def conversation_opened(self, conversation_id: int | None) -> None:
        if self._prefs.open_conversation != conversation_id:
            self._prefs.open_conversation = conversation_id
            self.changed()

    def remember_scroll(self, conversation_id: int, view: QAbstractScrollArea) -> None:
        """Where `view` is scrolled to, as the distance from the bottom (0 is not kept: a
        conversation opens at its bottom anyway)."""
        bar = view.verticalScrollBar()
        distance = bar.maximum() - bar.value()
        places = self._prefs.scroll_positions
        key = str(conversation_id)
        before = places.pop(key, 0)
        if distance > 0:
            places[key] = distance
            while len(places) > MAX_SCROLL_PLACES:
                del places[next(iter(places))]
        if before != distance:
            self.changed()

    def restore_scroll(self, conversation_id: int, view: QAbstractScrollArea) -> None:
        """Scroll `view` back to where the conversation was left, and keep it there while
        its layout settles."""
        self._stop_restoring()
        distance = self._prefs.scroll_positions.get(str(conversation_id), 0)
        if distance > 0:
            self._restoring = (view, distance)
            view.verticalScrollBar().rangeChanged.connect(self._reapply)
            self._restore_timer.start()
            self._reapply()

    def hold_scroll(self) -> None:
        """Stop holding the restored position: something else scrolls now (a search
        result scrolls to its match)."""
        self._stop_restoring()

    @Slot(int, int)
    def _reapply(self, *_range: int) -> None:
        if self._restoring is not None:
            view, distance = self._restoring
            bar = view.verticalScrollBar()
            bar.setValue(max(bar.minimum(), bar.maximum() - distance))

    @Slot()
    def _stop_restoring(self) -> None:
        if self._restoring is not None:
            view, _distance = self._restoring
            self._restoring = None
            view.verticalScrollBar().rangeChanged.disconnect(self._reapply)

    @Slot()
    def changed(self, *_args: object) -> None:
        """Something in the place changed: save it soon."""
        self._timer.start()

    def _snapshot(self) -> tuple[int, Preferences]:
        window_layout.remember_window_state(self._window, self._splitter, self._prefs)
        self._generation += 1
        return self._generation, copy.deepcopy(self._prefs)

    @Slot()
    def _save_in_background(self) -> None:
        generation, prefs = self._snapshot()
        self._tasks.spawn(asyncio.to_thread(self._write, generation, prefs), finish=True)

    def save_at_quit(self) -> None:
        """At quit: the place as it is, written in a worker like every other save (the file
        is fsynced: not on the loop). It is a `finish` task of the window, whose tasks
        app.shut_down drains before the app ends; with no loop left to run it, it is
        written before returning."""
        self._timer.stop()
        generation, prefs = self._snapshot()
        if self._tasks.closed or not _loop_running():
            self._write(generation, prefs)
            return
        self._tasks.spawn(asyncio.to_thread(self._write, generation, prefs), finish=True)

    def _write(self, generation: int, prefs: Preferences) -> None:
        with self._lock:
            if generation < self._written:
                return
            try:
                self._store.save(prefs)
            except OSError as error:
                log.warning("could not save the window layout: %s", error)
            self._written = generation


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
