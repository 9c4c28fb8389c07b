"""A reply being streamed into the conversation, re-rendered tail-first.

Re-rendering a whole growing reply on every repaint costs O(reply) per frame (measured here:
up to ~36 ms for a 26 KB reply), so a flush only touches the reply's unfinished tail:

* `split_stable` says where the finished top-level blocks end. Everything before that is
  rendered once and never parsed again; the document position where it ends is kept
  relative to the content's start (after the header and the reasoning, which may grow
  above it), so edits elsewhere in the conversation do not disturb it.
* The tail (the last, unfinished block) is deleted and rendered again from its source.
* A table in the tail is shown as code while it grows past UNFINISHED_TABLE_CELLS: laying a
  table out costs more than linear time, and the tail is laid out again at every flush.
* A tail that ends in a word longer than LONG_TAIL characters (no Markdown needs that much
  of one word to be read whole) is made stable as it is, and the word goes on in a new
  block with no space between the two: otherwise every flush would render the whole word
  again, O(n²) for a word of n characters (long_words.py gives it break opportunities).
* When the tail is an unclosed fenced code block (the hard case: it can be long), it is not
  re-parsed at all: new lines are appended as blocks with the code block's format, and only
  the unfinished last line is replaced on the next flush.

Finished blocks get their final touches (code headers, table styles) as they are rendered, so a
long reply can be finished in place (`finish`) without laying out the whole of it again: a
full render of an 80 KB reply costs ~100 ms of layout. The view renders short replies whole
once they are finished, which also settles the few ways a piecewise rendering can differ (a
list split in two by a blank line, a reference link defined after its use).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat

from desktopchat.domain.markdown_source import Fence
from desktopchat.domain.types import Message
from desktopchat.ui.transcript.chat_document import ConversationDocument
from desktopchat.ui.transcript.long_words import with_breaks_after
from desktopchat.ui.transcript.markdown import MARKDOWN_FEATURES, MAX_TABLE_CELLS
from desktopchat.ui.transcript.markdown_blocks import (
    GrowingTable,
    growing_table,
    split_stable,
)
from desktopchat.ui.transcript.markdown_touches import code_header_format

LONG_TAIL = 8_000
"""A tail whose last word is longer than this is cut there rather than rendered again."""

UNFINISHED_TABLE_CELLS = 40
"""A table still arriving is laid out again at every flush: past this size its lines are
shown as code, appended as they come like an open code block's, until it is finished (then
it becomes a table, up to markdown.MAX_TABLE_CELLS, laid out once)."""


@lru_cache(maxsize=1)
def _code_char_format() -> QTextCharFormat:
    """The character format Qt's importer gives code block text (its fixed-pitch font)."""
    sample = QTextDocument()
    sample.setMarkdown("```\nx\n```", MARKDOWN_FEATURES)
    return QTextCharFormat(sample.begin().begin().fragment().charFormat())


class _OpenCodeBlock:
    """The unclosed fenced code block at the end of a streaming reply (or the growing table
    shown as one)."""

    def __init__(
        self, fence: Fence | GrowingTable, line_format: QTextBlockFormat, start: int
    ) -> None:
        self.fence = fence
        self.start = start
        """Where its header block begins, from the content's start."""
        self.rendered_to = fence.body_start
        """Text offset after the last complete line already in the document."""
        self.tentative_length = 0
        """Document length of the unfinished last line's block (replaced on each flush)."""
        self.kept = 0
        """Characters of the unfinished last line already in the document for good: a line
        that can no longer be the closing fence grows in place rather than being put in
        again at each flush (a line of n characters would cost O(n²))."""
        self.run = 0
        """The unbroken run the kept part ends in (long_words.with_breaks_after)."""
        self.block_format = QTextBlockFormat(line_format)
        self.block_format.setProperty(QTextFormat.Property.BlockCodeLanguage, fence.language)
        self.block_format.setProperty(QTextFormat.Property.BlockCodeFence, fence.marker[0])
        self.char_format = _code_char_format()


class ReplyStream:
    """The text received so far for one reply and what of it is already in the document."""

    def __init__(self, conversation: ConversationDocument, message: Message) -> None:
        self.message = message
        self.text = ""
        self._shown = ""
        """The prefix of `text` the document is being brought up to (see `flush`)."""
        self.has_content = False
        self._conversation = conversation
        self._pending: list[str] = []
        self._stable_end = 0
        self._stable_offset = 0
        """Where the stable part ends, from the content's start (`_content_start`)."""
        self._code: _OpenCodeBlock | None = None
        self._code_blocks = 0
        """Code blocks in the stable part (they number the copy actions)."""
        self._word_goes_on = False
        """The stable part was cut inside a long word, which the next block continues."""
        self.reasoning = ""
        """The thinking received so far (reasoning_section.py shows it)."""
        self.reasoning_shown = 0
        """How much of `reasoning` the document has (or needs: a folded section, none)."""
        self.reasoning_label = ""

    def add(self, delta: str) -> None:
        """Buffer a delta; nothing is rendered until `flush`."""
        self._pending.append(delta)

    @property
    def has_pending(self) -> bool:
        """Whether text arrived that the document does not show yet."""
        return bool(self._pending) or len(self._shown) < len(self.text)

    def full_text(self) -> str:
        """Everything received, flushed or not."""
        if self._pending:
            self.text += "".join(self._pending)
            self._pending.clear()
        return self.text

    def flush(self, max_chars: int) -> bool:
        """Bring the document up to date with the text received, by at most `max_chars`
        (a burst of text must not stall the window); call in an edit block.

        Returns whether text is left for another flush.
        """
        if not self.has_pending:
            return False
        if not self.has_content:
            self._conversation.set_footer_text(self.message.id, "")
            self.has_content = True
        text = self.full_text()
        self._shown = text[: len(self._shown) + max_chars]
        if self._code is not None:
            self._extend_code()
        if self._code is None:
            self._render_tail()
        return len(self._shown) < len(text)

    def finish(self) -> None:
        """Render what is left as final: the text is complete (call in an edit block)."""
        self._shown = self.full_text()
        self.has_content = True
        if self._code is not None:
            self._extend_code(final=True)
        if self._code is not None:  # the reply ended inside a code block
            self._stable_end = len(self.text)
            self._close_code(self._cursor_at(self._conversation.content_end(self.message.id)))
        self._render_tail(final=True)

    def _content_start(self) -> int:
        return self._conversation.content_start(self.message.id)

    def _cursor_at(self, position: int) -> QTextCursor:
        cursor = QTextCursor(self._conversation.document)
        cursor.setPosition(position)
        return cursor

    def _render_tail(self, *, final: bool = False) -> None:
        conversation = self._conversation
        message_id = self.message.id
        split = split_stable(self._shown, self._stable_end)
        stable_end = len(self._shown) if final else split.stable_end
        cut = split.open_fence is None and not final and _in_long_word(self._shown, stable_end)
        if cut:
            stable_end = len(self._shown)
        cursor = self._cursor_at(self._content_start() + self._stable_offset)
        cursor.setPosition(
            conversation.content_end(self.message.id), QTextCursor.MoveMode.KeepAnchor
        )
        cursor.removeSelectedText()
        if stable_end > self._stable_end:
            chunk = self._shown[self._stable_end : stable_end]
            start = cursor.position()
            self._code_blocks += conversation.insert_markdown(
                cursor, chunk, message_id, self._code_blocks
            )
            if self._word_goes_on:
                _join_visually(cursor.document(), start)
            self._word_goes_on = cut
            self._stable_end = stable_end
            self._stable_offset = cursor.position() - self._content_start()
        if final or cut:
            return
        table = None
        if split.open_fence is None:
            table = growing_table(self._shown, self._stable_end, UNFINISHED_TABLE_CELLS)
        if split.open_fence is not None or table is not None:
            self._open_code(cursor, split.open_fence or table)
            self._extend_code()
        else:
            tail = self._shown[self._stable_end :]
            conversation.insert_markdown(
                cursor,
                tail,
                message_id,
                self._code_blocks,
                max_table_cells=UNFINISHED_TABLE_CELLS,
            )

    def _open_code(self, cursor: QTextCursor, fence: Fence | GrowingTable) -> None:
        """Start the code block the tail is: its header now, its lines as they come."""
        formats = self._conversation.formats
        start = cursor.position() - self._content_start()
        self._code = _OpenCodeBlock(fence, formats.code_line, start)
        cursor.insertBlock(code_header_format(formats, fence.language), QTextCharFormat())
        self._conversation.code_header(self.message.id)(cursor, fence.language, self._code_blocks)
        self._stable_offset = cursor.position() - self._content_start()

    def _extend_code(self, *, final: bool = False) -> None:
        """Append the code lines received since the last flush; close the block at its fence.

        When `final`, the unfinished last line counts as a complete one (a reply often ends
        with its closing fence and no newline).
        """
        code = self._code
        end = self._conversation.content_end(self.message.id)
        cursor = self._cursor_at(end - code.tentative_length)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        code.tentative_length = 0
        text = self._shown + "\n" if final and not self._shown.endswith("\n") else self._shown
        position = code.rendered_to
        while (newline := text.find("\n", position)) != -1:
            line = text[position:newline]
            position = newline + 1
            if not code.kept and code.fence.is_closed_by(line):
                table = isinstance(code.fence, GrowingTable)  # its end is not its own
                self._stable_end = newline - len(line) if table else min(position, len(self._shown))
                self._close_code(cursor)
                return
            self._append_code(cursor, line)
            code.kept = 0
        code.rendered_to = position
        partial = text[position:]
        if not partial:
            return
        if code.kept or not code.fence.may_be_closed_by(partial):
            self._append_code(cursor, partial)
            code.kept = len(partial)
            return
        before = cursor.position()
        cursor.insertBlock(code.block_format, code.char_format)
        cursor.insertText(partial, code.char_format)
        code.tentative_length = cursor.position() - before

    def _append_code(self, cursor: QTextCursor, line: str) -> None:
        """Put in what the document lacks of `line`: a new block, or the kept part of the
        line goes on (its long words broken as if the line had come whole)."""
        code = self._code
        if not code.kept:
            cursor.insertBlock(code.block_format, code.char_format)
            code.run = 0
        shown, code.run = with_breaks_after(line[code.kept :], code.run)
        cursor.insertText(shown, code.char_format)

    def _close_code(self, cursor: QTextCursor) -> None:
        """The code block ends at `cursor`: give its last line the box's bottom padding. A
        table small enough to be one is rendered as a table in its place, once."""
        code = self._code
        fence = code.fence
        if isinstance(fence, GrowingTable) and fence.cells(self._shown, self._stable_end) <= (
            MAX_TABLE_CELLS
        ):
            cursor.setPosition(self._content_start() + code.start, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            source = self._shown[fence.start : self._stable_end]
            self._conversation.insert_markdown(cursor, source, self.message.id, self._code_blocks)
        else:
            QTextCursor(cursor.block()).mergeBlockFormat(self._conversation.formats.code_last_line)
            self._code_blocks += 1
        self._code = None
        self._stable_offset = cursor.position() - self._content_start()


def _in_long_word(text: str, start: int) -> bool:
    """Whether the text after `start` ends in a word longer than LONG_TAIL. Costs the
    tail's length, which the cut keeps near LONG_TAIL plus one flush."""
    if len(text) - start <= LONG_TAIL:
        return False
    last_space = max(text.rfind(space, start) for space in " \n\t\r\u00a0\u3000")
    return len(text) - max(last_space + 1, start) > LONG_TAIL


def _join_visually(document: QTextDocument, start: int) -> None:
    """No space between the block before `start` and the one at it: one word goes on."""
    block = document.findBlock(start)
    before = block.previous()
    if before.isValid():
        flat = QTextBlockFormat()
        flat.setBottomMargin(0)
        QTextCursor(before).mergeBlockFormat(flat)
    flat = QTextBlockFormat()
    flat.setTopMargin(0)
    QTextCursor(block).mergeBlockFormat(flat)
