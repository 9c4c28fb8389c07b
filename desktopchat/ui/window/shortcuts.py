"""Help → Keyboard shortcuts: every shortcut the app has, in one list (README.md shows the
same list; keep them together)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


def shortcut_list() -> list[tuple[str, str]]:
    """(keys, what they do), in the person's language; keys as the platform writes them."""

    def keys(*sequences: str) -> str:
        native = QKeySequence.SequenceFormat.NativeText
        return ", ".join(QKeySequence(s).toString(native) for s in sequences)

    return [
        (keys("Ctrl+N"), _tr("New chat")),
        (keys("Ctrl+K", "Ctrl+F"), _tr("Search conversations")),
        (_tr("Enter"), _tr("Send the message (when “Enter sends” is on)")),
        (_tr("Shift+Enter"), _tr("New line in the message")),
        (_tr("Ctrl+Enter"), _tr("Send the message")),
        (_tr("Up (in an empty message box)"), _tr("Edit your last message")),
        (keys("Esc"), _tr("Stop the reply being written")),
        (keys("Ctrl+R"), _tr("Regenerate the last reply")),
        (keys("Ctrl+Shift+C"), _tr("Copy the last reply")),
        (_tr("Ctrl+Enter"), _tr("Save an edited message and send it again")),
        (keys("Esc"), _tr("Cancel editing a message")),
        (keys("Ctrl+E"), _tr("Export the conversation")),
        (keys("F2"), _tr("Rename the selected conversation")),
        (keys("Del"), _tr("Delete the selected conversation")),
        (keys("Ctrl+,"), _tr("Settings")),
        (keys("F1"), _tr("Keyboard shortcuts (this list)")),
        (keys("Ctrl+Q"), _tr("Quit")),
    ]


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_list()
        table = QTableWidget(len(rows), 2, self, objectName="shortcutsTable")
        table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setShowGrid(False)
        for row, (keys, meaning) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(meaning))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(560, 520)
