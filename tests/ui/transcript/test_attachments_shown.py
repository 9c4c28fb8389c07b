"""Files attached to a person's message: lines for documents, thumbnails for pictures that
open whole on click, names as inert text."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QImage, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QApplication

from desktopchat.domain.types import Attachment, AttachmentKind, Role
from desktopchat.services.attachments import NO_TEXT_NOTE
from desktopchat.services.history import StorageError
from desktopchat.ui.transcript import attachment_images
from desktopchat.ui.transcript.attachment_images import ImageViewer, decode_image
from desktopchat.ui.transcript.chat_view import ChatView
from tests.ui.transcript.test_chat_view import click_link, hrefs, message, reply


def png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


PICTURE = png(1600, 1200)
SHA = hashlib.sha256(PICTURE).hexdigest()


def asking(attachments, text: str = "Look") -> object:
    return message(1, Role.USER, text, attachments=tuple(attachments))


@pytest.fixture
def view(qtbot):
    widget = ChatView(open_url=lambda url: None)
    widget.resize(800, 600)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def first_frame_text(view: ChatView) -> str:
    frame = view._conversation.frames[1]
    cursor = frame.firstCursorPosition()
    cursor.setPosition(frame.lastPosition(), cursor.MoveMode.KeepAnchor)
    return cursor.selection().toPlainText()


def thumbnails(view: ChatView) -> list[QTextImageFormat]:
    found = []
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            char_format = fragments.fragment().charFormat()
            if char_format.isImageFormat() and "thumbnail/" in char_format.toImageFormat().name():
                found.append(char_format.toImageFormat())
            fragments += 1
        block = block.next()
    return found


@pytest.mark.parametrize("stored", [NO_TEXT_NOTE, "no text found: a scanned PDF?"])
def test_a_document_shows_its_name_size_and_note(qtbot, view, stored):
    """The note is stored as a kind (earlier versions stored the English words) and worded
    when shown."""
    scanned = Attachment(
        AttachmentKind.DOCUMENT,
        "scan.pdf",
        "application/pdf",
        2_400_000,
        sha256="ab" * 32,
        note=stored,
    )
    view.show_conversation([asking([scanned]), reply(2, "OK")])
    text = first_frame_text(view)
    assert "scan.pdf · 2.4 MB" in text
    assert "No text found: a scanned PDF?" in text
    assert text.index("scan.pdf") < text.index("Look")


def test_a_hostile_file_name_is_inert_text(qtbot, view):
    name = "<img src='file:///etc/passwd'><b>x</b>.txt"
    hostile = Attachment(AttachmentKind.DOCUMENT, name, "text/plain", 12)
    view.show_conversation([asking([hostile])])
    assert name in first_frame_text(view)
    assert not any(href.startswith("file") for href in hrefs(view))


def test_a_picture_without_bytes_shows_its_name_and_note(qtbot, view):
    imported = Attachment(
        AttachmentKind.IMAGE, "photo.jpg", "image/jpeg", 0, note="left out by the import"
    )
    view.show_conversation([asking([imported])])
    text = first_frame_text(view)
    assert "photo.jpg" in text and "left out by the import" in text
    assert thumbnails(view) == []


def test_a_picture_becomes_a_thumbnail_that_opens_whole(qtbot, qloop, view):
    reads: list[str] = []

    async def read_blob(sha256: str) -> bytes | None:
        reads.append(sha256)
        return PICTURE if sha256 == SHA else None

    view.set_blob_reader(read_blob)
    picture = Attachment(AttachmentKind.IMAGE, "cat.png", "image/png", len(PICTURE), SHA)
    view.show_conversation([asking([picture]), reply(2, "A cat")])
    qtbot.waitUntil(lambda: len(thumbnails(view)) == 1)
    thumbnail = thumbnails(view)[0]
    assert thumbnail.height() <= 120 and thumbnail.width() == pytest.approx(160, abs=1)
    resource = view.document().resource(
        QTextDocument.ResourceType.ImageResource.value, thumbnail.name()
    )
    assert resource is not None and resource.height() <= 240  # held small, not the photo
    assert (
        view.loadResource(QTextDocument.ResourceType.ImageResource.value, thumbnail.name()) is None
    )
    click_link(qtbot, view, "dc-action:attachment/1/0")
    qtbot.waitUntil(lambda: viewers() != [])
    viewer = viewers()[0]
    assert not viewer.isModal()
    assert viewer.windowTitle() == "cat.png"
    shown = viewer.image_label.pixmap().size()
    screen = viewer.screen().availableSize()
    assert shown.width() <= screen.width() and shown.height() <= screen.height()
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isVisible())
    assert reads == [SHA, SHA]  # the thumbnail, then the whole picture on click


def viewers() -> list[ImageViewer]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ImageViewer) and w.isVisible()
    ]


def test_decoding_fits_the_thumbnail_box():
    image = decode_image(PICTURE, fit=QSize(480, 240))
    assert (image.width(), image.height()) == (320, 240)
    assert decode_image(b"not a picture").isNull()


def test_a_blob_the_history_cannot_read_leaves_the_name(qtbot, qloop, view):
    asked: list[str] = []

    async def failing(sha256: str) -> bytes | None:
        asked.append(sha256)
        raise StorageError("corrupt", "database disk image is malformed")

    view.set_blob_reader(failing)
    picture = Attachment(AttachmentKind.IMAGE, "cat.png", "image/png", len(PICTURE), SHA)
    view.show_conversation([asking([picture])])
    qtbot.waitUntil(lambda: asked == [SHA])
    qtbot.wait(50)
    assert thumbnails(view) == []
    assert "cat.png" in first_frame_text(view)


def test_only_the_recent_thumbnails_are_kept(qtbot, qloop, view, monkeypatch):
    monkeypatch.setattr(attachment_images, "KEPT_THUMBNAILS", 2)
    pictures = {hashlib.sha256(bytes([n])).hexdigest(): png(40 + n, 30) for n in range(3)}

    async def read_blob(sha256: str) -> bytes | None:
        return pictures.get(sha256)

    view.set_blob_reader(read_blob)
    for number, sha in enumerate(pictures, start=1):
        picture = Attachment(AttachmentKind.IMAGE, f"{number}.png", "image/png", 10, sha)
        view.show_conversation([message(number, Role.USER, "x", attachments=(picture,))])
        qtbot.waitUntil(lambda: len(thumbnails(view)) == 1)
    images = view._conversation.images
    kept = [sha for sha in pictures if images.is_ours(images._prefix + f"thumbnail/{sha}")]
    assert kept == list(pictures)[1:]
