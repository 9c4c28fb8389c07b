"""A dismissable line above the conversation for things said once: a damaged history moved
aside, a keychain that cannot be used, a parameter the provider refused. Unlike a modal box it
never blocks start-up or steals the composer's focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from desktopchat.ui.support.plain import PlainLabel

ERROR_COLOUR = "#c5221f"


class NoticeBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        # Without this a plain QWidget ignores the background and border of its style sheet.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = PlainLabel(objectName="noticeText")
        self.label.setWordWrap(True)
        close = QToolButton(objectName="noticeClose")
        close.setText("✕")
        close.setAccessibleName(self.tr("Dismiss"))
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_notice(self, text: str) -> None:
        self._show(text, error=False)

    def show_error(self, text: str) -> None:
        self._show(text, error=True)

    def _show(self, text: str, *, error: bool) -> None:
        """A tinted band with a stronger edge; translucent, so it suits light and dark."""
        self.setProperty("error", error)
        colour = (
            QColor(ERROR_COLOUR) if error else self.palette().color(QPalette.ColorRole.Highlight)
        )
        r, g, b = colour.red(), colour.green(), colour.blue()
        self.setStyleSheet(
            f"#noticeBar {{ background: rgba({r}, {g}, {b}, 0.14);"
            f" border-left: 4px solid rgb({r}, {g}, {b}); }}"
        )
        self.label.setText(text)
        self.show()
