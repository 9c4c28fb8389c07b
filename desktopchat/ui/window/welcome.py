"""What a person sees on the very first start, in place of the empty conversation: how to
begin, in two lines, and the button that gets them there."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from desktopchat.ui.support.plain import PlainLabel


class WelcomePanel(QWidget):
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        # The colours of the conversation pane it stands in for.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        title = PlainLabel(self.tr("Welcome to DesktopChat"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        text = PlainLabel(
            self.tr(
                "Add an API key for a provider in Settings, then pick a model and type below.\n"
                "Running LM Studio or Ollama? Start it and DesktopChat finds it by itself."
            )
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        button = QPushButton(self.tr("Open Settings"), objectName="welcomeSettingsButton")
        button.clicked.connect(self.settings_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(text)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
