"""The offer shown when a very long text is pasted: attach it as a text file, or paste it
into the message anyway. Nothing is inserted until the person chooses; Esc drops the
paste (the clipboard still has it)."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from desktopchat.ui.support.plain import PlainLabel

LONG_PASTE_CHARS = 10_000


class LongPasteOffer(QFrame):
    """`attach_chosen(text)`, `insert_chosen(text)` or (Esc) `dismissed`; hidden again."""

    attach_chosen = Signal(str)
    insert_chosen = Signal(str)
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("longPasteOffer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._text = ""
        self._label = PlainLabel(self)
        self._label.setWordWrap(True)
        self._attach = QPushButton(self.tr("Attach as a file"), self)
        self._attach.setObjectName("attachPastedText")
        self._insert = QPushButton(self.tr("Paste into the message"), self)
        self._insert.setObjectName("insertPastedText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._attach)
        layout.addWidget(self._insert)
        self._attach.clicked.connect(lambda: self.attach_chosen.emit(self._take()))
        self._insert.clicked.connect(lambda: self.insert_chosen.emit(self._take()))
        self.hide()

    def offer(self, text: str) -> None:
        self._text = text
        count = QLocale().toString(len(text))
        self._label.setText(
            self.tr("The pasted text is long ({count} characters).").format(count=count)
        )
        self.show()
        self._attach.setFocus(Qt.FocusReason.OtherFocusReason)

    def _take(self) -> str:
        text, self._text = self._text, ""
        self.hide()
        return text

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._take()
            self.dismissed.emit()
            return
        super().keyPressEvent(event)
