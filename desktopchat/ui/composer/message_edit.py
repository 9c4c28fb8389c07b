"""The message box's text field: a plain-text input where pasting drops formatting and
stays fast for big text; images, files and very long text become attachments."""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData, QRegularExpression, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QPlainTextEdit

from desktopchat.ui.composer.paste_offer import LONG_PASTE_CHARS

LONG_WORD_LENGTH = 2000
"""Past this many characters without a space, word wrapping turns quadratic in Qt (a
200,000-character base64 blob takes 11 s to lay out): such text is wrapped anywhere."""

_LONG_WORD = re.compile(rf"\S{{{LONG_WORD_LENGTH}}}")
NON_SPACE = QRegularExpression(r"\S")


class MessageEdit(QPlainTextEdit):
    """A plain-text input: pasting drops formatting, and stays fast for big text. Images,
    files and very long text go to `mime_pasted`, which the composer turns into attachments."""

    mime_pasted = Signal(QMimeData)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText() or source.hasImage() or source.hasUrls()

    def insertFromMimeData(self, source: QMimeData) -> None:
        if is_attachment_mime(source):
            self.mime_pasted.emit(source)
        elif source.hasText():
            text = source.text()
            self.adapt_wrapping(text)
            self.insertPlainText(text)

    def adapt_wrapping(self, incoming: str) -> None:
        """Wrap anywhere if ``incoming`` holds a very long word, to keep the UI responsive."""
        if _LONG_WORD.search(incoming):
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)

    def reset_wrapping(self) -> None:
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)


def is_attachment_mime(source: QMimeData) -> bool:
    """A paste or drop that becomes attachments: an image, local files, or a long text."""
    if source.hasImage() or any(url.isLocalFile() for url in source.urls()):
        return True
    return source.hasText() and len(source.text()) > LONG_PASTE_CHARS
