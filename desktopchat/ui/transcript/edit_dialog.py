"""The small dialog behind a user message's Edit action: change the text, resend."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui.support.plain import PlainLabel


class EditMessageDialog(QDialog):
    """Resending replaces every later turn, so the dialog says so before the person confirms."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editMessageDialog")
        self.setWindowTitle(self.tr("Edit message"))
        self.resize(560, 320)
        self.editor = QPlainTextEdit(text, objectName="editMessageText")
        self.editor.setAccessibleName(self.tr("Message"))
        note = PlainLabel(self.tr("Resending replaces the replies that followed this message."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.resend_button = buttons.addButton(
            self.tr("Resend"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.resend_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.editor.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.editor.setFocus()

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def _on_text_changed(self) -> None:
        self.resend_button.setEnabled(bool(self.text()))
