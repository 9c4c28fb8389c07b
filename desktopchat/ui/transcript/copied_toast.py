"""The small "Copied" that appears where the person clicked copy, then fades away.

The status bar is far from the icon the person is looking at; a word next to the pointer
(or next to the focused icon, from the keyboard) says the click worked.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

SHOWN_MS = 1400


class CopiedToast(QLabel):
    """A rounded label over the viewport; `show_at` places it just above a point."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("copiedToast")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOWN_MS)
        self._timer.timeout.connect(self.hide)

    def show_at(self, point: QPoint, text: str) -> None:
        palette = self.parentWidget().palette()
        background = palette.color(QPalette.ColorRole.ToolTipText).name()
        foreground = palette.color(QPalette.ColorRole.ToolTipBase).name()
        self.setStyleSheet(
            f"QLabel#copiedToast {{ background: {background}; color: {foreground};"
            " border-radius: 6px; padding: 3px 8px; }"
        )
        self.setText(text)
        self.adjustSize()
        parent = self.parentWidget().rect()
        x = min(max(0, point.x() - self.width() // 2), parent.width() - self.width())
        y = max(0, point.y() - self.height() - 10)
        self.move(x, y)
        self.raise_()
        self.show()
        self._timer.start()
