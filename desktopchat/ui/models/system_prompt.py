"""The system prompt box of the conversation on screen, saved a moment after typing stops.

Saving on every keystroke would write the database per character; saving only on leaving
would lose an edit to a crash. The owner calls flush() before it changes what the box
belongs to (another conversation, a send), so a pending edit lands where it was typed.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

SAVE_DELAY_MS = 600


class SystemPromptEditor(QPlainTextEdit):
    edited = Signal(str)
    """The text, once typing has paused (or on flush)."""
    presence_changed = Signal(bool)
    """Whether there is a prompt at all changed (shown anew or typed): the header marks
    its side-panel button, so a closed panel still says the conversation has one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("systemPrompt")
        self.setAccessibleName(self.tr("System prompt"))
        self.setPlaceholderText(
            self.tr("Instructions the model follows for this whole conversation (optional)")
        )
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._present = False
        self.textChanged.connect(self._timer.start)
        self.textChanged.connect(self._note_presence)
        self._timer.timeout.connect(self._report)

    def show_prompt(self, text: str) -> None:
        """Show another conversation's prompt; not reported as an edit."""
        self._timer.stop()
        with QSignalBlocker(self):
            self.setPlainText(text)
        self._note_presence()

    def _note_presence(self) -> None:
        present = not self.document().isEmpty() and bool(self.toPlainText().strip())
        if present != self._present:
            self._present = present
            self.presence_changed.emit(present)

    def flush(self) -> None:
        """Report a pending edit now."""
        if self._timer.isActive():
            self._timer.stop()
            self._report()

    def _report(self) -> None:
        self.edited.emit(self.toPlainText())
