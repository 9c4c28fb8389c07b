"""What a person sees on the very first start, in place of the empty conversation: how to
begin, in two lines, the button that gets them there, and whether a local server is being
looked for (ui/window/local_servers.py looks while this page is on screen)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktopchat.ui.support.plain import PlainLabel


class WelcomePanel(QWidget):
    settings_requested = Signal()
    look_again_requested = Signal()

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
                "Running LM Studio or Ollama? Start its server and DesktopChat finds it by "
                "itself within seconds."
            )
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.looking = PlainLabel(
            self.tr(
                "DesktopChat looks for LM Studio and Ollama on this computer every few seconds"
            ),
            objectName="welcomeLooking",
        )
        self.looking.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.looking.setWordWrap(True)
        self.looking.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        settings = QPushButton(self.tr("Open Settings"), objectName="welcomeSettingsButton")
        settings.clicked.connect(self.settings_requested)
        self.look_again = QPushButton(self.tr("Look again"), objectName="welcomeLookAgainButton")
        self.look_again.setToolTip(self.tr("Look for LM Studio and Ollama on this computer now"))
        self.look_again.clicked.connect(self.look_again_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(settings)
        buttons.addWidget(self.look_again)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(text)
        layout.addLayout(buttons)
        layout.addWidget(self.looking)
        layout.addStretch(2)
        self.show_looking(False)

    def show_looking(self, looking: bool) -> None:
        """A look at the local servers' ports is under way (it takes milliseconds when
        nothing listens): the button waits for it."""
        self.look_again.setEnabled(not looking)
