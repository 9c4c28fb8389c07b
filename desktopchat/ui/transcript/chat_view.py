"""The conversation pane: rendered Markdown, streaming replies, copy, and inert model output.

One QTextBrowser holds the whole conversation as one document (see chat_document.py for its
shape); this widget wires its parts and is the window's one entry point to them: the page of
messages shown (shown_messages.py), replies as they stream and end (live_replies.py,
streaming.py, tool_replies.py), editing in place, links, scrolling (scroll_position.py).
Model output is untrusted (R6): the document never loads a resource except the
images it registered itself (document_images.py), raw HTML is shown as text, and links are
handled by view_links.py (only http, https and bare mailto open, on click). Our own controls
are links too (small icons, Tab stops), with the `dc-action:` scheme (actions.py): those
about the window are emitted as `action_requested`; editing opens the message in place
(inline_editor.py); a reply's thinking and tool calls fold and unfold here.

The text sits in a centred reading column (COLUMN_EM wide, less in a narrow window): the root
frame's side margins make it, so the whole width still scrolls with the wheel; the bubbles
and code boxes behind the text are painted by backdrop.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QMimeData, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QMouseEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktopchat.domain.errors import ChatError
from desktopchat.domain.tool_calls import LoopEnd, ToolCall, ToolStep
from desktopchat.domain.types import Message, Role, Thread
from desktopchat.services.tool_loop import ToolApprovalRequested
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.transcript.actions import WINDOW_ACTIONS, ActionLink, MessageAction
from desktopchat.ui.transcript.approval_cards import ApprovalCard
from desktopchat.ui.transcript.attachment_images import BlobReader
from desktopchat.ui.transcript.backdrop import paint_backdrop, paint_left_out_veil
from desktopchat.ui.transcript.chat_document import ConversationDocument, edit_block
from desktopchat.ui.transcript.code_highlighter import CodeHighlighter, OnScreenColouring
from desktopchat.ui.transcript.copied_toast import CopiedToast
from desktopchat.ui.transcript.formats import ChatFormats
from desktopchat.ui.transcript.inline_editor import InlineEditing
from desktopchat.ui.transcript.live_replies import LiveReplies
from desktopchat.ui.transcript.long_words import without_breaks_in
from desktopchat.ui.transcript.math_images import MathImages
from desktopchat.ui.transcript.reading_column import (
    fit_column,
    reading_document,
    reading_font,
    set_top_margin,
)
from desktopchat.ui.transcript.scroll_position import ScrollPosition
from desktopchat.ui.transcript.shown_messages import PAGE_SIZE as PAGE_SIZE  # the page
from desktopchat.ui.transcript.shown_messages import ShownMessages
from desktopchat.ui.transcript.streaming import StreamingReplies
from desktopchat.ui.transcript.tool_replies import ToolReplies
from desktopchat.ui.transcript.view_links import ViewLinks


class ChatView(QTextBrowser):
    """The conversation as one read-only document, with icon actions under each message."""

    action_requested = Signal(object, object)  # MessageAction, message id (63-bit)
    """(action, message_id): one of actions.WINDOW_ACTIONS on a message."""
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
        document = reading_document(self, self.font())
        self.setDocument(document)
        self._edit_block = functools.partial(edit_block, document)  # one layout at the end
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
        self._streaming = StreamingReplies(
            self, self._conversation, self._highlighter, self._edit_block
        )
        self._shown = ShownMessages(
            self._conversation, self._edit_block, lambda id_: id_ in self._streaming.streams
        )
        self._colouring = OnScreenColouring(self, self._highlighter)
        self._tools = ToolReplies(self, self._conversation, self._streaming, self._edit_block)
        self._tools.decided.connect(self.tool_decided)
        self._replies = LiveReplies(
            self._conversation, self._shown, self._streaming, self._tools, self._edit_block
        )
        document.documentLayout().documentSizeChanged.connect(self._tools.cards.place)
        self._scroll = ScrollPosition(self, self._colouring.schedule)

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
        self._stop_live_parts()
        set_top_margin(self.document(), 0)
        self._conversation.siblings = dict(siblings or {})
        self._shown.show(messages, total)
        self._scroll.to_bottom()

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
        with self._scroll.kept_in_place():
            self._shown.prepend(messages, more=more)

    def clear_conversation(self) -> None:
        """Show nothing (no conversation selected)."""
        self._stop_live_parts()
        self._shown.clear()
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
                self.tr("What can I help with?"), model_label, hints
            )
        set_top_margin(self.document(), max(24, self.viewport().height() // 3))

    # --- editing in place ---------------------------------------------------------------

    def start_editing(self, message_id: int) -> bool:
        """Open a shown message of the person's in place for editing; False if not shown."""
        message = self._shown.by_id.get(message_id)
        if message is None or message.role is not Role.USER:
            return False
        self._editing.start(message_id, message.text)
        return True

    def edit_last_user_message(self) -> bool:
        """Edit the person's last shown message (Up in an empty composer); False if none."""
        message_id = self._shown.last_of_person()
        return message_id is not None and self.start_editing(message_id)

    def inline_editor(self):
        """The open in-place editor, None when no message is being edited."""
        return self._editing.editor

    # --- single messages ----------------------------------------------------------------

    def append_message(self, message: Message) -> None:
        """Add a complete message at the end (a user message just sent, or any other)."""
        if message.id in self._shown.by_id:
            self.update_message(message)
            return
        self._shown.append(message)
        self._scroll.to_bottom()

    def update_message(self, message: Message) -> None:
        """Re-render one shown message in place (after an edit)."""
        if message.id in self._shown.by_id and message.id not in self._streaming.streams:
            self._shown.update(message)

    def show_siblings(self, siblings: Mapping[int, tuple[int, ...]]) -> None:
        """Messages on screen that have gained siblings (a regenerate, an edit, a compare)
        get their ‹ i/n ›; only those messages are drawn again."""
        for message_id, ids in siblings.items():
            if self._conversation.siblings.get(message_id) != ids:
                self._conversation.siblings[message_id] = ids
                message = self._shown.by_id.get(message_id)
                if message is not None:
                    self.update_message(message)

    def message_text(self, message_id: int) -> str | None:
        """The raw Markdown of a shown message (what has arrived so far, while streaming)."""
        streamed = self._replies.text(message_id)
        if streamed is not None:
            return streamed
        message = self._shown.by_id.get(message_id)
        return message.text if message is not None else None

    # --- streaming ----------------------------------------------------------------------

    def begin_reply(self, message: Message) -> None:
        """Show an empty reply that says how long it has been waiting for its first token."""
        self._replies.begin(message)

    def show_retrying(
        self, message_id: int, reason: str, delay: float, attempt: int, attempts: int
    ) -> None:
        """A streaming reply whose request is sent again in `delay` seconds: its footer
        says why and counts down, with "Retry now"."""
        self._replies.retrying(message_id, reason, delay, attempt, attempts)

    def append_delta(self, message_id: int, text: str) -> None:
        """Buffer a piece of a streaming reply; the view catches up within FLUSH_INTERVAL_MS
        (streaming.py)."""
        self._streaming.add_text(message_id, text)

    def append_reasoning(self, message_id: int, text: str) -> None:
        """Buffer a piece of a streaming reply's thinking, flushed like its text: into its
        section when that is open, else only counted until it is opened."""
        self._streaming.add_reasoning(message_id, text)

    def finish_reply(self, message: Message) -> None:
        """Show the finished reply with its footer (live_replies.py)."""
        self._replies.finish(message)

    def fail_reply(self, message: Message, error: ChatError) -> None:
        """Keep the partial text, and show the error with Retry and, for keys, Settings."""
        self._replies.fail(message, error, self.append_message)

    def resume_reply(self, message: Message) -> None:
        """Show a reply that is still streaming (the person came back to its conversation):
        what it wrote, its tool steps, and the rest streaming on."""
        self._replies.resume(message)

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

    # --- helpers ------------------------------------------------------------------------

    def _stop_live_parts(self) -> None:
        """Before another conversation: no stream, tool card or editor of this one goes on."""
        self._streaming.clear()
        self._tools.clear()
        self._editing.stop()

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

    @Slot(str)
    def _on_thumbnail_loaded(self, sha256: str) -> None:
        """A picture's thumbnail is ready: show it in the messages that have it."""
        self._rerender(lambda m: any(a.sha256 == sha256 for a in m.attachments))

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
                if (picture := self._shown.stored_attachment(message_id, index)) is not None:
                    self._thumbnails.open_full(picture.sha256, picture.name, self)
            case MessageAction.TOOL | MessageAction.TOOL_ALL as action, (message_id, index):
                show_all = action is MessageAction.TOOL_ALL
                self._replies.fold_tool_call(message_id, index, show_all=show_all)
            case MessageAction.EDIT, (message_id,):
                self.start_editing(message_id)
            case MessageAction.REASONING, (message_id,):
                self._replies.toggle_reasoning(message_id)
            case action, (message_id,) if action in WINDOW_ACTIONS:
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
        editor = self._editing.editor
        self._shown.rerender(wanted, editing=editor.message_id if editor is not None else None)
        self._editing.place()
