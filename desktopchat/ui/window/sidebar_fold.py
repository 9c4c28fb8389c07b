"""Folding the sidebar to a rail: Ctrl+B or its button, remembered between runs; a window
narrower than AUTO_FOLD_WIDTH folds it by itself and unfolds it when wide again, leaving
the person's own choice as it was.

The splitter keeps the unfolded width: folding fixes the sidebar at the rail's width, and
unfolding gives back the width it had.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSplitter

from desktopchat.system.settings import Preferences
from desktopchat.ui.sidebar.sidebar import RAIL_WIDTH, Sidebar
from desktopchat.ui.window.layout import DEFAULT_SIDEBAR_WIDTH, SIDEBAR_MIN_WIDTH

AUTO_FOLD_WIDTH = 900
"""Below this window width the sidebar folds by itself: the conversation keeps its column."""


class SidebarFold(QObject):
    def __init__(
        self,
        window: QMainWindow,
        splitter: QSplitter,
        sidebar: Sidebar,
        prefs: Preferences,
        changed: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._splitter = splitter
        self._sidebar = sidebar
        self._prefs = prefs
        self._changed = changed
        self._narrow = False
        self._width = DEFAULT_SIDEBAR_WIDTH
        self.action = QAction(self.tr("Hide the sidebar"), window)
        self.action.setObjectName("foldSidebarAction")
        self.action.setShortcut(QKeySequence("Ctrl+B"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.toggle)
        window.addAction(self.action)
        sidebar.fold_requested.connect(self.toggle)
        window.installEventFilter(self)

    def restore(self) -> None:
        """At start, once the window has its size: the person's choice, or narrow."""
        self._narrow = self._window.width() < AUTO_FOLD_WIDTH
        remembered = self._prefs.sidebar_width
        sized = self._splitter.sizes()[0] if self._splitter.sizes() else 0
        self._width = (
            remembered if remembered >= SIDEBAR_MIN_WIDTH else max(SIDEBAR_MIN_WIDTH, sized)
        )
        self._show(self._prefs.sidebar_folded or self._narrow)

    def toggle(self) -> None:
        """The person's choice: it is what is remembered, and a narrow window no longer
        overrules it until it is made wide and narrow again."""
        folded = not self._sidebar.is_folded()
        self._prefs.sidebar_folded = folded
        self._show(folded)
        self._changed()

    def search(self) -> None:
        """Ctrl+K: the search field takes the keys, on a folded sidebar too: it unfolds
        for the search without changing the person's remembered choice (Ctrl+B folds it
        again)."""
        self._show(False)
        self._sidebar.focus_search()

    def _show(self, folded: bool) -> None:
        if folded == self._sidebar.is_folded():
            return
        total = sum(self._splitter.sizes())
        if folded:
            if self._sidebar.isVisible():  # at start, restore() has set it
                self._width = max(SIDEBAR_MIN_WIDTH, self._splitter.sizes()[0])
            self._prefs.sidebar_width = self._width
            self._sidebar.set_folded(True)
            self._splitter.setSizes([RAIL_WIDTH, max(0, total - RAIL_WIDTH)])
        else:
            self._sidebar.set_folded(False)
            self._sidebar.setMinimumWidth(SIDEBAR_MIN_WIDTH)
            self._splitter.setSizes([self._width, max(0, total - self._width)])
        words = self.tr("Show the sidebar") if folded else self.tr("Hide the sidebar")
        self.action.setText(words)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Fold when the window becomes narrow, unfold to the person's choice when wide."""
        if watched is self._window and event.type() == QEvent.Type.Resize:
            narrow = self._window.width() < AUTO_FOLD_WIDTH
            if narrow != self._narrow:
                self._narrow = narrow
                self._show(True if narrow else self._prefs.sidebar_folded)
        return False
