"""Why a reply failed, and the error box that says it under the reply's text.

The box is a nested frame in the message's frame, between its content and its footer, so it
is found and replaced with the rest of the message when the message is drawn again; it says
the error in the UI's language and offers Retry (R5: retry in one click) and, when the key
was at fault, Open Settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCursor

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Message, MessageStatus
from desktopchat.ui.support.old_errors import reworded
from desktopchat.ui.support.translation import describe_error
from desktopchat.ui.transcript.actions import MessageAction, action_url
from desktopchat.ui.transcript.formats import ChatFormats
from desktopchat.ui.transcript.markdown import link_format
from desktopchat.ui.transcript.message_footer import SEPARATOR


@dataclass(frozen=True)
class Failure:
    """Why a reply failed, in the UI's language, and whether Settings can fix it; every
    failure offers Retry (R5: retry in one click, once the key or model is changed)."""

    text: str
    key_problem: bool = False

    @classmethod
    def of_error(cls, error: ChatError) -> Failure:
        """The error worded now, in the language of the day, with Settings for a key."""
        return cls(describe_error(error), key_problem=error.key_problem)

    @classmethod
    def of_stored(cls, message: Message) -> Failure | None:
        """How a FAILED message from the store shows its error; None for any other message.

        A reply stored before errors were kept by kind shows the words it stored, and only
        Retry (whether a key was at fault is not known)."""
        if message.status is not MessageStatus.FAILED:
            return None
        if message.error is not None:
            return cls.of_error(message.error)
        return cls(
            reworded(message.error_text)
            if message.error_text
            else QCoreApplication.translate("ChatView", "The reply failed.")
        )


def write_error_box(
    cursor: QTextCursor,
    formats: ChatFormats,
    message_id: int,
    failure: Failure,
    *,
    with_actions: bool,
) -> None:
    """The error box, then the cursor in the (footer) block after it; `with_actions`: Retry
    and, for a key, Open Settings under the words (not where nothing can be retried)."""
    box = cursor.insertFrame(formats.error_frame)
    cursor.setBlockFormat(formats.plain_block)
    cursor.insertText(failure.text, formats.text)
    if with_actions:
        cursor.insertBlock(formats.footer_block, formats.small_muted)
        labels = [(QCoreApplication.translate("ChatView", "Retry"), MessageAction.RETRY)]
        if failure.key_problem:
            labels.append(
                (QCoreApplication.translate("ChatView", "Open Settings"), MessageAction.SETTINGS)
            )
        for index, (label, action) in enumerate(labels):
            if index:
                cursor.insertText(SEPARATOR, formats.small_muted)
            cursor.insertText(
                label, link_format(formats.small_link, action_url(action, message_id))
            )
    cursor.setPosition(box.lastPosition() + 1)
    cursor.setBlockFormat(formats.footer_block)
