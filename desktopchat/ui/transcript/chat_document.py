"""The conversation as one QTextDocument: one QTextFrame per message.

A widget per message does not scale to 2,000 messages; one document does, and a frame per
message lets a message be found and re-rendered in place in O(message) without tracking
offsets by hand. Each message frame holds, in order: a header line (the model's name above a
reply; an empty hairline above a person's message, whose bubble needs no label), the rendered
Markdown, an error box (a nested frame, for failed replies) and a footer line with icon
actions and quiet facts (time, tokens). The frame's last block is always the footer; the
blocks between the header and the footer (or the error box) are the message's content.

A person's message is a bubble on the right: its frame's left margin leaves the text just
the room it needs (bubbles.py), and backdrop.py paints the bubble behind the content.
Room for later parts (a branch switcher, reasoning, attachments) is in the header and
footer lines, which are rewritten without touching the content.

The first block of the document (outside every frame) holds the "Show earlier messages" link
when older messages are not shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import (
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextFrameFormat,
)

from desktopchat.domain.tool_calls import step_texts
from desktopchat.domain.types import Message, Role
from desktopchat.ui.transcript.actions import MessageAction, action_url
from desktopchat.ui.transcript.attachment_images import AttachmentImages
from desktopchat.ui.transcript.attachment_lines import AttachmentLines
from desktopchat.ui.transcript.bubbles import Bubbles
from desktopchat.ui.transcript.document_images import DocumentImages
from desktopchat.ui.transcript.formats import (
    LEFT_OUT,
    ChatFormats,
)
from desktopchat.ui.transcript.long_words import without_breaks
from desktopchat.ui.transcript.markdown import (
    InertDocument,
    insert_markdown,
    is_code_block,
    link_format,
)
from desktopchat.ui.transcript.markdown_touches import CodeHeader
from desktopchat.ui.transcript.math_images import MathImages
from desktopchat.ui.transcript.math_placeholders import MathPlaceholders
from desktopchat.ui.transcript.message_footer import FooterWriter
from desktopchat.ui.transcript.reasoning_section import ReasoningSections, reasoning_label
from desktopchat.ui.transcript.reply_failure import Failure, write_error_box
from desktopchat.ui.transcript.source_lines import write_sources
from desktopchat.ui.transcript.tool_blocks import ToolBlocks


@contextmanager
def edit_block(document: QTextDocument) -> Iterator[None]:
    """Group edits so that Qt lays the document out once, at the end."""
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    try:
        yield
    finally:
        cursor.endEditBlock()


class ConversationDocument:
    """Builds and edits the message frames of one document; knows nothing of streaming."""

    def __init__(
        self, document: QTextDocument, formats: ChatFormats, math: MathImages | None = None
    ) -> None:
        self.document = document
        self.formats = formats
        self.math = math
        self.images = DocumentImages(document)
        self.math_placeholders = (
            MathPlaceholders(document, self.images, math) if math is not None else None
        )
        self.frames: dict[int, QTextFrame] = {}
        self.bubbles = Bubbles()
        self.footer = FooterWriter(self.images, formats)
        self.reasoning = ReasoningSections(self)
        self.tools = ToolBlocks(self)
        self.attachments = AttachmentLines(
            self.images, AttachmentImages(self.images, document), formats
        )
        self._scratch = InertDocument(document)
        """Where Markdown is imported and touched before it is inserted (one, reused).
        A child of the view's document, so that it is deleted with the view, on the GUI
        thread: left to Python, it waited in a reference cycle for the garbage collector,
        which may run on any thread (a lexer being made), and a QTextDocument deleted off
        its thread leaves its layout's timers armed on the GUI thread (a crash)."""

    @property
    def siblings(self) -> dict[int, tuple[int, ...]]:
        """Message id → the ids of it and its siblings, for the ‹ 2/3 › switchers."""
        return self.footer.siblings

    @siblings.setter
    def siblings(self, siblings: dict[int, tuple[int, ...]]) -> None:
        self.footer.set_siblings(siblings)

    def set_formats(self, formats: ChatFormats) -> None:
        """A new look (palette or font changed); re-render to apply it."""
        self.formats = formats
        self.footer.formats = formats
        self.attachments.formats = formats

    # --- whole conversation -------------------------------------------------------------

    def clear(self) -> None:
        """Drop every message (the frames go with the document's contents)."""
        self.frames.clear()
        self.bubbles.clear()
        self.reasoning.clear()
        self.tools.clear()
        root_format = self.document.rootFrame().frameFormat()  # the column's margins
        self.document.clear()
        self.document.rootFrame().setFrameFormat(root_format)
        self.images.restore()

    def show_empty_state(self, title: str, model_label: str, hints: Sequence[str]) -> None:
        """A new chat: a title, the model in use and hints, centred (all plain text)."""
        self.clear()
        formats = self.formats
        cursor = QTextCursor(self.document)
        cursor.setBlockFormat(formats.centred_block)
        cursor.insertText(title, formats.title)
        if model_label:
            cursor.insertBlock(formats.centred_block, formats.muted)
            cursor.insertText(model_label, formats.muted)
        for hint in hints:
            cursor.insertBlock(formats.centred_block, formats.small_muted)
            cursor.insertText(hint, formats.small_muted)

    def set_load_earlier(self, first_shown_id: int | None) -> None:
        """Show the "Show earlier messages" link above the first message, or remove it."""
        cursor = QTextCursor(self.document.begin())
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.setBlockFormat(self.formats.load_earlier_block)
        if first_shown_id is not None:
            href = action_url(MessageAction.LOAD_EARLIER, first_shown_id)
            cursor.insertText(
                QCoreApplication.translate("ChatView", "Show earlier messages"),
                link_format(self.formats.small_link, href),
            )

    def append(
        self, message: Message, text: str, *, is_last: bool, failure: Failure | None
    ) -> None:
        """Add a message at the end."""
        cursor = QTextCursor(self.document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._insert(cursor, message, text, is_last=is_last, failure=failure)

    def prepend(self, messages: Sequence[tuple[Message, str, Failure | None]]) -> None:
        """Add older messages above the first one, in the given (chronological) order."""
        cursor = QTextCursor(self.document.begin())
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        for message, text, failure in messages:
            frame = self._insert(cursor, message, text, is_last=False, failure=failure)
            cursor.setPosition(frame.lastPosition() + 1)

    def _insert(
        self,
        cursor: QTextCursor,
        message: Message,
        text: str,
        *,
        is_last: bool,
        failure: Failure | None,
    ) -> QTextFrame:
        frame = cursor.insertFrame(self._frame_format(message, text))
        self.frames[message.id] = frame
        self._fill(cursor, message, text, is_last=is_last, failure=failure)
        return frame

    @property
    def column_width(self) -> float:
        """The reading column's width in pixels (the view sets it on resize)."""
        return self.bubbles.column_width

    def set_column_width(self, width: float) -> None:
        """The column changed width: every bubble gets its indent again."""
        self.bubbles.set_column_width(width, self.frames)

    # --- one message --------------------------------------------------------------------

    def render(
        self, message: Message, text: str, *, is_last: bool, failure: Failure | None
    ) -> None:
        """Re-render a shown message in place."""
        frame = self.frames[message.id]
        frame.setFrameFormat(self._frame_format(message, text))
        cursor = self._select_contents(frame)
        cursor.removeSelectedText()
        self.reasoning.forget(message.id)
        self._fill(cursor, message, text, is_last=is_last, failure=failure)

    def begin_streaming(self, message: Message, waiting_text: str) -> None:
        """A reply with a header, no content yet, and `waiting_text` as its footer."""
        cursor = QTextCursor(self.document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        frame = cursor.insertFrame(self._frame_format(message, ""))
        self.frames[message.id] = frame
        self._write_header(cursor, message)
        cursor.insertBlock(self.formats.footer_block, self.formats.small_muted)
        cursor.insertText(waiting_text, self.formats.small_muted)

    def set_footer(
        self, message: Message, text: str, *, is_last: bool, failure: Failure | None
    ) -> None:
        """Rewrite only a message's footer (its actions depend on whether it is the last)."""
        cursor = self._footer_cursor(message.id)
        self.footer.write(cursor, message, text, is_last=is_last, failed=failure is not None)

    def set_footer_text(
        self, message_id: int, text: str, link: tuple[str, str] | None = None
    ) -> None:
        """Replace a message's footer with plain muted text (the streaming indicator), and
        an action link after it when `link` (label, href) is given."""
        cursor = self._footer_cursor(message_id)
        if text:
            cursor.insertText(text, self.formats.small_muted)
        if link is not None:
            cursor.insertText("  ", self.formats.small_muted)
            cursor.insertText(link[0], link_format(self.formats.small_link, link[1]))

    def header_end(self, message_id: int) -> int:
        """Document position at the end of a message's header line."""
        header = self.frames[message_id].firstCursorPosition().block()
        return header.position() + header.length() - 1

    def content_start(self, message_id: int) -> int:
        """Document position where a message's content follows (after its header line and
        its reasoning, which grows above the content while a reply streams, and the tool
        steps a streaming reply has made)."""
        return self.tools.content_start(message_id)

    def content_end(self, message_id: int) -> int:
        """Document position at the end of a message's content (just before its footer)."""
        return self.frames[message_id].lastCursorPosition().block().position() - 1

    def code_blocks_text(self, message_id: int) -> list[str]:
        """The text of each code block of a message as the document shows it, without the
        breaks put into long words (long_words.py)."""
        frame = self.frames[message_id]
        block = frame.firstCursorPosition().block()
        runs: list[list[str]] = []
        in_run = False
        while block.isValid() and block.position() <= frame.lastPosition():
            if is_code_block(block):
                if not in_run:
                    runs.append([])
                runs[-1].append(without_breaks(block.text()))
                in_run = True
            else:
                in_run = False
            block = block.next()
        return ["\n".join(lines) for lines in runs]

    # --- building blocks ----------------------------------------------------------------

    def _frame_format(self, message: Message, text: str) -> QTextFrameFormat:
        if message.role is Role.USER:
            frame_format = QTextFrameFormat(self.formats.user_frame)
            width = max(
                self.bubbles.text_width(text, self.document.defaultFont()),
                self.attachments.width(message, self.formats.small_font),
            )
            frame_format.setLeftMargin(self.bubbles.indent(message.id, width))
        else:
            frame_format = QTextFrameFormat(self.formats.assistant_frame)
        if message.left_out:
            frame_format.setProperty(LEFT_OUT, True)
        return frame_format

    def _select_contents(self, frame: QTextFrame) -> QTextCursor:
        cursor = frame.firstCursorPosition()
        cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _footer_cursor(self, message_id: int) -> QTextCursor:
        """A cursor in a message's emptied footer block."""
        cursor = self.frames[message_id].lastCursorPosition()
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        return cursor

    def _fill(
        self,
        cursor: QTextCursor,
        message: Message,
        text: str,
        *,
        is_last: bool,
        failure: Failure | None,
    ) -> None:
        """Write a message into its empty frame; `cursor` is in the frame's only block."""
        formats = self.formats
        self._write_header(cursor, message)
        if message.attachments:
            self.attachments.write(cursor, message)
        if message.reasoning is not None and message.reasoning.text:
            self.reasoning.insert(
                cursor,
                message.id,
                message.reasoning.text,
                reasoning_label(message.reasoning, streaming=False),
                open_=self.reasoning.is_open(message.id, has_text=bool(text)),
            )
        self._write_content(cursor, message, text)
        write_sources(cursor, message, formats)
        if failure is not None:
            write_error_box(
                cursor, formats, message.id, failure, with_actions=not self.footer.copy_only
            )
        else:
            cursor.insertBlock(self._footer_format(message), formats.small_muted)
        self.footer.write(cursor, message, text, is_last=is_last, failed=failure is not None)

    def _write_content(self, cursor: QTextCursor, message: Message, text: str) -> None:
        """The text, with each tool step's calls where the model stopped to call them."""
        steps = message.tool_steps
        if not steps.steps and steps.end is None:
            self.insert_markdown(cursor, text, message.id)
            return
        pieces, answer = step_texts(text, steps.steps)
        first_call = code_blocks = 0
        for piece, step in zip(pieces, steps.steps, strict=True):
            if piece:
                code_blocks += self.insert_markdown(cursor, piece, message.id, code_blocks)
            self.tools.write_step_calls(cursor, message.id, step.calls, first_call)
            first_call += len(step.calls)
        self.tools.write_end(cursor, steps)
        if answer:
            self.insert_markdown(cursor, answer, message.id, code_blocks)

    def insert_markdown(
        self,
        cursor: QTextCursor,
        text: str,
        message_id: int,
        first_code_index: int = 0,
        **options: int,
    ) -> int:
        """Render a piece of a message's Markdown at `cursor` (see markdown.insert_markdown);
        formulas still being drawn are tracked, to be swapped when they are."""
        start = cursor.position()
        requested = self.math.requested if self.math is not None else 0
        count = insert_markdown(
            cursor,
            text,
            self.formats,
            code_header=self.code_header(message_id),
            first_code_index=first_code_index,
            images=self.images,
            math=self.math,
            scratch=self._scratch,
            **options,
        )
        placeholders, math = self.math_placeholders, self.math
        if placeholders is not None and math is not None and math.requested != requested:
            placeholders.track(start, cursor.position())
        return count

    def _footer_format(self, message: Message):
        formats = self.formats
        return formats.user_footer_block if message.role is Role.USER else formats.footer_block

    def _write_header(self, cursor: QTextCursor, message: Message) -> None:
        formats = self.formats
        if message.role is Role.USER:
            cursor.setBlockFormat(formats.user_header_block)
            return
        cursor.setBlockFormat(formats.header_block)
        who = message.model or QCoreApplication.translate("ChatView", "Assistant")
        if message.served_model and message.served_model != message.model:
            who = f"{who} → {message.served_model}"  # an alias and the version that answered
        cursor.insertText(who, formats.role)

    def code_header(self, message_id: int) -> CodeHeader:
        """What `insert_markdown` calls to fill each code block's header: its copy action."""

        def fill(cursor: QTextCursor, _language: str, index: int) -> None:
            self.footer.write_icon(
                cursor, MessageAction.COPY_CODE, (message_id, index), by_text=True
            )
            href = action_url(MessageAction.COPY_CODE, message_id, index)
            cursor.insertText(
                " " + QCoreApplication.translate("ChatView", "Copy"),
                link_format(self.formats.small_muted, href),
            )

        return fill
