"""The pictures a person attached, read from the history and shown small, or whole on click.

The bytes live in the history as blobs (HistoryService.blob reads them off the loop); they
are decoded in a worker thread (a photo takes tens of milliseconds), a thumbnail straight at
its small size (QImageReader scales while decoding where the format allows). A thumbnail is
put into the document as one of its own resources (document_images.py: a random name the
model cannot guess; loadResource still refuses everything else). The full picture is read
again only when it is opened: a conversation full of photos keeps only thumbnails in memory.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from desktopchat.services.history import StorageError
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.transcript.document_images import DocumentImages

THUMBNAIL_HEIGHT = 120
"""A thumbnail's height in the conversation (its width follows, up to twice that)."""
KEPT_THUMBNAILS = 64
"""Thumbnails kept for conversations shown again (~300 KB each); older ones are dropped
when the document is next cleared and read again if they are shown again (P5)."""

BlobReader = Callable[[str], Awaitable[bytes | None]]


def decode_image(data: bytes, fit: QSize | None = None) -> QImage:
    """Decode `data` (any thread), scaled down to fit `fit` when given; a null image if it
    is not a picture Qt reads."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if fit is not None and size.isValid():
        scaled = size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio)
        if scaled.width() < size.width():
            reader.setScaledSize(scaled)
    image = reader.read()
    if fit is not None and not image.isNull() and image.height() > fit.height():
        image = image.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio)
    return image


class AttachmentImages(QObject):
    """Thumbnails by blob hash for one document, loaded when first shown."""

    loaded = Signal(str)
    """A thumbnail is in the document now (its blob's sha256): show it."""

    def __init__(self, images: DocumentImages, parent: QObject) -> None:
        super().__init__(parent)
        self._images = images
        self._reader: BlobReader | None = None
        self._names: OrderedDict[str, str] = OrderedDict()
        """sha256 → resource name, least recently shown first."""
        self._asked: set[str] = set()
        self._viewers: list[ImageViewer] = []
        self.tasks = Tasks()
        """Reading and decoding pictures; the window adopts it (it ends with the window)."""

    def set_reader(self, reader: BlobReader | None) -> None:
        """How to read a blob (HistoryService.blob); without one, pictures show as names."""
        self._reader = reader

    def thumbnail(self, sha256: str) -> str | None:
        """The thumbnail's resource name, or None (then it is asked for, once)."""
        name = self._names.get(sha256)
        if name is not None:
            self._names.move_to_end(sha256)
        elif self._reader is not None and sha256 not in self._asked:
            self._asked.add(sha256)
            self.tasks.spawn(self._load(sha256))
        return name

    async def _read(self, sha256: str) -> bytes | None:
        """The blob's bytes; None when the history cannot give them (its failures are said
        by the window; the picture then stays a line with its name)."""
        try:
            return await self._reader(sha256)
        except StorageError:
            return None

    async def _load(self, sha256: str) -> None:
        data = await self._read(sha256)
        if not data:
            return
        fit = QSize(THUMBNAIL_HEIGHT * 4, THUMBNAIL_HEIGHT * 2)  # drawn at half: sharp
        image = await asyncio.to_thread(decode_image, data, fit)
        if image.isNull():
            return
        self._names[sha256] = self._images.add(f"thumbnail/{sha256}", image)
        while len(self._names) > KEPT_THUMBNAILS:
            old, name = self._names.popitem(last=False)
            self._images.forget(name)
            self._asked.discard(old)
        self.loaded.emit(sha256)

    def open_full(self, sha256: str, name: str, parent: QWidget) -> None:
        """Show the picture whole in its own window (non-modal)."""
        if self._reader is not None:
            self.tasks.spawn(self._open_full(sha256, name, parent))

    async def _open_full(self, sha256: str, name: str, parent: QWidget) -> None:
        data = await self._read(sha256)
        if not data:
            return
        image = await asyncio.to_thread(decode_image, data)
        if image.isNull():
            return
        viewer = ImageViewer(image, name, parent)
        viewer.finished.connect(lambda _result: self._viewers.remove(viewer))
        self._viewers.append(viewer)
        viewer.show()  # not open(): that would make it window-modal
        viewer.raise_()
        viewer.activateWindow()


class ImageViewer(QDialog):
    """A picture at full size, scaled down to fit the screen; Esc closes it."""

    def __init__(self, image: QImage, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageViewer")
        self.setModal(False)
        self.setWindowTitle(name)  # a window title is plain text
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(name)
        screen = (parent.screen() if parent is not None else self.screen()).availableSize()
        room = QSize(int(screen.width() * 0.9), int(screen.height() * 0.85))
        pixmap = QPixmap.fromImage(image)
        if pixmap.width() > room.width() or pixmap.height() > room.height():
            pixmap = pixmap.scaled(
                room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        label.setPixmap(pixmap)
        self.image_label = label
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)  # Esc closes a QDialog (reject)
