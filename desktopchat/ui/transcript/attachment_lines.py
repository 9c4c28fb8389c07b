"""The files attached to a person's message, above its text in the bubble.

A document is a line with an icon, its name and size, and what could not be read of it (the
note, e.g. "No text found: a scanned PDF?", stored as a kind and worded when shown). A picture
is a thumbnail once its bytes are read (attachment_images.py), a line with its name until
then, and for good when the history has no bytes for it (an import keeps the name and the
note only). Names are text from outside: inserted as plain text, never as rich text (R6). A
thumbnail is an action link (`dc-action:attachment/<message>/<index>`) that opens the picture whole.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontMetricsF, QTextCharFormat, QTextCursor, QTextImageFormat

from desktopchat.domain.types import Attachment, AttachmentKind, Message
from desktopchat.services.attachments import NO_TEXT_NOTE, OLD_NO_TEXT_NOTE
from desktopchat.ui.support.units import data_size
from desktopchat.ui.transcript.actions import MessageAction, action_url
from desktopchat.ui.transcript.attachment_images import THUMBNAIL_HEIGHT, AttachmentImages
from desktopchat.ui.transcript.document_images import ICON_SIZE, DocumentImages
from desktopchat.ui.transcript.formats import FACT_TOOLTIP, ChatFormats

SEPARATOR = " · "


def describe(attachment: Attachment) -> str:
    """ "name · 1.2 MB" (the note is written apart, in its own style)."""
    size = data_size(attachment.size)
    return f"{attachment.name}{SEPARATOR}{size}"


def note_text(note: str | None) -> str:
    """An attachment's note in the person's language. Ours is stored as a kind; the notes
    importers wrote are English sentences, known ones worded here too (a server's or an
    archive's own words are shown as they are)."""
    if not note:
        return ""
    if note in (NO_TEXT_NOTE, OLD_NO_TEXT_NOTE):
        return QCoreApplication.translate("ChatView", "No text found: a scanned PDF?")
    imported = {
        "Its text was not in the Claude export": QCoreApplication.translate(
            "ChatView", "Its text was not in the Claude export"
        ),
        "The file itself is not in the Claude export": QCoreApplication.translate(
            "ChatView", "The file itself is not in the Claude export"
        ),
        "The file was not found beside the export": QCoreApplication.translate(
            "ChatView", "The file was not found beside the export"
        ),
    }
    if note in imported:
        return imported[note]
    prefix = "Not in the ChatGPT export's conversations ("
    if note.startswith(prefix) and note.endswith(")"):
        return QCoreApplication.translate(
            "ChatView", "Not in the ChatGPT export's conversations (%1)"
        ).replace("%1", note[len(prefix) : -1])
    return note


class AttachmentLines:
    """Writes the attachment lines of person's messages into the conversation document."""

    def __init__(
        self, images: DocumentImages, thumbnails: AttachmentImages, formats: ChatFormats
    ) -> None:
        self._images = images
        self.thumbnails = thumbnails
        self.formats = formats

    def width(self, message: Message, font: QFont) -> float:
        """The widest attachment line, for the bubble's width."""
        metrics = QFontMetricsF(font)
        widest = 0.0
        for attachment in message.attachments:
            note = note_text(attachment.note)
            line = describe(attachment) + (SEPARATOR + note if note else "")
            widest = max(widest, ICON_SIZE + 8 + metrics.horizontalAdvance(line))
            if attachment.kind is AttachmentKind.IMAGE and attachment.sha256:
                widest = max(widest, THUMBNAIL_HEIGHT * 2)
        return widest

    def write(self, cursor: QTextCursor, message: Message) -> None:
        """The lines after the block `cursor` is at the end of; the cursor ends after them."""
        formats = self.formats
        for index, attachment in enumerate(message.attachments):
            cursor.insertBlock(formats.attachment_block, formats.small_muted)
            thumbnail = (
                self.thumbnails.thumbnail(attachment.sha256)
                if attachment.kind is AttachmentKind.IMAGE and attachment.sha256
                else None
            )
            if thumbnail is not None:
                self._write_thumbnail(cursor, thumbnail, attachment, message.id, index)
            else:
                self._write_line(cursor, attachment)

    def _write_thumbnail(
        self, cursor: QTextCursor, name: str, attachment: Attachment, message_id: int, index: int
    ) -> None:
        image = self._images.image(name)  # decoded at up to twice its shown size
        scale = min(THUMBNAIL_HEIGHT / max(1, image.height()), 0.5)
        picture = QTextImageFormat()
        picture.setName(name)
        picture.setWidth(image.width() * scale)
        picture.setHeight(image.height() * scale)
        picture.setAnchor(True)
        picture.setAnchorHref(action_url(MessageAction.ATTACHMENT, message_id, index))
        picture.setProperty(FACT_TOOLTIP, attachment.name)
        cursor.insertImage(picture)

    def _write_line(self, cursor: QTextCursor, attachment: Attachment) -> None:
        formats = self.formats
        icon_name = "image" if attachment.kind is AttachmentKind.IMAGE else "document"
        kind = (
            QCoreApplication.translate("ChatView", "Picture")
            if attachment.kind is AttachmentKind.IMAGE
            else QCoreApplication.translate("ChatView", "Document")
        )
        icon = self._images.icon_format(icon_name, formats.muted_colour, formats.small_muted, kind)
        cursor.insertImage(icon)
        text = QTextCharFormat(formats.small_muted)
        text.setProperty(FACT_TOOLTIP, attachment.name)
        cursor.insertText(" " + describe(attachment), text)
        if attachment.note:
            cursor.insertText(SEPARATOR, formats.small_muted)
            cursor.insertText(note_text(attachment.note), formats.notice)
