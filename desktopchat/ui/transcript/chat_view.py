"""The conversation pane: rendered Markdown, streaming replies, copy, and inert model output.

One QTextBrowser holds the whole conversation as one document (see chat_document.py for its
shape). Model output is untrusted (R6): the document never loads a resource except the
images it registered itself (document_images.py), raw HTML is shown as text, and links are
handled by view_links.py (only http, https and bare mailto open, on click). Our own controls
are links too (small icons, Tab stops), with the `dc-action:` scheme: most are emitted as
`action_requested`; editing opens the message in place (inline_editor.py); a reply's
thinking folds and unfolds here (reasoning_section.py).

The text sits in a centred reading column (COLUMN_EM wide, less in a narrow window): the root
frame's side margins make it, so the whole width still scrolls with the wheel; the bubbles
and code boxes behind the text are painted by backdrop.py.

Streaming replies are buffered and flushed at a throttled rate by streaming.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace

from PySide6.QtCore import QEvent, QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktopchat.domain.errors import ChatError
from desktopchat.domain.tool_calls import LoopEnd, ToolCall, ToolStep
from desktopchat.domain.types import Message, MessageStatus, Role, Thread
from desktopchat.services.tool_loop import ToolApprovalRequested
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.transcript.actions import ActionLink, MessageAction
from desktopchat.ui.transcript.approval_cards import ApprovalCard
from desktopchat.ui.transcript.attachment_images import BlobReader
from desktopchat.ui.transcript.backdrop import paint_backdrop, paint_left_out_veil
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
from desktopchat.ui.transcript.formats import ChatFormats
from desktopchat.ui.transcript.inline_editor import InlineEditing
from desktopchat.ui.transcript.long_words import without_breaks_in
from desktopchat.ui.transcript.markdown import InertDocument
from desktopchat.ui.transcript.math_images import MathImages
from desktopchat.ui.transcript.reading_column import fit_column, reading_font, set_top_margin
from desktopchat.ui.transcript.streaming import (
    StreamingReplies,
    retrying_text,
    waiting_text,
    with_streamed_reasoning,
)
from desktopchat.ui.transcript.tool_replies import ToolReplies
from desktopchat.ui.transcript.view_links import ViewLinks

PAGE_SIZE = 200
BOTTOM_SLACK_PX = 4
FULL_RENDER_LIMIT = 16_000
"""Finished replies up to this many characters are rendered whole (~20 ms here)."""
_EMITTED_ACTIONS = frozenset(
    {
        MessageAction.COPY,
        MessageAction.REGENERATE,
        MessageAction.RETRY,
        MessageAction.RETRY_NOW,
        MessageAction.SETTINGS,
        MessageAction.LOAD_EARLIER,
        MessageAction.BRANCH_PREVIOUS,
        MessageAction.BRANCH_NEXT,
        MessageAction.DELETE,
        MessageAction.STOP,
    }
)
"""The actions on a message that the window does (ui/chat/message_actions.py)."""


class ChatView(QTextBrowser):
    """The conversation as one read-only document, with icon actions under each message."""

    action_requested = Signal(object, object)  # MessageAction, message id (63-bit)
    """(action, message_id): one of _EMITTED_ACTIONS on a message."""
    edit_submitted = Signal(object, str)  # message id, new text
    """A person's message edited in place and sent again."""
    tool_decided = Signal(str, object, str)  # call id, Decision, reason
    """The person answered an approval card (tool_replies.py)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        copy_only: bool = False,
    ) -> None:
        """`copy_only`: a reply shown on its own (a comparison's column), where editing,
        regenerating, retrying and switching branches make no sense: only Copy is offered."""
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
        document = InertDocument(self)
        document.setUndoRedoEnabled(False)
        option = document.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        document.setDefaultTextOption(option)
        self.setDocument(document)
        document.setDefaultFont(reading_font(self.font()))
        self._formats = ChatFormats(self.palette(), document.defaultFont())
        self._math = MathImages(self)
        self._conversation = ConversationDocument(document, self._formats, self._math)
        self._conversation.footer.copy_only = copy_only
        self._thumbnails = self._conversation.attachments.thumbnails
        self._thumbnails.loaded.connect(self._on_thumbnail_loaded)
        self._editing = InlineEditing(self, self._conversation.frames)
        self._editing.submitted.connect(self.edit_submitted)
        self._links = ViewLinks(
            self, self._conversation, open_url, self.message_text, self._on_action
        )
        self._highlighter = CodeHighlighter(document, self._formats.theme)
        self._messages: dict[int, Message] = {}
        self._order: list[int] = []
        self._failures: dict[int, Failure] = {}
        self._load_earlier_id: int | None = None
        self._streaming = StreamingReplies(
            self, self._conversation, self._highlighter, self._edit_block
        )
        self._colouring = OnScreenColouring(self, self._highlighter)
        self._tools = ToolReplies(self, self._conversation, self._streaming, self._edit_block)
        self._tools.decided.connect(self.tool_decided)
        document.documentLayout().documentSizeChanged.connect(self._tools.cards.place)
        self._follow_bottom = True
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)

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
        self._streaming.clear()
        self._tools.clear()
        self._editing.stop()
        set_top_margin(self.document(), 0)
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
        self._streaming.clear()
        self._tools.clear()
        self._editing.stop()
        self._messages.clear()
        self._order.clear()
        self._failures.clear()
        self._load_earlier_id = None
        self._conversation.clear()
        set_top_margin(self.document(), 0)

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
        set_top_margin(self.document(), max(24, self.viewport().height() // 3))

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
        if message.id not in self._messages or message.id in self._streaming.streams:
            return
        self._messages[message.id] = message
        if message.status is not MessageStatus.FAILED:
            self._failures.pop(message.id, None)
        elif message.id not in self._failures:
            self._failures[message.id] = Failure.of_stored(message)
        self._render(message, message.text)

    def show_siblings(self, siblings: Mapping[int, tuple[int, ...]]) -> None:
        """Messages on screen that have gained siblings (a regenerate, an edit, a compare)
        get their ‹ i/n ›; only those messages are drawn again."""
        for message_id, ids in siblings.items():
            if self._conversation.siblings.get(message_id) != ids:
                self._conversation.siblings[message_id] = ids
                message = self._messages.get(message_id)
                if message is not None:
                    self.update_message(message)

    def message_text(self, message_id: int) -> str | None:
        """The raw Markdown of a shown message (what has arrived so far, while streaming)."""
        stream = self._streaming.streams.get(message_id)
        if stream is not None:
            return self._tools.prefix(message_id) + stream.full_text()
        message = self._messages.get(message_id)
        return message.text if message is not None else None

    # --- streaming ----------------------------------------------------------------------

    def begin_reply(self, message: Message) -> None:
        """Show an empty reply that says how long it has been waiting for its first token."""
        with self._edit_block():
            self._add_last(message)
            self._conversation.begin_streaming(message, waiting_text(0))
        self._streaming.begin(message)

    def show_retrying(
        self, message_id: int, reason: str, delay: float, attempt: int, attempts: int
    ) -> None:
        """A streaming reply whose request is sent again in `delay` seconds: its footer
        says why and counts down, with "Retry now"."""
        if message_id in self._streaming.streams:
            self._streaming.retrying(
                message_id,
                delay,
                lambda seconds: retrying_text(reason, seconds, attempt, attempts),
            )

    def append_delta(self, message_id: int, text: str) -> None:
        """Buffer a piece of a streaming reply; the view catches up within FLUSH_INTERVAL_MS
        (streaming.py)."""
        self._streaming.add_text(message_id, text)

    def append_reasoning(self, message_id: int, text: str) -> None:
        """Buffer a piece of a streaming reply's thinking, flushed like its text: into its
        section when that is open, else only counted until it is opened."""
        self._streaming.add_reasoning(message_id, text)

    def finish_reply(self, message: Message) -> None:
        """Show the finished reply with its footer.

        A short reply is rendered whole, once. A long one (whose full layout alone would stall
        the window for ~100 ms per 80 KB) is finished in place: only its tail is rendered.
        """
        prefix = self._tools.finish(message.id)
        stream = self._streaming.end(message.id)
        if message.id not in self._messages:
            return
        streamed = prefix + stream.full_text() if stream is not None else ""
        text = message.text or streamed
        message = with_streamed_reasoning(message, stream)
        self._messages[message.id] = message
        failure = Failure.of_stored(message)
        if failure is not None:
            self._failures[message.id] = failure
        whole = failure is not None or text != streamed or len(text) <= FULL_RENDER_LIMIT
        # The sources go between text and footer; tool steps between pieces of the text.
        if whole or message.web_search.sources or message.tool_steps.steps:
            self._render(message, text)
            return
        with self._edit_block():
            stream.finish()
            self._conversation.reasoning.show_finished(message)
            self._conversation.set_footer(
                message, text, is_last=message.id == self._order[-1], failure=None
            )

    def fail_reply(self, message: Message, error: ChatError) -> None:
        """Keep the partial text, and show the error with Retry and, for keys, Settings."""
        prefix = self._tools.finish(message.id)
        stream = self._streaming.end(message.id)
        streamed = prefix + stream.full_text() if stream is not None else ""
        text = message.text if len(message.text) >= len(streamed) else streamed
        message = with_streamed_reasoning(message, stream)
        self._failures[message.id] = Failure.of_error(error)
        if message.id not in self._messages:
            self.append_message(message)
            return
        self._messages[message.id] = message
        self._render(message, text)

    def resume_reply(self, message: Message) -> None:
        """Show a reply that is still streaming (the person came back to its conversation):
        what it wrote, its tool steps, and the rest streaming on."""
        self.begin_reply(replace(message, text=""))
        self.append_delta(message.id, self._tools.resume(message))

    def show_tool_step(self, message_id: int, step: ToolStep) -> None:
        """The streaming reply stopped to call tools: their lines follow its text."""
        self._tools.step(message_id, step)

    def show_tool_call(self, message_id: int, call: ToolCall) -> None:
        """A call of a streaming reply started, or ended (its line says how)."""
        self._tools.call_changed(message_id, call)

    def ask_tool(self, question: ToolApprovalRequested, *, take_focus: bool = True) -> None:
        """Show the approval card for a call, where the reply stopped."""
        self._tools.ask(question, take_focus=take_focus)

    def show_tool_loop_end(self, message_id: int, end: LoopEnd) -> None:
        self._tools.ended(message_id, end)

    def tool_cards(self) -> dict[str, ApprovalCard]:
        """The approval cards shown, by call id."""
        return dict(self._tools.cards.cards)

    def is_streaming(self) -> bool:
        """Whether a reply is being streamed into the view."""
        return bool(self._streaming.streams)

    def _toggle_reasoning(self, message_id: int) -> None:
        """Unfold or fold a reply's thinking (its line was clicked, or Enter pressed on it)."""
        with self._edit_block():
            if not self._streaming.toggle_reasoning(message_id):
                message = self._messages.get(message_id)
                if message is not None:
                    self._conversation.reasoning.toggle_finished(message)

    def _fold_tool_call(self, message_id: int, index: int, *, show_all: bool) -> None:
        """Unfold or fold a call's block ("Show all": its whole result, up to a limit)."""
        blocks = self._conversation.tools
        if show_all:
            blocks.show_all(message_id, index)
        else:
            blocks.toggle(message_id, index)
        if not self._tools.toggled(message_id) and message_id in self._messages:
            message = self._messages[message_id]
            self._render(message, message.text)

    # --- helpers ------------------------------------------------------------------------

    def _add_last(self, message: Message) -> None:
        """Record `message` as the new last one; the previous last loses "Regenerate"."""
        previous = self._messages.get(self._order[-1]) if self._order else None
        self._messages[message.id] = message
        self._order.append(message.id)
        if (
            previous is not None
            and previous.role is Role.ASSISTANT
            and previous.id not in self._streaming.streams
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
        with self._edit_block():
            fit_column(self.viewport().width(), self.document(), self._conversation)
        self._colouring.schedule()
        self._editing.place()
        self._tools.relayout()

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_backdrop(self, self._formats, self._editing.frame_position)
        super().paintEvent(event)
        paint_left_out_veil(self, self._formats)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._editing.place()
        self._tools.cards.place()

    # --- attachments --------------------------------------------------------------------

    def set_blob_reader(self, reader: BlobReader | None) -> None:
        """How to read an attachment's bytes (HistoryService.blob, off the loop): pictures
        then show as thumbnails, and open whole on click; without it, as their names."""
        self._thumbnails.set_reader(reader)

    @property
    def tasks(self) -> Tasks:
        """Its pictures being read and decoded: the window adopts them."""
        return self._thumbnails.tasks

    def _on_thumbnail_loaded(self, sha256: str) -> None:
        """A picture's thumbnail is ready: show it in the messages that have it."""
        self._rerender(lambda m: any(a.sha256 == sha256 for a in m.attachments))

    def _open_attachment(self, message_id: int, index: int) -> None:
        message = self._messages.get(message_id)
        if message is not None and index < len(message.attachments):
            attachment = message.attachments[index]
            if attachment.sha256:
                self._thumbnails.open_full(attachment.sha256, attachment.name, self)

    # --- links and actions --------------------------------------------------------------

    def selected_text(self) -> str:
        """What is selected in the conversation, as Copy would give it ("" when nothing is):
        a prompt's `{{selection}}`. The selection outlives the focus going elsewhere."""
        if not self.textCursor().hasSelection():
            return ""
        return self.createMimeDataFromSelection().text()

    def createMimeDataFromSelection(self) -> QMimeData:
        """A copied selection gives the text as written: without the breaks put into long
        words for layout (long_words.py)."""
        return without_breaks_in(super().createMimeDataFromSelection())

    def loadResource(self, type: int, name: QUrl) -> None:
        """Never load anything a message refers to (the document refuses too)."""
        return None

    def _on_action(self, link: ActionLink) -> None:
        """An action link of ours was activated (view_links.py has done any copying)."""
        match link.action, link.numbers:
            case MessageAction.ATTACHMENT, (message_id, index):
                self._open_attachment(message_id, index)
            case MessageAction.TOOL | MessageAction.TOOL_ALL as action, (message_id, index):
                self._fold_tool_call(message_id, index, show_all=action is MessageAction.TOOL_ALL)
            case MessageAction.EDIT, (message_id,):
                self.start_editing(message_id)
            case MessageAction.REASONING, (message_id,):
                self._toggle_reasoning(message_id)
            case action, (message_id,) if action in _EMITTED_ACTIONS:
                self.action_requested.emit(action, message_id)

    def copied_feedback(self) -> CopiedToast:
        """The "Copied" label (for tests: visible with its text after a copy)."""
        return self._links.toast

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._links.click_point = event.position().toPoint()
        try:
            super().mouseReleaseEvent(event)
        finally:
            self._links.click_point = None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._links.tooltip_event(event):
            return True
        return super().viewportEvent(event)

    # --- theme --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Follow light/dark and font changes: new formats, then re-render what is shown."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._restyle()

    def _restyle(self) -> None:
        self.document().setDefaultFont(reading_font(self.font()))
        self._formats = ChatFormats(self.palette(), self.document().defaultFont())
        self._conversation.set_formats(self._formats)
        self._highlighter.set_theme(self._formats.theme)
        self._rerender(lambda message: True)

    def _rerender(self, wanted: Callable[[Message], bool]) -> None:
        """Render the shown messages `wanted` says again (not one streaming or edited)."""
        if not self._order:  # nothing shown, or the empty state
            return
        editor = self._editing.editor
        busy = set(self._streaming.streams) | ({editor.message_id} if editor is not None else set())
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
