"""A reply's reasoning: a folded line above its text that unfolds to show the thinking.

The line ("Thought for 12 s", "Thinking…" while the reply streams, "Thoughts" when the time
is not known) is a link with a disclosure icon, so it is a Tab stop that Enter activates like
the other actions (`dc-action:reasoning/<id>`). Unfolded, the thinking follows it as plain
text in a muted style, one block per line: model output is never rich text (R6), and plain
blocks can be appended to while the reply streams without laying out what is already there.

The section sits between a message's header line and its content. It is found by counting
blocks from the header (`findBlockByNumber`, O(log n)), so the content's start (`end`) moves
with it as it grows; reply_stream.py keeps its positions relative to that start.

What an open section shows is bounded: 16 MiB of thinking (the reply limit) shown one block
per line cost 1.2 GB and a 7.5 s stall. Past SHOWN_HEAD + SHOWN_TAIL characters it shows
the head, a line saying how much is left out, and the tail (while streaming, the head and
that line only); the whole thinking stays stored and exported. Long words in it get break
opportunities (long_words.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QTextCursor

from desktopchat.domain.types import Message, Reasoning
from desktopchat.ui.support.units import duration
from desktopchat.ui.transcript.actions import MessageAction, action_url
from desktopchat.ui.transcript.long_words import with_breaks_after
from desktopchat.ui.transcript.markdown import link_format

if TYPE_CHECKING:
    from desktopchat.ui.transcript.chat_document import ConversationDocument

SHOWN_HEAD = 48_000
SHOWN_TAIL = 16_000
"""Characters of the thinking an open section shows: the first SHOWN_HEAD, the last
SHOWN_TAIL, and between them a line saying how many are left out."""


def reasoning_label(reasoning: Reasoning | None, *, streaming: bool) -> str:
    """What the folded line says."""
    if streaming:
        return QCoreApplication.translate("ChatView", "Thinking…")
    if reasoning is None or reasoning.seconds is None:
        return QCoreApplication.translate("ChatView", "Thoughts")
    return QCoreApplication.translate("ChatView", "Thought for {duration}").format(
        duration=duration(reasoning.seconds)
    )


class ReasoningSections:
    """Writes, folds and extends the reasoning sections of one conversation document."""

    def __init__(self, conversation: ConversationDocument) -> None:
        self._conversation = conversation
        self._blocks: dict[int, int] = {}
        """Message id → the blocks its section has (the line, then the text when open)."""
        self._chosen: dict[int, bool] = {}
        """Message id → open or folded, as the person last chose."""
        self._shown: dict[int, int] = {}
        """Message id → characters of thinking its open section holds (streamed ones
        past SHOWN_HEAD are counted, not shown)."""
        self._runs: dict[int, int] = {}
        """Message id → the unbroken run its last line ends in (long_words.py)."""

    def clear(self) -> None:
        self._blocks.clear()
        self._runs.clear()
        self._chosen.clear()
        self._shown.clear()

    def forget(self, message_id: int) -> None:
        """The message's blocks are gone (it is being rendered again)."""
        self._blocks.pop(message_id, None)
        self._shown.pop(message_id, None)
        self._runs.pop(message_id, None)

    def is_open(self, message_id: int, *, has_text: bool) -> bool:
        """Folded unless chosen open; a reply that is only reasoning shows it open."""
        return self._chosen.get(message_id, not has_text)

    def toggle(self, message_id: int, *, has_text: bool) -> bool:
        """Fold an open section or unfold a folded one; returns whether it is now open."""
        self._chosen[message_id] = not self.is_open(message_id, has_text=has_text)
        return self._chosen[message_id]

    def show_finished(self, message: Message) -> None:
        """Write a finished reply's section again (its time known now), if it has thinking."""
        if message.reasoning is not None and message.reasoning.text:
            label = reasoning_label(message.reasoning, streaming=False)
            open_ = self.is_open(message.id, has_text=bool(message.text))
            self.replace(message.id, message.reasoning.text, label, open_=open_)

    def toggle_finished(self, message: Message) -> None:
        """Fold or unfold a finished reply's thinking (call in an edit block)."""
        if message.reasoning is not None and message.reasoning.text:
            self.toggle(message.id, has_text=bool(message.text))
            self.show_finished(message)

    def end(self, message_id: int) -> int:
        """Position at the end of the section (the header's end when there is none): a
        message's content starts after it."""
        header = self._conversation.frames[message_id].firstCursorPosition().block()
        last = header.document().findBlockByNumber(
            header.blockNumber() + self._blocks.get(message_id, 0)
        )
        return last.position() + last.length() - 1

    def insert(self, cursor: QTextCursor, message_id: int, text: str, label: str, *, open_: bool):
        """Write a section at `cursor` (the end of the header line); the cursor ends after it."""
        formats = self._conversation.formats
        href = action_url(MessageAction.REASONING, message_id)
        cursor.insertBlock(formats.reasoning_line_block, formats.small_muted)
        icon = self._conversation.images.icon_format(
            "chevron" if open_ else "next",
            formats.muted_colour,
            formats.small_muted,
            QCoreApplication.translate("ChatView", "Hide the thinking")
            if open_
            else QCoreApplication.translate("ChatView", "Show the thinking"),
        )
        icon.setAnchorHref(href)
        cursor.insertImage(icon)
        cursor.insertText(" " + label, link_format(formats.small_muted, href))
        self._blocks[message_id] = 1
        self._shown[message_id] = 0
        if not (open_ and text):
            return
        if len(text) <= SHOWN_HEAD + SHOWN_TAIL:
            self._append_lines(cursor, message_id, text)
            self._shown[message_id] = len(text)
            return
        self._append_lines(cursor, message_id, text[:SHOWN_HEAD])
        self._left_out_line(cursor, message_id, len(text) - SHOWN_HEAD - SHOWN_TAIL)
        self._append_lines(cursor, message_id, text[-SHOWN_TAIL:], new_block=True)
        self._shown[message_id] = len(text)

    def replace(self, message_id: int, text: str, label: str, *, open_: bool) -> None:
        """Write a message's section again in place (folded, unfolded, relabelled)."""
        document = self._conversation.document
        cursor = QTextCursor(document)
        cursor.setPosition(self._conversation.header_end(message_id))
        cursor.setPosition(self.end(message_id), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self.insert(cursor, message_id, text, label, open_=open_)

    def append(self, message_id: int, text: str) -> None:
        """Add streamed thinking at the end of an open section, up to SHOWN_HEAD; past it
        one line says more is coming (the finished reply shows the head and the tail)."""
        shown = self._shown.get(message_id, 0)
        room = max(0, SHOWN_HEAD - shown)
        self._shown[message_id] = shown + len(text)
        if shown > SHOWN_HEAD:
            return
        cursor = QTextCursor(self._conversation.document)
        cursor.setPosition(self.end(message_id))
        self._append_lines(cursor, message_id, text[:room])
        if len(text) > room:
            self._left_out_line(cursor, message_id, None)

    def _left_out_line(self, cursor: QTextCursor, message_id: int, count: int | None) -> None:
        """The line between the head and the tail: how much is not shown (None: still
        streaming)."""
        formats = self._conversation.formats
        if count is None:
            text = QCoreApplication.translate("ChatView", "… more thinking, not shown here")
        else:
            text = QCoreApplication.translate(
                "ChatView", "… {count} characters of thinking not shown here (export has all) …"
            ).format(count=QLocale().toString(count))
        cursor.insertBlock(formats.reasoning_block, formats.small_muted)
        cursor.insertText(text, formats.small_muted)
        self._blocks[message_id] += 1

    def _append_lines(
        self, cursor: QTextCursor, message_id: int, text: str, *, new_block: bool = False
    ) -> None:
        formats = self._conversation.formats
        lines = text.split("\n")
        if self._blocks[message_id] == 1 or new_block:  # no text block to go on in
            cursor.insertBlock(formats.reasoning_block, formats.reasoning_text)
            self._blocks[message_id] += 1
            self._runs[message_id] = 0
        for index, line in enumerate(lines):
            if index:
                cursor.insertBlock(formats.reasoning_block, formats.reasoning_text)
                self._blocks[message_id] += 1
                self._runs[message_id] = 0
            if line:
                run = self._runs.get(message_id, 0)
                shown, self._runs[message_id] = with_breaks_after(line, run)
                cursor.insertText(shown, formats.reasoning_text)
