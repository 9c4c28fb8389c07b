"""The window's status bar: short messages that always expire and always fit.

A QStatusBar grows when its first message shows, pushing the composer up; this one keeps one
height from the start, so nothing below the conversation ever moves. A message with no
timeout stays until replaced, which is how "Could not load the model list" used to stay
forever: here every message expires (longer text stays longer), and one wider than the bar
is cut with "…" with the whole text in the tooltip. What needs reading in full, or acting
on, belongs in the notice bar (ui/window/notice_bar.py), which wraps.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QStatusBar, QStyle, QWidget

from desktopchat.ui.support.plain import plain_tooltip

MIN_SHOWN_MS = 4000
MS_PER_CHARACTER = 60
"""About a slow reading pace, so a longer message stays long enough to be read."""


class WindowStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self._full = ""
        self.messageChanged.connect(self._on_message_changed)
        frame = self.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
        self.setFixedHeight(self.fontMetrics().height() + 2 * frame + 8)

    def showMessage(self, text: str, timeout: int = 0) -> None:
        """Show `text` for `timeout` ms, at least long enough to read it."""
        self._full = text
        shown_for = max(timeout, MIN_SHOWN_MS, MS_PER_CHARACTER * len(text))
        super().showMessage(self._fitted(text), shown_for)
        # The text may quote a server (an error's details): Qt would guess it rich text.
        self.setToolTip(plain_tooltip(text) if self._fitted(text) != text else "")

    def full_message(self) -> str:
        """The message on screen, uncut ("" when none)."""
        return self._full if self.currentMessage() else ""

    def _fitted(self, text: str) -> str:
        room = (
            self.width()
            - 24
            - sum(
                child.width()
                for child in self.findChildren(
                    QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
                )
                if child.isVisible()
            )
        )
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(room, 80))

    @Slot(str)
    def _on_message_changed(self, text: str) -> None:
        if not text:
            self.setToolTip("")
