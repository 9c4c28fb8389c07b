"""Editing a person's message in place: a text box over the message, Resend and Cancel.

The conversation is one document, so the editor is a widget the view lays over the
message's place in the viewport (and moves as the view scrolls); the message frame keeps a
fixed height meanwhile, the editor's, so the replies below move down to make room.
Ctrl+Enter resends, Esc cancels. A modal dialog (the old way) hid the conversation the
person was editing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextFrame, QTextFrameFormat, QTextLength
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui.support.plain import PlainLabel

MIN_TEXT_HEIGHT = 72
MAX_TEXT_HEIGHT = 320


class InlineEditor(QFrame):
    """The box; the view owns its place, this owns its keys and buttons."""

    submitted = Signal(object, str)  # message id, text
    cancelled = Signal(object)  # message id

    def __init__(self, message_id: int, text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.setObjectName("inlineEditor")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.editor = QPlainTextEdit(text, objectName="inlineEditorText")
        self.editor.setAccessibleName(self.tr("Edit message"))
        self.editor.setFrameShape(QFrame.Shape.NoFrame)
        self.editor.installEventFilter(self)
        note = PlainLabel(self.tr("Ctrl+Enter resends, Esc cancels."))
        note.setObjectName("inlineEditorNote")
        note.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="inlineEditorCancel")
        self.resend_button = QPushButton(self.tr("Resend"), objectName="inlineEditorResend")
        self.resend_button.setDefault(True)
        self.cancel_button.clicked.connect(self.cancel)
        self.resend_button.clicked.connect(self.submit)
        self.editor.textChanged.connect(self._on_text_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(note, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.resend_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def preferred_height(self, width: int, at_least: float) -> int:
        """The height for `width`: the text's, within limits, and at least `at_least`
        (the message's own height, so the box covers it)."""
        self.resize(width, self.height() or 100)
        document = self.editor.document()
        document.setTextWidth(self.editor.viewport().width())
        lines = document.size().height() * self.editor.fontMetrics().lineSpacing()
        text_height = min(MAX_TEXT_HEIGHT, max(MIN_TEXT_HEIGHT, lines + 12))
        margins = self.layout().contentsMargins()
        chrome = margins.top() + margins.bottom() + self.resend_button.sizeHint().height() + 8
        return int(max(at_least, text_height + chrome))

    @Slot()
    def submit(self) -> None:
        if self.text():
            self.submitted.emit(self.message_id, self.text())

    @Slot()
    def cancel(self) -> None:
        self.cancelled.emit(self.message_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.cancel()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self.submit()
                return True
        return super().eventFilter(watched, event)

    @Slot()
    def _on_text_changed(self) -> None:
        self.resend_button.setEnabled(bool(self.text()))


class InlineEditing(QObject):
    """Places at most one InlineEditor over its message in a conversation view."""

    submitted = Signal(object, str)

    def __init__(self, view: QTextEdit, frames: dict[int, QTextFrame]) -> None:
        super().__init__(view)
        self._view = view
        self._frames = frames
        self.editor: InlineEditor | None = None
        self._saved_format: QTextFrameFormat | None = None

    @property
    def frame_position(self) -> int | None:
        """The first position of the frame being edited (its bubble is not painted)."""
        if self.editor is None or self.editor.message_id not in self._frames:
            return None
        return self._frames[self.editor.message_id].firstPosition()

    def start(self, message_id: int, text: str) -> None:
        """Open the editor over a shown message (closing any other one first)."""
        self.stop()
        frame = self._frames.get(message_id)
        if frame is None:
            return
        editor = InlineEditor(message_id, text, self._view.viewport())
        editor.submitted.connect(self._on_submitted)
        editor.cancelled.connect(lambda _id: self.stop())
        self.editor = editor
        self._saved_format = frame.frameFormat()
        self.place()
        editor.show()
        editor.editor.setFocus()
        self._scroll_into_view(editor.geometry())

    def _scroll_into_view(self, rect) -> None:
        scroll_bar = self._view.verticalScrollBar()
        height = self._view.viewport().height()
        if rect.bottom() > height:
            scroll_bar.setValue(scroll_bar.value() + min(rect.top(), rect.bottom() - height + 12))
        elif rect.top() < 0:
            scroll_bar.setValue(scroll_bar.value() + rect.top() - 12)

    def stop(self) -> None:
        """Close the editor and give the message its place back."""
        editor, self.editor = self.editor, None
        if editor is None:
            return
        frame = self._frames.get(editor.message_id)
        if frame is not None and self._saved_format is not None:
            frame.setFrameFormat(self._saved_format)
        self._saved_format = None
        editor.hide()
        editor.deleteLater()
        self._view.viewport().update()
        self._view.setFocus()

    def place(self) -> None:
        """Lay the editor over its message's place (after scrolling, resizing, edits)."""
        editor = self.editor
        if editor is None or self._saved_format is None:
            return
        frame = self._frames.get(editor.message_id)
        if frame is None:
            self.stop()
            return
        layout = self._view.document().documentLayout()
        root = self._view.document().rootFrame().frameFormat()
        left = root.leftMargin()
        width = self._view.viewport().width() - left - root.rightMargin()
        natural = self._natural_height(layout, frame)
        height = editor.preferred_height(int(width), natural)
        sized = QTextFrameFormat(self._saved_format)
        sized.setHeight(QTextLength(QTextLength.Type.FixedLength, height))
        if frame.frameFormat().height().rawValue() != height:
            frame.setFrameFormat(sized)
        top = layout.frameBoundingRect(frame).top() + sized.topMargin()
        editor.setGeometry(
            int(left - self._view.horizontalScrollBar().value()),
            int(top - self._scroll()),
            int(width),
            height,
        )

    def _natural_height(self, layout, frame: QTextFrame) -> float:
        frame_format = frame.frameFormat()
        if frame_format.height().type() == QTextLength.Type.FixedLength:
            return frame_format.height().rawValue()
        return layout.frameBoundingRect(frame).height() - frame_format.topMargin()

    def _scroll(self) -> int:
        return self._view.verticalScrollBar().value()

    @Slot(object, str)
    def _on_submitted(self, message_id: int, text: str) -> None:
        """Left open: the edit stays there until the new branch is shown (which closes
        it), so an edit refused (too long for the model's context) keeps its text."""
        self.submitted.emit(message_id, text)
