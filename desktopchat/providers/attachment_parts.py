"""What both wire formats say the same way about attachments: a document's text with its
name, and an image's bytes as base64.

A document travels as a text part headed by its file name, so the model can tell files
apart and name them back; the name is quoted (a name can hold anything) and a document no
text could be read from (a scanned PDF) says so instead of arriving as nothing.
"""

from __future__ import annotations

import base64
import html

from desktopchat.domain.types import AttachmentKind, AttachmentPayload

NO_TEXT = "(No text could be extracted from this file: it may be a scanned image.)"
"""What the model reads for a document without text, in English like the rest of the
request's framing."""


def is_image(payload: AttachmentPayload) -> bool:
    """An image with bytes to send (an image whose bytes are gone is described as text)."""
    return payload.kind is AttachmentKind.IMAGE and payload.data is not None


def document_text(payload: AttachmentPayload) -> str:
    """`<file name="report.pdf">…</file>`, the name escaped so it cannot close the tag."""
    name = html.escape(payload.name, quote=True)
    if payload.kind is AttachmentKind.IMAGE:
        body = "(An image that could not be kept.)"
    else:
        body = payload.text if payload.text and payload.text.strip() else NO_TEXT
    return f'<file name="{name}">\n{body}\n</file>'


def image_base64(payload: AttachmentPayload) -> str:
    """The image's bytes as base64 text (the caller checked `is_image`)."""
    return base64.b64encode(payload.data or b"").decode("ascii")
