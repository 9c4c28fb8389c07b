"""The header above the conversation, one row at every width from 640 px: the
conversation's title (cut with "…"), the model picker, and the button of the side panel.

Every part has a fixed height and the button a fixed width: a title, a model or a system
prompt appearing never re-lays the header out.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolButton, QWidget

from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.support.icons import IconRefresher
from desktopchat.ui.support.plain import PlainLabel, plain_tooltip

PANEL_SHORTCUT = "Ctrl+."


class ElidedTitle(PlainLabel):
    """A one-line plain title cut with "…" at the width it is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def set_title(self, title: str) -> None:
        self._full = title
        cut = self.fontMetrics().horizontalAdvance(title) > self.width()
        self.setToolTip(plain_tooltip(title) if cut else "")  # a title is outside text
        self._elide()

    def title(self) -> str:
        return self._full

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        self.setText(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())


class Header(QWidget):
    def __init__(self, picker: ModelPicker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.picker = picker
        self.title = ElidedTitle(self)
        self.title.setObjectName("conversationTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.panel_button = QToolButton(self)
        self.panel_button.setObjectName("sidePanelButton")
        self.panel_button.setCheckable(True)
        self.panel_button.setAutoRaise(True)
        self.panel_button.setShortcut(QKeySequence(PANEL_SHORTCUT))
        self.panel_button.setAccessibleName(self.tr("Conversation settings"))
        self.panel_button.setIconSize(QSize(20, 20))
        self._icons = IconRefresher(self)
        self.mark_system_prompt(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.setSpacing(8)
        layout.addWidget(self.title, 1)
        layout.addWidget(picker, 0)
        layout.addWidget(self.panel_button, 0)

    def show_title(self, title: str) -> None:
        self.title.set_title(title or self.tr("New chat"))

    def mark_system_prompt(self, present: bool) -> None:
        """Say on the panel's button whether the conversation has a system prompt (the
        panel may be closed): a dot on the icon, never a wider button."""
        self._icons.set(self.panel_button, "side-panel-dot" if present else "side-panel")
        tip = (
            self.tr("Conversation settings: this conversation has a system prompt (%1)")
            if present
            else self.tr("Conversation settings: temperature, tools, system prompt (%1)")
        )
        self.panel_button.setToolTip(tip.replace("%1", PANEL_SHORTCUT))
