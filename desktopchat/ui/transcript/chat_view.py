"""The conversation pane: rendered Markdown, streaming replies, copy, and inert model output.

One QTextBrowser holds the whole conversation as one document (see chat_document.py for its
shape). Model output is untrusted (R6): the document never loads a resource, raw HTML is shown
as text, a link's title and address are shown in its tooltip as written (never as rich text),
and links open only on click, only for http, https and bare mailto addresses, in the system
browser. Our own controls are links too (small icons, Tab stops), with the `dc-action:`
scheme; clicking one emits `action_requested` (or, for copying, does it here and says
"Copied" where the click was; for editing, opens the message in place: inline_editor.py).

The text sits in a centred reading column (COLUMN_EM wide, less in a narrow window): the root
frame's side margins make it, so the whole width still scrolls with the wheel; the bubbles
and code boxes behind the text are painted by backdrop.py.

Streaming deltas arrive by the thousand per second; they are buffered and flushed at most
every FLUSH_INTERVAL_MS, and a flush re-renders only the reply's unfinished tail
(reply_stream.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager

from PySide6.QtCore import QElapsedTimer, QEvent, QLocale, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QCursor,
    QDesktopServices,
    QFont,
    QFontInfo,
    QGuiApplication,
    QHelpEvent,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QTextBrowser, QToolTip, QWidget

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Message, MessageStatus, Role, Thread
from desktopchat.ui.transcript.backdrop import paint_backdrop
from desktopchat.ui.transcript.chat_document import (
    ConversationDocument,
    Failure,
    edit_block,
)
from desktopchat.ui.transcript.code_highlighter import (
    CodeHighlighter,
    OnScreenColouring,
    visible_blocks,
)
from desktopchat.ui.transcript.copied_toast import CopiedToast
from desktopchat.ui.transcript.formats import COLUMN_EM, ChatFormats
from desktopchat.ui.transcript.inline_editor import InlineEditing
from desktopchat.ui.transcript.link_hover import format_at, link_tooltip
from desktopchat.ui.transcript.markdown import (
    InertDocument,
    LinkKind,
    external_url,
    link_policy,
    parse_action,
)
from desktopchat.ui.transcript.markdown_blocks import (
    fenced_code_blocks,
    same_code_modulo_leading_tabs,
)
from desktopchat.ui.transcript.math_images import MathImages
from desktopchat.ui.transcript.math_spans import may_contain_math
from desktopchat.ui.transcript.message_footer import action_label
from desktopchat.ui.transcript.reply_stream import ReplyStream

PAGE_SIZE = 200
FLUSH_INTERVAL_MS = 30
FLUSH_MAX_CHARS = 4_000
"""A flush renders at most this much new text (~5 ms here); a burst takes several flushes."""
WAITING_INTERVAL_MS = 100
BOTTOM_SLACK_PX = 4
FULL_RENDER_LIMIT = 16_000
"""Finished replies up to this many characters are rendered whole (~20 ms here)."""
_EMITTED_ACTIONS = frozenset(
    {"copy", "regenerate", "retry", "settings", "load_earlier", "branch_previous", "branch_next"}
)
SIDE_GUTTER = 24
"""Least space between the reading column and the view's edges."""
READING_SCALE = 1.07
"""The conversation's text is a little larger than the window's controls."""


class ChatView(QTextBrowser):
    """The conversation as one read-only document, with icon actions under each message."""

    action_requested = Signal(str, object)  # action, message id (63-bit)
    """(action, message_id): copy, regenerate, retry, settings, load_earlier,
    branch_previous, branch_next."""
    edit_submitted = Signal(object, str)  # message id, new text
    """A person's message edited in place and sent again."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conversationView")
        self.setAccessibleName(self.tr("Conversation"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # A scroll bar that comes and goes changes the text width: Qt then lays out the whole
        # conversation again (~30 ms for a page), e.g. when a streaming reply first overflows.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self._open_url = open_url
        document = InertDocument(self)
        document.setUndoRedoEnabled(False)
        option = document.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        document.setDefaultTextOption(option)
        self.setDocument(document)
        document.setDefaultFont(self._reading_font())
        self._formats = ChatFormats(self.palette(), document.defaultFont())
        self._math = MathImages(self)
        self._math.ready.connect(self._on_math_ready)
        self._conversation = ConversationDocument(document, self._formats, self._math)
        self._editing = InlineEditing(self, self._conversation.frames)
        self._editing.submitted.connect(self.edit_submitted)
        self._toast = CopiedToast(self.viewport())
        self._click_point: QPoint | None = None
        self._highlighter = CodeHighlighter(document, self._formats.theme)
        self._messages: dict[int, Message] = {}
        self._order: list[int] = []
        self._failures: dict[int, Failure] = {}
        self._load_earlier_id: int | None = None
        self._streams: dict[int, ReplyStream] = {}
        self._waiting_since: dict[int, QElapsedTimer] = {}
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._flush)
        self._since_flush = QElapsedTimer()
        self._waiting_timer = QTimer(self)
        self._waiting_timer.setInterval(WAITING_INTERVAL_MS)
        self._waiting_timer.timeout.connect(self._update_waiting)
        self._colouring = OnScreenColouring(self, self._highlighter)
        self._follow_bottom = True
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.highlighted.connect(self._on_link_hovered)

    # --- whole conversation -------------------------------------------------------------

    def show_conversation(
        self,
        messages: Sequence[Message],
        *,
        total: int | None = None,
        siblings: Mapping[int, tuple[int, ...]] | None = None,
    ) -> None:
        """Replace the content with the newest page of `messages` and scroll to the bottom.

        Older messages (beyond the page, or beyond `messages` when `total` says there are
        more) are reachable through a "Show earlier messages" link. `siblings` (a message id
        → the ids of it and its siblings, as in domain Thread) puts a ‹ 2/3 › switcher under
        each message that has some.
        """
        self._forget_streams()
        self._editing.stop()
        self._set_top_margin(0)
        self._conversation.siblings = dict(siblings or {})
        shown = list(messages[-PAGE_SIZE:])
        more = len(messages) > len(shown) or (total is not None and total > len(messages))
        self._messages = {message.id: message for message in shown}
        self._order = [message.id for message in shown]
        self._failures = {m.id: f for m in shown if (f := Failure.of_stored(m)) is not None}
        self._load_earlier_id = shown[0].id if more and shown else None
        self._conversation.clear()
        with self._edit_block():
            self._conversation.set_load_earlier(self._load_earlier_id)
            for message in shown:
                self._conversation.append(
                    message,
                    message.text,
                    is_last=message.id == self._order[-1],
                    failure=self._failures.get(message.id),
                )
        self._scroll_to_bottom()

    def show_thread(self, thread: Thread, *, more: bool = False) -> None:
        """Show a conversation's branch (domain Thread: the path and its siblings)."""
        messages = list(thread.messages)
        self.show_conversation(messages, total=len(messages) + more, siblings=thread.siblings)

    def prepend_messages(
        self,
        messages: Sequence[Message],
        *,
        more: bool,
        siblings: Mapping[int, tuple[int, ...]] | None = None,
    ) -> None:
        """Show an earlier page above the first message, keeping what is on screen in place."""
        self._conversation.siblings.update(siblings or {})
        new = [message for message in messages if message.id not in self._messages]
        scroll_bar = self.verticalScrollBar()
        layout = self.document().documentLayout()
        # Keep the first message line on screen where it is (block 0 is the link above it).
        visible = (block for block in visible_blocks(self) if block.blockNumber() > 0)
        anchor = QTextCursor(next(visible, self.document().lastBlock()))
        offset = layout.blockBoundingRect(anchor.block()).top() - scroll_bar.value()
        with self._edit_block():
            for message in new:
                self._messages[message.id] = message
                if (failure := Failure.of_stored(message)) is not None:
                    self._failures[message.id] = failure
            self._conversation.prepend([(m, m.text, self._failures.get(m.id)) for m in new])
            self._order[:0] = [message.id for message in new]
            self._load_earlier_id = self._order[0] if more and self._order else None
            self._conversation.set_load_earlier(self._load_earlier_id)
        scroll_bar.setValue(round(layout.blockBoundingRect(anchor.block()).top() - offset))

    def clear_conversation(self) -> None:
        """Show nothing (no conversation selected)."""
        self._forget_streams()
        self._editing.stop()
        self._messages.clear()
        self._order.clear()
        self._failures.clear()
        self._load_earlier_id = None
        self._conversation.clear()
        self._set_top_margin(0)

    def _set_top_margin(self, margin: float) -> None:
        root = self.document().rootFrame()
        root_format = root.frameFormat()
        if root_format.topMargin() != margin:
            root_format.setTopMargin(margin)
            root.setFrameFormat(root_format)

    def show_empty_state(self, model_label: str) -> None:
        """A new chat: say which model will answer and how to start, instead of a blank page."""
        self.clear_conversation()
        hints = [
            self.tr("Type below and press Enter to send; Shift+Enter starts a new line."),
            self.tr("Press Up in the empty message box to edit your last message."),
        ]
        with self._edit_block():
            self._conversation.show_empty_state(
                self.tr("What can I help with?"),
                model_label,
                hints,
            )
        self._set_top_margin(max(24, self.viewport().height() // 3))

    # --- editing in place ---------------------------------------------------------------

    def start_editing(self, message_id: int) -> bool:
        """Open a shown message of the person's in place for editing; False if not shown."""
        message = self._messages.get(message_id)
        if message is None or message.role is not Role.USER:
            return False
        self._editing.start(message_id, message.text)
        return True

    def edit_last_user_message(self) -> bool:
        """Edit the person's last shown message (Up in an empty composer); False if none."""
        for message_id in reversed(self._order):
            if self._messages[message_id].role is Role.USER:
                return self.start_editing(message_id)
        return False

    def inline_editor(self):
        """The open in-place editor, None when no message is being edited."""
        return self._editing.editor

    # --- single messages ----------------------------------------------------------------

    def append_message(self, message: Message) -> None:
        """Add a complete message at the end (a user message just sent, or any other)."""
        if message.id in self._messages:
            self.update_message(message)
            return
        if message.id not in self._failures and (failure := Failure.of_stored(message)):
            self._failures[message.id] = failure
        with self._edit_block():
            self._add_last(message)
            self._conversation.append(
                message, message.text, is_last=True, failure=self._failures.get(message.id)
            )
        self._scroll_to_bottom()

    def update_message(self, message: Message) -> None:
        """Re-render one shown message in place (after an edit)."""
        if message.id not in self._messages or message.id in self._streams:
            return
        self._messages[message.id] = message
        if message.status is not MessageStatus.FAILED:
            self._failures.pop(message.id, None)
        elif message.id not in self._failures:
            self._failures[message.id] = Failure.of_stored(message)
        self._render(message, message.text)

    def message_text(self, message_id: int) -> str | None:
        """The raw Markdown of a shown message (what has arrived so far, while streaming)."""
        if message_id in self._streams:
            return self._streams[message_id].full_text()
        message = self._messages.get(message_id)
        return message.text if message is not None else None

    # --- streaming ----------------------------------------------------------------------

    def begin_reply(self, message: Message) -> None:
        """Show an empty reply that says how long it has been waiting for its first token."""
        with self._edit_block():
            self._add_last(message)
            self._conversation.begin_streaming(message, self._waiting_text(0))
        self._streams[message.id] = ReplyStream(self._conversation, message)
        clock = QElapsedTimer()
        clock.start()
        self._waiting_since[message.id] = clock
        self._waiting_timer.start()

    def append_delta(self, message_id: int, text: str) -> None:
        """Buffer a piece of a streaming reply; the view catches up within FLUSH_INTERVAL_MS.

        The throttle fires on its leading edge: after a quiet spell (the first token above
        all) the delta is painted on the next loop turn, not a whole interval later.
        """
        stream = self._streams.get(message_id)
        if stream is None or not text:
            return
        stream.add(text)
        self._waiting_since.pop(message_id, None)
        if not self._flush_timer.isActive():
            elapsed = self._since_flush.elapsed() if self._since_flush.isValid() else None
            quiet = elapsed is None or elapsed >= FLUSH_INTERVAL_MS
            self._flush_timer.start(0 if quiet else FLUSH_INTERVAL_MS - elapsed)

    def finish_reply(self, message: Message) -> None:
        """Show the finished reply with its footer.

        A short reply is rendered whole, once. A long one (whose full layout alone would stall
        the window for ~100 ms per 80 KB) is finished in place: only its tail is rendered.
        """
        stream = self._streams.pop(message.id, None)
        self._waiting_since.pop(message.id, None)
        if message.id not in self._messages:
            return
        streamed = stream.full_text() if stream is not None else ""
        text = message.text or streamed
        self._messages[message.id] = message
        failure = Failure.of_stored(message)
        if failure is not None:
            self._failures[message.id] = failure
        if failure is not None or text != streamed or len(text) <= FULL_RENDER_LIMIT:
            self._render(message, text)
            return
        with self._edit_block():
            stream.finish()
            self._conversation.set_footer(
                message, text, is_last=message.id == self._order[-1], failure=None
            )

    def fail_reply(self, message: Message, error: ChatError) -> None:
        """Keep the partial text, and show the error with Retry and, for keys, Settings."""
        stream = self._streams.pop(message.id, None)
        self._waiting_since.pop(message.id, None)
        streamed = stream.full_text() if stream is not None else ""
        text = message.text if len(message.text) >= len(streamed) else streamed
        self._failures[message.id] = Failure.of_error(error)
        if message.id not in self._messages:
            self.append_message(message)
            return
        self._messages[message.id] = message
        self._render(message, text)

    def is_streaming(self) -> bool:
        """Whether a reply is being streamed into the view."""
        return bool(self._streams)

    def _flush(self) -> None:
        self._since_flush.start()
        with self._highlighter.colouring(), self._edit_block():
            behind = [stream.flush(FLUSH_MAX_CHARS) for stream in self._streams.values()]
        if any(behind):
            self._flush_timer.start(0)

    def _update_waiting(self) -> None:
        if not self._waiting_since:
            self._waiting_timer.stop()
            return
        for message_id, clock in self._waiting_since.items():
            self._conversation.set_footer_text(
                message_id, self._waiting_text(clock.elapsed() / 1000)
            )

    def _waiting_text(self, seconds: float) -> str:
        return self.tr("Waiting for the first token… {seconds} s").format(
            seconds=QLocale().toString(float(seconds), "f", 1)
        )

    def _forget_streams(self) -> None:
        self._streams.clear()
        self._waiting_since.clear()
        self._flush_timer.stop()
        self._waiting_timer.stop()

    # --- helpers ------------------------------------------------------------------------

    def _add_last(self, message: Message) -> None:
        """Record `message` as the new last one; the previous last loses "Regenerate"."""
        previous = self._messages.get(self._order[-1]) if self._order else None
        self._messages[message.id] = message
        self._order.append(message.id)
        if (
            previous is not None
            and previous.role is Role.ASSISTANT
            and previous.id not in self._streams
        ):
            self._conversation.set_footer(
                previous, previous.text, is_last=False, failure=self._failures.get(previous.id)
            )

    def _render(self, message: Message, text: str) -> None:
        with self._edit_block():
            self._conversation.render(
                message,
                text,
                is_last=message.id == self._order[-1],
                failure=self._failures.get(message.id),
            )

    def _edit_block(self) -> AbstractContextManager[None]:
        return edit_block(self.document())

    def _scroll_to_bottom(self) -> None:
        self._follow_bottom = True
        scroll_bar = self.verticalScrollBar()
        scroll_bar.setValue(scroll_bar.maximum())

    def _on_scrolled(self, value: int) -> None:
        """Follow new content only while the person is at the bottom."""
        self._follow_bottom = value >= self.verticalScrollBar().maximum() - BOTTOM_SLACK_PX
        self._colouring.schedule()

    def _on_scroll_range_changed(self, _minimum: int, maximum: int) -> None:
        # The document grew (a flush, a new message, or Qt finishing a lazy layout).
        if self._follow_bottom:
            self.verticalScrollBar().setValue(maximum)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_column()
        self._colouring.schedule()
        self._editing.place()

    def _update_column(self) -> None:
        """Centre a reading column of COLUMN_EM (narrower when the window is)."""
        width = self.viewport().width()
        em = QFontInfo(self.document().defaultFont()).pixelSize()
        column = min(COLUMN_EM * em, width - 2 * SIDE_GUTTER)
        side = max(SIDE_GUTTER // 2, (width - column) / 2)
        root = self.document().rootFrame()
        root_format = root.frameFormat()
        if root_format.leftMargin() == side and self._conversation.column_width == column:
            return
        root_format.setLeftMargin(side)
        root_format.setRightMargin(side)
        root_format.setBottomMargin(16)
        with self._edit_block():
            root.setFrameFormat(root_format)
            self._conversation.set_column_width(width - 2 * side)

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_backdrop(self, self._formats, self._editing.frame_position)
        super().paintEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._editing.place()

    def _reading_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * READING_SCALE)
        return font

    # --- links --------------------------------------------------------------------------

    def loadResource(self, type: int, name: QUrl) -> None:
        """Never load anything a message refers to (the document refuses too)."""
        return None

    def _on_anchor_clicked(self, url: QUrl) -> None:
        kind = link_policy(url)
        if kind is LinkKind.EXTERNAL:
            self._open_url(external_url(url))
        elif kind is LinkKind.ACTION:
            parsed = parse_action(url)
            if parsed is not None:
                self._run_action(*parsed)
        else:
            QToolTip.showText(QCursor.pos(), link_tooltip(url), self)

    def _run_action(self, action: str, numbers: tuple[int, ...]) -> None:
        if action == "copy_code" and len(numbers) == 2:
            self._copy_code(*numbers)
            self._say_copied()
        elif action == "edit" and len(numbers) == 1:
            self.start_editing(numbers[0])
        elif action in _EMITTED_ACTIONS and len(numbers) == 1:
            if action == "copy":
                QGuiApplication.clipboard().setText(self.message_text(numbers[0]) or "")
                self._say_copied()
            self.action_requested.emit(action, numbers[0])

    def _say_copied(self) -> None:
        """ "Copied", where the click was (or over the focused icon, from the keyboard)."""
        point = self._click_point
        if point is None:
            point = self.cursorRect(self.textCursor()).center()
        self._toast.show_at(point, self.tr("Copied"))

    def copied_feedback(self) -> CopiedToast:
        """The "Copied" label (for tests: visible with its text after a copy)."""
        return self._toast

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._click_point = event.position().toPoint()
        try:
            super().mouseReleaseEvent(event)
        finally:
            self._click_point = None

    def _copy_code(self, message_id: int, index: int) -> None:
        """Copy a code block exactly as the model wrote it (the document expands leading tabs)."""
        if message_id not in self._conversation.frames:
            return
        shown = self._conversation.code_blocks_text(message_id)
        if index >= len(shown):
            return
        sources = fenced_code_blocks(self.message_text(message_id) or "")
        exact = next((s for s in sources if same_code_modulo_leading_tabs(s, shown[index])), None)
        QGuiApplication.clipboard().setText(shown[index] if exact is None else exact)

    def _on_link_hovered(self, url: QUrl) -> None:
        tooltip = link_tooltip(url)
        if tooltip:
            QToolTip.showText(QCursor.pos(), tooltip, self)
        else:
            QToolTip.hideText()

    def viewportEvent(self, event: QEvent) -> bool:
        """Show a link's tooltip ourselves, escaped (see link_hover.py), never Qt's."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            url = QUrl(self.anchorAt(event.pos()))
            parsed = parse_action(url)
            if parsed is not None:  # our own icons: their name, never a format's tooltip
                tooltip = action_label(parsed[0])
            else:
                tooltip = link_tooltip(url, format_at(self, event.pos()).toolTip())
            if tooltip:
                QToolTip.showText(event.globalPos(), tooltip, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # --- theme --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Follow light/dark and font changes: new formats, then re-render what is shown."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._restyle()

    def _restyle(self) -> None:
        self.document().setDefaultFont(self._reading_font())
        self._formats = ChatFormats(self.palette(), self.document().defaultFont())
        self._conversation.set_formats(self._formats)
        self._highlighter.set_theme(self._formats.theme)
        self._rerender(lambda message: True)

    def _on_math_ready(self) -> None:
        """ziamath has loaded: formulas shown as their source become images."""
        self._rerender(lambda message: may_contain_math(message.text))

    def _rerender(self, wanted: Callable[[Message], bool]) -> None:
        """Render the shown messages `wanted` says again (not one streaming or edited)."""
        if not self._order:  # nothing shown, or the empty state
            return
        editor = self._editing.editor
        busy = set(self._streams) | ({editor.message_id} if editor is not None else set())
        with self._edit_block():
            self._conversation.set_load_earlier(self._load_earlier_id)
            for message_id in self._order:
                message = self._messages[message_id]
                if message_id not in busy and wanted(message):
                    self._conversation.render(
                        message,
                        message.text,
                        is_last=message_id == self._order[-1],
                        failure=self._failures.get(message_id),
                    )
        self._editing.place()
