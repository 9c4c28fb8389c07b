"""A reply's tool calls in the conversation document: one folded line per call, where the
model stopped to call it, unfolding to what the tool got and what it answered.

The reply's text is cut at each step's `text_end` (domain/tool_calls.py `step_texts`); the
calls of a step follow its text. A call's line ("⚙ server · tool — 1.2 s ✓", "running… 3 s
Stop", "denied", …) is a link with a disclosure icon (`dc-action:tool/<message>/<index>`, a
Tab stop like the reasoning line). Unfolded, it shows the arguments, the result's text, its
pictures, or the error. A call waiting for the person's answer is an empty block with the
approval card's height (approval_cards.py lays the card over it).

Everything here came from a model or a server (R6): inserted as plain text, never Markdown
nor rich text; pictures are decoded from the stored bytes within size limits. What an open
block shows is capped (SHOWN_CHARS, "Show all" up to SHOW_ALL_CHARS); the whole result
stays in the history.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QLocale, QSize, Qt
from PySide6.QtGui import (
    QFontDatabase,
    QImage,
    QImageReader,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextImageFormat,
)

from desktopchat.domain.tool_calls import LoopEnd, ToolCall, ToolCallStatus, ToolSteps
from desktopchat.domain.tools import ToolOutput
from desktopchat.ui.support.units import duration
from desktopchat.ui.transcript.actions import MessageAction, action_url
from desktopchat.ui.transcript.long_words import with_breaks
from desktopchat.ui.transcript.markdown import link_format

if TYPE_CHECKING:
    from desktopchat.ui.transcript.chat_document import ConversationDocument

TOOL_LINE = QTextFormat.Property.UserProperty + 20
"""On a call's line (and a card's room): "<message id>/<call id>"."""
CARD_ROOM = QTextFormat.Property.UserProperty + 21
"""On the empty block an approval card is laid over: the call id."""
SHOWN_CHARS = 20_000
SHOW_ALL_CHARS = 1_000_000
"""Characters of a result an open block shows, and shows after "Show all"."""
IMAGE_BYTES = 16 * 1024 * 1024
IMAGE_PIXELS = 12_000_000
IMAGE_SHOWN = QSize(480, 360)
"""Pictures larger than these (encoded bytes, decoded pixels) are not decoded; the rest
are scaled down to fit IMAGE_SHOWN. Decoded on the loop thread, only when a call's block is
unfolded, once per picture (kept in the document's images)."""


def call_line(call: ToolCall, elapsed: float | None = None) -> str:
    """ "⚙ server · tool — 1.2 s ✓" and its other states, in words."""
    name = f"⚙ {call.server} · {call.tool}" if call.server else f"⚙ {call.tool}"
    status = call.status
    took = duration(call.duration) if call.duration is not None else ""
    if status is ToolCallStatus.DONE:
        if call.output is not None and call.output.is_error:
            return QCoreApplication.translate(
                "ChatView", "{name} — {time}, the tool reported an error"
            ).format(name=name, time=took)
        return f"{name} — {took} ✓"
    if status is ToolCallStatus.RUNNING:
        return QCoreApplication.translate("ChatView", "{name} — running… {time}").format(
            name=name, time=duration(elapsed or 0.0)
        )
    words = {
        ToolCallStatus.ASKING: QCoreApplication.translate("ChatView", "waiting for your answer"),
        ToolCallStatus.QUEUED: QCoreApplication.translate("ChatView", "allowed, waiting"),
        ToolCallStatus.FAILED: QCoreApplication.translate("ChatView", "failed"),
        ToolCallStatus.DENIED: QCoreApplication.translate("ChatView", "denied"),
        ToolCallStatus.CANCELLED: QCoreApplication.translate("ChatView", "stopped"),
        ToolCallStatus.INTERRUPTED: QCoreApplication.translate("ChatView", "interrupted"),
    }[status]
    return f"{name} — {words}"


def result_text(output: ToolOutput) -> str:
    """The text of a tool's answer (its text and resource parts, or its structured value)."""
    texts = [part.text for part in output.parts if part.text]
    if not texts and output.structured:
        texts = [output.structured]
    return "\n".join(texts)


def decode_picture(data: str, mime_type: str) -> QImage | None:
    """A tool's picture (base64), decoded within limits and scaled to IMAGE_SHOWN; None
    when it is too big, not an image, or broken."""
    if len(data) > IMAGE_BYTES * 4 // 3 + 4 or not mime_type.startswith("image/"):
        return None
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(raw))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > IMAGE_PIXELS:
        return None
    if size.width() > IMAGE_SHOWN.width() or size.height() > IMAGE_SHOWN.height():
        reader.setScaledSize(size.scaled(IMAGE_SHOWN, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


class ToolBlocks:
    """Writes the calls of one document's replies, and remembers which are open."""

    def __init__(self, conversation: ConversationDocument) -> None:
        self._conversation = conversation
        self._open: set[tuple[int, int]] = set()
        """(message id, call index) unfolded by the person."""
        self._all: set[tuple[int, int]] = set()
        """(message id, call index) whose whole result the person asked to see."""
        self.asking: dict[str, int] = {}
        """Call id → the card's height: calls shown as a card's room, not as a line."""
        self._settled: dict[int, int] = {}
        """Streaming reply → blocks after its reasoning that hold finished steps."""

    def clear(self) -> None:
        self._settled.clear()

    def toggle(self, message_id: int, index: int) -> None:
        key = (message_id, index)
        self._open.symmetric_difference_update({key})

    def show_all(self, message_id: int, index: int) -> None:
        self._all.add((message_id, index))
        self._open.add((message_id, index))

    # --- where a streaming reply's text goes on --------------------------------------

    def settle(self, message_id: int) -> None:
        """What the message's frame holds now (its earlier steps) stays; text streamed from
        now on goes after it (content_start)."""
        conversation = self._conversation
        first = conversation.document.findBlock(conversation.reasoning.end(message_id))
        last = conversation.document.findBlock(conversation.content_end(message_id))
        self._settled[message_id] = last.blockNumber() - first.blockNumber()

    def unsettle(self, message_id: int) -> None:
        self._settled.pop(message_id, None)

    def content_start(self, message_id: int) -> int:
        """Where a message's (streaming) content goes on: after its reasoning and the steps
        already written."""
        end = self._conversation.reasoning.end(message_id)
        blocks = self._settled.get(message_id)
        if not blocks:
            return end
        document = self._conversation.document
        block = document.findBlockByNumber(document.findBlock(end).blockNumber() + blocks)
        return block.position() + block.length() - 1

    # --- writing -----------------------------------------------------------------------

    def write_step_calls(
        self, cursor: QTextCursor, message_id: int, calls: tuple[ToolCall, ...], first: int
    ) -> None:
        """The lines of one step's calls at `cursor` (numbered from `first` in the reply)."""
        for offset, call in enumerate(calls):
            index = first + offset
            if call.call_id in self.asking and call.status is ToolCallStatus.ASKING:
                self._card_room(cursor, message_id, call)
                continue
            self._line(cursor, message_id, index, call)
            if (message_id, index) in self._open:
                self._details(cursor, message_id, index, call)

    def write_end(self, cursor: QTextCursor, steps: ToolSteps) -> None:
        if steps.end is LoopEnd.STEP_LIMIT:
            formats = self._conversation.formats
            cursor.insertBlock(formats.plain_block, formats.notice)
            limit = QCoreApplication.translate(
                "ChatView", "The reply stopped at the limit of tool call rounds ({count})."
            ).format(count=QLocale().toString(len(steps.steps)))
            then = QCoreApplication.translate("ChatView", "Send a message to let it go on.")
            cursor.insertText(f"{limit} {then}", formats.notice)

    def update_line(self, message_id: int, call: ToolCall, text: str) -> bool:
        """Rewrite a call's line in place (a running call's time); False if not shown."""
        frame = self._conversation.frames.get(message_id)
        if frame is None:
            return False
        wanted = f"{message_id}/{call.call_id}"
        block = frame.firstCursorPosition().block()
        while block.isValid() and block.position() <= frame.lastPosition():
            if block.blockFormat().property(TOOL_LINE) == wanted:
                cursor = QTextCursor(block)
                fragments = block.begin()
                while not fragments.atEnd():  # the line's text is its last fragment
                    fragment = fragments.fragment()
                    fragments += 1
                cursor.setPosition(fragment.position())
                cursor.setPosition(
                    fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                )
                cursor.insertText(" " + text, fragment.charFormat())
                return True
            block = block.next()
        return False

    def _line(self, cursor: QTextCursor, message_id: int, index: int, call: ToolCall) -> None:
        formats = self._conversation.formats
        open_ = (message_id, index) in self._open
        href = action_url(MessageAction.TOOL, message_id, index)
        block = QTextBlockFormat(formats.reasoning_line_block)
        block.setProperty(TOOL_LINE, f"{message_id}/{call.call_id}")
        cursor.insertBlock(block, formats.small_muted)
        icon = self._conversation.images.icon_format(
            "chevron" if open_ else "next",
            formats.muted_colour,
            formats.small_muted,
            QCoreApplication.translate("ChatView", "Hide the tool call")
            if open_
            else QCoreApplication.translate("ChatView", "Show the tool call"),
        )
        icon.setAnchorHref(href)
        cursor.insertImage(icon)
        if call.status is ToolCallStatus.RUNNING:
            stop = action_url(MessageAction.STOP, message_id)
            cursor.insertText(" ", formats.small_muted)
            cursor.insertText(
                QCoreApplication.translate("ChatView", "Stop"),
                link_format(formats.small_link, stop),
            )
        cursor.insertText(" " + call_line(call), link_format(formats.small_muted, href))

    def _card_room(self, cursor: QTextCursor, message_id: int, call: ToolCall) -> None:
        block = QTextBlockFormat(self._conversation.formats.plain_block)
        block.setProperty(TOOL_LINE, f"{message_id}/{call.call_id}")
        block.setProperty(CARD_ROOM, call.call_id)
        block.setLineHeight(
            self.asking[call.call_id], QTextBlockFormat.LineHeightTypes.FixedHeight.value
        )
        cursor.insertBlock(block, QTextCharFormat())

    def _details(self, cursor: QTextCursor, message_id: int, index: int, call: ToolCall) -> None:
        self._heading(cursor, QCoreApplication.translate("ChatView", "Arguments"))
        self._plain(cursor, call.pretty_arguments() or "{}")
        if call.reason:
            self._heading(cursor, QCoreApplication.translate("ChatView", "Your reason"))
            self._plain(cursor, call.reason)
        if call.error_message:
            self._heading(cursor, QCoreApplication.translate("ChatView", "Error"))
            self._plain(cursor, call.error_message)
        output = call.output
        if output is None:
            return
        self._heading(cursor, QCoreApplication.translate("ChatView", "Result"))
        text = result_text(output)
        limit = SHOW_ALL_CHARS if (message_id, index) in self._all else SHOWN_CHARS
        self._plain(
            cursor, text[:limit] if text else QCoreApplication.translate("ChatView", "(no text)")
        )
        if len(text) > limit:
            self._left_out(cursor, message_id, index, len(text) - limit, limit < SHOW_ALL_CHARS)
        if output.cut:
            self._note(
                cursor,
                QCoreApplication.translate(
                    "ChatView", "The tool's answer was too long and was cut."
                ),
            )
        for part_index, part in enumerate(output.parts):
            if part.kind == "image":
                self._picture(cursor, message_id, call, part_index, part.data, part.mime_type)

    def _heading(self, cursor: QTextCursor, text: str) -> None:
        formats = self._conversation.formats
        cursor.insertBlock(formats.reasoning_block, formats.role)
        cursor.insertText(text, formats.role)

    def _plain(self, cursor: QTextCursor, text: str) -> None:
        """Text from outside, as written: one block per line, fixed pitch, never markup."""
        formats = self._conversation.formats
        char_format = QTextCharFormat(formats.reasoning_text)
        char_format.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        char_format.setFontPointSize(formats.small_font.pointSizeF())
        for line in text.split("\n"):
            cursor.insertBlock(formats.reasoning_block, char_format)
            if line:
                cursor.insertText(with_breaks(line), char_format)

    def _note(self, cursor: QTextCursor, text: str) -> None:
        formats = self._conversation.formats
        cursor.insertBlock(formats.reasoning_block, formats.small_muted)
        cursor.insertText(text, formats.small_muted)

    def _left_out(
        self, cursor: QTextCursor, message_id: int, index: int, count: int, more: bool
    ) -> None:
        formats = self._conversation.formats
        self._note(
            cursor,
            QCoreApplication.translate(
                "ChatView", "… {count} more characters, kept in the history."
            ).format(count=QLocale().toString(count)),
        )
        if more:
            cursor.insertText("  ", formats.small_muted)
            cursor.insertText(
                QCoreApplication.translate("ChatView", "Show all"),
                link_format(
                    formats.small_link, action_url(MessageAction.TOOL_ALL, message_id, index)
                ),
            )

    def _picture(
        self,
        cursor: QTextCursor,
        message_id: int,
        call: ToolCall,
        part_index: int,
        data: str,
        mime_type: str,
    ) -> None:
        images = self._conversation.images
        key = f"tool/{message_id}/{call.call_id}/{part_index}"
        name = images.name_of(key)
        image = images.image(name)
        if image.isNull():
            decoded = decode_picture(data, mime_type)
            if decoded is None:
                self._note(
                    cursor,
                    QCoreApplication.translate("ChatView", "A picture that cannot be shown."),
                )
                return
            name = images.add(key, decoded)
            image = decoded
        picture = QTextImageFormat()
        picture.setName(name)
        picture.setWidth(image.width())
        picture.setHeight(image.height())
        cursor.insertBlock(self._conversation.formats.reasoning_block, QTextCharFormat())
        cursor.insertImage(picture)
