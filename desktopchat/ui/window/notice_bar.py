"""A dismissable line above the conversation for things said once: a damaged history moved
aside, a keychain that cannot be used, a parameter the provider refused. Unlike a modal box it
never blocks start-up or steals the composer's focus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QToolButton, QWidget

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
        self.action = QPushButton(objectName="noticeAction")
        self.action.hide()
        self.action.clicked.connect(self._on_action_clicked)
        self.other_action = QPushButton(objectName="noticeOtherAction")
        self.other_action.hide()
        self.other_action.clicked.connect(self._on_other_action_clicked)
        self._act: Callable[[], object] | None = None
        self._other_act: Callable[[], object] | None = None
        self._topic: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.other_action)
        layout.addWidget(close)
        self.hide()

    def show_notice(
        self,
        text: str,
        action: tuple[str, Callable[[], object]] | None = None,
        *,
        topic: str | None = None,
    ) -> None:
        """Say `text`; `action` is a button beside it (its label, what it does), e.g.
        "Show in folder" after an export; `topic` as in show_error."""
        self._show(text, error=False, action=action)
        self._topic = topic

    def ask(
        self, text: str, yes: tuple[str, Callable[[], object]], no: tuple[str, Callable[[], object]]
    ) -> None:
        """Ask a quiet question (never a modal box): two buttons; dismissing answers nothing."""
        self._show(text, error=False, action=yes)
        self._other_act = no[1]
        self.other_action.setText(no[0])
        self.other_action.show()

    def show_error(
        self,
        text: str,
        *,
        topic: str | None = None,
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
        """Say an error; `topic` names what it is about, for `withdraw`; `action` as in
        show_notice."""
        self._show(text, error=True, action=action)
        self._topic = topic

    def withdraw(self, topic: str) -> None:
        """Hide the notice if it is still about `topic` (it no longer applies)."""
        if self._topic == topic and self.isVisible():
            self.hide()

    @Slot()
    def _on_action_clicked(self) -> None:
        if self._act is not None:
            self._act()

    @Slot()
    def _on_other_action_clicked(self) -> None:
        if self._other_act is not None:
            self._other_act()

    def _show(
        self,
        text: str,
        *,
        error: bool,
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
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
        self._topic = None
        self._act = action[1] if action else None
        self.action.setText(action[0] if action else "")
        self.action.setVisible(action is not None)
        self._other_act = None
        self.other_action.hide()
        self.show()
