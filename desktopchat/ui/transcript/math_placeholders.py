"""Formulas waiting for their picture: shown as their source, swapped in place when drawn.

A formula not in MathImages' cache is written as its source in code style, with its cache
key in a format property (MATH_KEY). Once the message is in the view's document, `track`
finds those placeholders in the inserted range only and keeps a QTextCursor at the start of
each (Qt moves cursors along with edits; a selection would grow with what is inserted right
after it). When the worker's `rendered(key)` arrives, each
placeholder of that key that is still there, unchanged, is replaced by the image: only its
block is laid out again, not the document. A placeholder that a re-render, a new page or a
clear removed no longer has the key and its source there, and is skipped. A refused formula
keeps its source, plain, with no tooltip.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import (
    QImage,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
)

from desktopchat.ui.transcript.document_images import DocumentImages
from desktopchat.ui.transcript.math_images import MathImages

MATH_KEY = QTextFormat.Property.UserProperty + 0x4D0
"""A placeholder's MathImages key (a string property of its characters)."""
MATH_CENTRED = QTextFormat.Property.UserProperty + 0x4D1
"""Set on a displayed formula alone in its paragraph: the paragraph is centred."""


def resource_key(key: str) -> str:
    """A formula's resource key in the document (DocumentImages), from its cache key."""
    return "math/" + hashlib.sha256(key.encode()).hexdigest()[:24]


def image_format(images: DocumentImages, key: str, image: QImage) -> QTextImageFormat:
    """The document's own resource for a formula's image, at its size on screen."""
    image_format = QTextImageFormat()
    image_format.setName(images.add(resource_key(key), image))
    image_format.setWidth(image.width() / image.devicePixelRatio())
    image_format.setHeight(image.height() / image.devicePixelRatio())
    image_format.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
    return image_format


def centre(cursor: QTextCursor) -> None:
    centred = QTextBlockFormat()
    centred.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    cursor.mergeBlockFormat(centred)


class MathPlaceholders(QObject):
    """The placeholders of one document, by MathImages key."""

    def __init__(self, document: QTextDocument, images: DocumentImages, math: MathImages) -> None:
        super().__init__(math)
        self._document = document
        self._images = images
        self._math = math
        self._waiting: dict[str, list[tuple[QTextCursor, str]]] = {}
        math.rendered.connect(self._on_rendered)
        math.evicted.connect(self._on_evicted)

    def waiting(self) -> int:
        """How many placeholders wait for their image (for tests)."""
        return sum(len(cursors) for cursors in self._waiting.values())

    def track(self, start: int, end: int) -> None:
        """Remember the placeholders between `start` and `end` (just inserted)."""
        block = self._document.findBlock(start)
        while block.isValid() and block.position() <= end:
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                key = fragment.charFormat().stringProperty(MATH_KEY)
                if key and start <= fragment.position() < end:
                    cursor = QTextCursor(self._document)
                    cursor.setPosition(fragment.position())
                    self._waiting.setdefault(key, []).append((cursor, fragment.text()))
                fragments += 1
            block = block.next()

    @Slot(str)
    def _on_evicted(self, key: str) -> None:
        """The cache let an image go: the document keeps it only while it shows it (it is
        drawn again if a later render needs it)."""
        self._images.forget(self._images.name_of(resource_key(key)))

    @Slot(str)
    def _on_rendered(self, key: str) -> None:
        placeholders = self._waiting.pop(key, [])
        image = self._math.cached(key)
        if image is None or not placeholders:
            return
        formula = None
        editor = QTextCursor(self._document)
        editor.beginEditBlock()
        try:
            for start, text in placeholders:
                cursor = QTextCursor(self._document)
                cursor.setPosition(start.position() + 1)
                char_format = cursor.charFormat()
                if char_format.stringProperty(MATH_KEY) != key:
                    continue  # gone or changed since
                cursor.setPosition(start.position())
                cursor.setPosition(start.position() + len(text), QTextCursor.MoveMode.KeepAnchor)
                if cursor.selectedText() != text:
                    continue
                if formula is None:
                    formula = image_format(self._images, key, image)
                cursor.insertImage(formula)
                if char_format.boolProperty(MATH_CENTRED):
                    centre(cursor)
        finally:
            editor.endEditBlock()
