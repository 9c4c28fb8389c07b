"""Help → Keyboard shortcuts: every shortcut the app has, in one list (README.md shows the
same list; keep them together)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
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

_KEYS_AS_WORDS = {
    "Enter": QT_TRANSLATE_NOOP("Shortcuts", "Enter"),
    "Shift+Enter": QT_TRANSLATE_NOOP("Shortcuts", "Shift+Enter"),
    "Ctrl+Enter": QT_TRANSLATE_NOOP("Shortcuts", "Ctrl+Enter"),
    "Up": QT_TRANSLATE_NOOP("Shortcuts", "Up (in an empty message box)"),
    "/": QT_TRANSLATE_NOOP("Shortcuts", "/ (in an empty message box)"),
}
"""Keys Qt's key sequences would write differently ("Return"), or with words."""

SHORTCUTS = (
    (("Ctrl+N",), QT_TRANSLATE_NOOP("Shortcuts", "New chat")),
    (("Ctrl+K", "Ctrl+F"), QT_TRANSLATE_NOOP("Shortcuts", "Search conversations")),
    (("Enter",), QT_TRANSLATE_NOOP("Shortcuts", "Send the message (when “Enter sends” is on)")),
    (("Shift+Enter",), QT_TRANSLATE_NOOP("Shortcuts", "New line in the message")),
    (("Ctrl+Enter",), QT_TRANSLATE_NOOP("Shortcuts", "Send the message")),
    (("Up",), QT_TRANSLATE_NOOP("Shortcuts", "Edit your last message")),
    (("Esc",), QT_TRANSLATE_NOOP("Shortcuts", "Stop the reply being written")),
    (("/",), QT_TRANSLATE_NOOP("Shortcuts", "Insert a saved prompt")),
    (("Ctrl+Shift+P",), QT_TRANSLATE_NOOP("Shortcuts", "Prompt library")),
    (("Ctrl+R",), QT_TRANSLATE_NOOP("Shortcuts", "Regenerate the last reply")),
    (("Ctrl+Shift+C",), QT_TRANSLATE_NOOP("Shortcuts", "Copy the last reply")),
    (
        ("Ctrl+Shift+M",),
        QT_TRANSLATE_NOOP("Shortcuts", "Ask several models the same question, side by side"),
    ),
    (
        ("Ctrl+Enter",),
        QT_TRANSLATE_NOOP("Shortcuts", "Save an edited message and send it again"),
    ),
    (("Esc",), QT_TRANSLATE_NOOP("Shortcuts", "Cancel editing a message")),
    (("Ctrl+E",), QT_TRANSLATE_NOOP("Shortcuts", "Export the conversation")),
    (
        ("F2",),
        QT_TRANSLATE_NOOP("Shortcuts", "Rename the selected conversation, or the one shown"),
    ),
    (
        ("Del",),
        QT_TRANSLATE_NOOP("Shortcuts", "Delete the selected conversations, or the one shown"),
    ),
    (("Ctrl+Shift+D",), QT_TRANSLATE_NOOP("Shortcuts", "Pin or unpin the conversation")),
    (("Ctrl+B",), QT_TRANSLATE_NOOP("Shortcuts", "Hide or show the sidebar")),
    (("F3", "Shift+F3"), QT_TRANSLATE_NOOP("Shortcuts", "Next or previous search match")),
    (("F5",), QT_TRANSLATE_NOOP("Shortcuts", "Sync now")),
    (("Ctrl+,",), QT_TRANSLATE_NOOP("Shortcuts", "Settings")),
    (("F1",), QT_TRANSLATE_NOOP("Shortcuts", "Keyboard shortcuts (this list)")),
    (("Ctrl+Q",), QT_TRANSLATE_NOOP("Shortcuts", "Quit")),
)
"""Every shortcut, in the order the dialog and README.md list them."""


def shortcut_list() -> list[tuple[str, str]]:
    """(keys, what they do), in the person's language; keys as the platform writes them."""

    def written(key: str) -> str:
        if key in _KEYS_AS_WORDS:
            return QCoreApplication.translate("Shortcuts", _KEYS_AS_WORDS[key])
        return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)

    return [
        (", ".join(written(k) for k in keys), QCoreApplication.translate("Shortcuts", meaning))
        for keys, meaning in SHORTCUTS
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
