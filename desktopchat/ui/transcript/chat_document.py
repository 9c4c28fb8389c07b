"""The conversation as one QTextDocument: one QTextFrame per message.

A widget per message does not scale to 2,000 messages; one document does, and a frame per
message lets a message be found and re-rendered in place in O(message) without tracking
offsets by hand. Each message frame holds, in order: a header line (who and when), the
rendered Markdown, an error box (a nested frame, for failed replies) and a footer line with
statistics and action links. The frame's last block is always the footer; the blocks between
the header and the footer (or the error box) are the message's content.

The first block of the document (outside every frame) holds the "Show earlier messages" link
when older messages are not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrame,
    QTextFrameFormat,
)

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Message, MessageStatus, Role
from desktopchat.ui.support.old_errors import reworded
from desktopchat.ui.support.translation import describe_error
from desktopchat.ui.transcript.code_highlighter import CodeTheme, is_dark
from desktopchat.ui.transcript.markdown import (
    action_url,
    insert_markdown,
    is_code_block,
    link_format,
)

SEPARATOR = " · "


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


@contextmanager
def edit_block(document: QTextDocument) -> Iterator[None]:
    """Group edits so that Qt lays the document out once, at the end."""
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    try:
        yield
    finally:
        cursor.endEditBlock()


def _mix(first: QColor, second: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * amount,
        first.greenF() + (second.greenF() - first.greenF()) * amount,
        first.blueF() + (second.blueF() - first.blueF()) * amount,
    )


class ChatFormats:
    """Every format the conversation uses, derived from the view's palette and font."""

    def __init__(self, palette: QPalette, font: QFont) -> None:
        dark = is_dark(palette)
        base = palette.color(QPalette.ColorRole.Base)
        self.theme = CodeTheme.for_palette(palette)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.9)

        self.link = QTextCharFormat()
        self.link.setForeground(palette.color(QPalette.ColorRole.Link))
        self.small_link = QTextCharFormat(self.link)
        self.small_link.setFont(small)
        self.role = QTextCharFormat()
        self.role.setFontWeight(QFont.Weight.Bold)
        self.muted = QTextCharFormat()
        self.muted.setForeground(muted)
        self.small_muted = QTextCharFormat(self.muted)
        self.small_muted.setFont(small)
        self.notice = QTextCharFormat(self.small_muted)
        self.notice.setFontWeight(QFont.Weight.Bold)
        self.notice.setForeground(QColor("#e5a50a" if dark else "#9c6500"))
        self.text = QTextCharFormat()

        self.header_block = QTextBlockFormat()
        self.header_block.setBottomMargin(2)
        self.footer_block = QTextBlockFormat()
        self.footer_block.setTopMargin(4)
        self.plain_block = QTextBlockFormat()
        self.code_link_block = QTextBlockFormat()
        self.code_link_block.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.load_earlier_block = QTextBlockFormat()
        self.load_earlier_block.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.assistant_frame = QTextFrameFormat()
        self.assistant_frame.setPadding(8)
        self.assistant_frame.setBorder(0)
        self.user_frame = QTextFrameFormat(self.assistant_frame)
        self.user_frame.setBackground(_mix(base, palette.color(QPalette.ColorRole.Highlight), 0.12))
        self.error_frame = QTextFrameFormat()
        self.error_frame.setPadding(6)
        self.error_frame.setTopMargin(6)
        self.error_frame.setBorder(1)
        self.error_frame.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        self.error_frame.setBorderBrush(QColor("#e06c75" if dark else "#c5221f"))
        self.error_frame.setBackground(QColor("#3b2226" if dark else "#fdecea"))


class ConversationDocument:
    """Builds and edits the message frames of one document; knows nothing of streaming."""

    def __init__(self, document: QTextDocument, formats: ChatFormats) -> None:
        self.document = document
        self.formats = formats
        self.frames: dict[int, QTextFrame] = {}

    # --- whole conversation -------------------------------------------------------------

    def clear(self) -> None:
        """Drop every message (the frames go with the document's contents)."""
        self.frames.clear()
        self.document.clear()

    def set_load_earlier(self, first_shown_id: int | None) -> None:
        """Show the "Show earlier messages" link above the first message, or remove it."""
        cursor = QTextCursor(self.document.begin())
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.setBlockFormat(self.formats.load_earlier_block)
        if first_shown_id is not None:
            href = action_url("load_earlier", first_shown_id)
            cursor.insertText(
                QCoreApplication.translate("ChatView", "Show earlier messages"),
                link_format(self.formats.link, href),
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
        frame = cursor.insertFrame(self._frame_format(message))
        self.frames[message.id] = frame
        self._fill(cursor, message, text, is_last=is_last, failure=failure)
        return frame

    # --- one message --------------------------------------------------------------------

    def render(
        self, message: Message, text: str, *, is_last: bool, failure: Failure | None
    ) -> None:
        """Re-render a shown message in place."""
        frame = self.frames[message.id]
        frame.setFrameFormat(self._frame_format(message))
        cursor = self._select_contents(frame)
        cursor.removeSelectedText()
        self._fill(cursor, message, text, is_last=is_last, failure=failure)

    def begin_streaming(self, message: Message, waiting_text: str) -> None:
        """A reply with a header, no content yet, and `waiting_text` as its footer."""
        cursor = QTextCursor(self.document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        frame = cursor.insertFrame(self._frame_format(message))
        self.frames[message.id] = frame
        self._write_header(cursor, message)
        cursor.insertBlock(self.formats.footer_block, self.formats.small_muted)
        cursor.insertText(waiting_text, self.formats.small_muted)

    def set_footer(
        self, message: Message, text: str, *, is_last: bool, failure: Failure | None
    ) -> None:
        """Rewrite only a message's footer (its actions depend on whether it is the last)."""
        cursor = self._footer_cursor(message.id)
        self._write_footer(cursor, message, text, is_last=is_last, failure=failure)

    def set_footer_text(self, message_id: int, text: str) -> None:
        """Replace a message's footer with plain muted text (the streaming indicator)."""
        cursor = self._footer_cursor(message_id)
        if text:
            cursor.insertText(text, self.formats.small_muted)

    def header_end(self, message_id: int) -> int:
        """Document position at the end of a message's header line."""
        header = self.frames[message_id].firstCursorPosition().block()
        return header.position() + header.length() - 1

    def content_end(self, message_id: int) -> int:
        """Document position at the end of a message's content (just before its footer)."""
        return self.frames[message_id].lastCursorPosition().block().position() - 1

    def code_blocks_text(self, message_id: int) -> list[str]:
        """The text of each code block of a message as the document shows it."""
        frame = self.frames[message_id]
        block = frame.firstCursorPosition().block()
        runs: list[list[str]] = []
        in_run = False
        while block.isValid() and block.position() <= frame.lastPosition():
            if is_code_block(block):
                if not in_run:
                    runs.append([])
                runs[-1].append(block.text())
                in_run = True
            else:
                in_run = False
            block = block.next()
        return ["\n".join(lines) for lines in runs]

    # --- building blocks ----------------------------------------------------------------

    def _frame_format(self, message: Message) -> QTextFrameFormat:
        if message.role is Role.USER:
            return self.formats.user_frame
        return self.formats.assistant_frame

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
        insert_markdown(cursor, text, formats.theme, formats.link, self.copy_code_links(message.id))
        if failure is not None:
            self._insert_error_box(cursor, message.id, failure)
        else:
            cursor.insertBlock(formats.footer_block, formats.small_muted)
        self._write_footer(cursor, message, text, is_last=is_last, failure=failure)

    def _write_header(self, cursor: QTextCursor, message: Message) -> None:
        formats = self.formats
        cursor.setBlockFormat(formats.header_block)
        who = (
            QCoreApplication.translate("ChatView", "You")
            if message.role is Role.USER
            else message.model or QCoreApplication.translate("ChatView", "Assistant")
        )
        cursor.insertText(who, formats.role)
        cursor.insertText(SEPARATOR + _when(message.created), formats.muted)

    def copy_code_links(
        self, message_id: int, first_index: int = 0
    ) -> Callable[[QTextCursor, int], None]:
        """What `insert_markdown` calls after each code block: add its "Copy code" link.

        `first_index` numbers the code blocks of a reply rendered in pieces (streaming).
        """

        def insert(cursor: QTextCursor, index: int) -> None:
            cursor.insertBlock(self.formats.code_link_block, self.formats.small_muted)
            href = action_url("copy_code", message_id, first_index + index)
            cursor.insertText(
                QCoreApplication.translate("ChatView", "Copy code"),
                link_format(self.formats.small_link, href),
            )

        return insert

    def _insert_error_box(self, cursor: QTextCursor, message_id: int, failure: Failure) -> None:
        """The error box, then the cursor in the (footer) block after it."""
        formats = self.formats
        box = cursor.insertFrame(formats.error_frame)
        cursor.setBlockFormat(formats.plain_block)
        cursor.insertText(failure.text, formats.text)
        actions = [(QCoreApplication.translate("ChatView", "Retry"), "retry")]
        if failure.key_problem:
            actions.append((QCoreApplication.translate("ChatView", "Open Settings"), "settings"))
        cursor.insertBlock(formats.footer_block, formats.small_muted)
        self._write_actions(cursor, message_id, actions)
        cursor.setPosition(box.lastPosition() + 1)
        cursor.setBlockFormat(formats.footer_block)

    def _write_footer(
        self,
        cursor: QTextCursor,
        message: Message,
        text: str,
        *,
        is_last: bool,
        failure: Failure | None,
    ) -> None:
        formats = self.formats
        if message.role is Role.USER:
            actions = [
                (QCoreApplication.translate("ChatView", "Copy"), "copy"),
                (QCoreApplication.translate("ChatView", "Edit"), "edit"),
            ]
        else:
            for index, (item, item_format) in enumerate(self._reply_facts(message)):
                if index:
                    cursor.insertText(SEPARATOR, formats.small_muted)
                cursor.insertText(item, item_format)
            actions = [(QCoreApplication.translate("ChatView", "Copy"), "copy")] if text else []
            if is_last and failure is None and message.status is not MessageStatus.FAILED:
                actions.append((QCoreApplication.translate("ChatView", "Regenerate"), "regenerate"))
            if actions and not cursor.atBlockStart():
                cursor.insertText("    ", formats.small_muted)
        self._write_actions(cursor, message.id, actions)

    def _reply_facts(self, message: Message) -> list[tuple[str, QTextCharFormat]]:
        """Token counts, speed and status of a reply, each with its format."""
        muted = self.formats.small_muted
        locale = QLocale()
        facts: list[tuple[str, QTextCharFormat]] = []
        usage = message.usage
        if usage is not None and usage.input_tokens is not None:
            text = QCoreApplication.translate("ChatView", "{count} tokens in").format(
                count=locale.toString(usage.input_tokens)
            )
            facts.append((text, muted))
        if usage is not None and usage.output_tokens is not None:
            text = QCoreApplication.translate("ChatView", "{count} tokens out").format(
                count=locale.toString(usage.output_tokens)
            )
            facts.append((text, muted))
            if message.duration:
                rate = usage.output_tokens / message.duration
                text = QCoreApplication.translate("ChatView", "{rate} tokens/s").format(
                    rate=locale.toString(float(rate), "f", 1)
                )
                facts.append((text, muted))
        if message.status is MessageStatus.INTERRUPTED:
            facts.append(
                (QCoreApplication.translate("ChatView", "Interrupted"), self.formats.notice)
            )
        return facts

    def _write_actions(
        self, cursor: QTextCursor, message_id: int, actions: list[tuple[str, str]]
    ) -> None:
        for index, (label, action) in enumerate(actions):
            if index:
                cursor.insertText(SEPARATOR, self.formats.small_muted)
            href = action_url(action, message_id)
            cursor.insertText(label, link_format(self.formats.small_link, href))


def _when(created: float) -> str:
    """A message's time, with its date unless it is from today."""
    moment = QDateTime.fromSecsSinceEpoch(int(created))
    locale = QLocale()
    time = locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    if moment.date() == QDate.currentDate():
        return time
    return locale.toString(moment.date(), QLocale.FormatType.ShortFormat) + " " + time
