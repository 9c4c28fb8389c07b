"""Every match of a search marked in the transcript, one of them current, with a small bar
("3 of 12", previous, next, close) over the transcript's top right corner.

The marks are the view's ExtraSelections, found with QTextDocument.find: nothing in the
document changes, so copying, streaming and the message actions are untouched. F3 and
Shift+F3 step through the matches (and Enter / Shift+Enter on the bar); Esc or the close
button takes the marks away. The words are matched case-insensitively and, as in the
sidebar's search, as the start of a word ("conf" marks "configuration").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextEdit, QToolButton, QWidget

MAX_MARKS = 2000
"""Matches marked at most: a word found everywhere in a long conversation stays cheap."""


def find_all(edit: QTextEdit, words: list[str]) -> list[QTextCursor]:
    """Where each word starts a word in `edit`'s document, in document order."""
    document = edit.document()
    found: dict[tuple[int, int], QTextCursor] = {}
    for word in words:
        cursor = QTextCursor(document)
        while len(found) < MAX_MARKS:
            cursor = document.find(word, cursor)
            if cursor.isNull():
                break
            start = cursor.selectionStart()
            if start == 0 or not document.characterAt(start - 1).isalnum():
                found[(start, cursor.selectionEnd())] = QTextCursor(cursor)
    return [found[key] for key in sorted(found)]


class FindHighlight(QObject):
    """The marks and the bar of one transcript view."""

    def __init__(self, view: QTextEdit) -> None:
        super().__init__(view)
        self._view = view
        self._cursors: list[QTextCursor] = []
        self._current = -1
        self.bar = _FindBar(view)
        self.bar.hide()
        self.bar.previous.clicked.connect(self.previous)
        self.bar.next.clicked.connect(self.next)
        self.bar.close_button.clicked.connect(self.clear)
        window = view.window()
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.FindNext), self.next),
            (QKeySequence(QKeySequence.StandardKey.FindPrevious), self.previous),
        ):
            shortcut = QShortcut(keys, window, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        view.installEventFilter(self)

    def count(self) -> int:
        return len(self._cursors)

    def current(self) -> int:
        """The current match's number from 0; -1 when there is none."""
        return self._current

    def show_words(self, words: list[str]) -> int:
        """Mark every match of `words` and go to the first; how many there are."""
        self._cursors = find_all(self._view, [w for w in words if w.strip()])
        self._current = 0 if self._cursors else -1
        self._refresh()
        return len(self._cursors)

    @Slot()
    def clear(self) -> None:
        self._cursors, self._current = [], -1
        self._refresh()

    @Slot()
    def next(self) -> None:
        if self._cursors:
            self._current = (self._current + 1) % len(self._cursors)
            self._refresh()

    @Slot()
    def previous(self) -> None:
        if self._cursors:
            self._current = (self._current - 1) % len(self._cursors)
            self._refresh()

    def _refresh(self) -> None:
        palette = self._view.palette()
        every = QTextCharFormat()
        tint = QColor(palette.color(QPalette.ColorRole.Highlight))
        tint.setAlphaF(0.25)
        every.setBackground(tint)
        current = QTextCharFormat()
        current.setBackground(palette.color(QPalette.ColorRole.Highlight))
        current.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
        selections = []
        for number, cursor in enumerate(self._cursors):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = current if number == self._current else every
            selections.append(selection)
        self._view.setExtraSelections(selections)
        if self._current >= 0:
            self._scroll_to(self._cursors[self._current])
            self.bar.show_place(self._current + 1, len(self._cursors))
        else:
            self.bar.hide()

    def _scroll_to(self, cursor: QTextCursor) -> None:
        """Bring a match into view, a third of the way down (context above it)."""
        bar = self._view.verticalScrollBar()
        rect = self._view.cursorRect(cursor)
        target = bar.value() + rect.top() - self._view.viewport().height() // 3
        bar.setValue(max(bar.minimum(), min(bar.maximum(), target)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the bar at the view's top right corner; Esc in the view clears the marks."""
        if event.type() == QEvent.Type.Resize:
            self.bar.place()
        elif (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and self._cursors
        ):
            self.clear()
            return True
        return False


class _FindBar(QWidget):
    """ "3 of 12" with previous, next and close: small, over the transcript's corner."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self._label = QLabel(self)
        self._label.setObjectName("findBarCount")
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self.previous = self._button("↑", self.tr("Previous match (Shift+F3)"))
        self.next = self._button("↓", self.tr("Next match (F3)"))
        self.close_button = self._button("✕", self.tr("Stop marking the matches"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self._label)
        for button in (self.previous, self.next, self.close_button):
            layout.addWidget(button)

    def _button(self, glyph: str, words: str) -> QToolButton:
        """A small button showing `glyph` (text: legible in both themes, no icon theme
        needed); `words` for its tooltip and screen readers."""
        button = QToolButton(self)
        button.setText(glyph)
        button.setAutoRaise(True)
        button.setToolTip(words)
        button.setAccessibleName(words)
        return button

    def show_place(self, number: int, count: int) -> None:
        self._label.setText(self.tr("{number} of {count}").format(number=number, count=count))
        self.adjustSize()
        self.place()
        self.show()
        self.raise_()

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move(max(0, parent.width() - self.width() - 24), 8)
