"""What the actions under a message do: copy, regenerate, retry, resend an edit, show earlier.

The conversation pane only reports which link was clicked; this decides what it means for
the conversation on screen and asks the controller to do it. A reply that is about to be
replaced leaves the screen at once, so the new one streams in its place. What it needs from
the history it reads through the HistoryService, in a task, off the loop.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from desktopchat.services.history import HistoryService, Page
from desktopchat.ui.chat.controller import ChatController
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import ask_to_delete
from desktopchat.ui.transcript.actions import MessageAction
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.transcript.shown_messages import PAGE_SIZE

BRANCH_PAGE_SIZE = 40
"""‹ and › show the newest messages of the other branch, fewer than a full page: drawing 200
messages again takes ~250 ms, 40 well under P5's 100 ms; earlier ones are a "Show earlier
messages" away."""


class MessageActions(QObject):
    def __init__(
        self,
        parent: QWidget,
        tasks: Tasks,
        history: HistoryService,
        controller: ChatController,
        view: ChatView,
        open_settings: Callable[[], object],
        shown: Callable[[], int | None],
        status: Callable[[str, int], None],
    ) -> None:
        """`shown()`: the conversation on screen now; `status(text, ms)` says a short
        message; `parent` is the questions' window."""
        super().__init__(parent)
        self._shown = shown
        self._parent = parent
        self._status = status
        self._tasks = tasks
        self._history = history
        self._controller = controller
        self._view = view
        self._open_settings = open_settings

    def run(self, action: MessageAction, message_id: int, conversation_id: int | None) -> None:
        """Do `action` on a message of the conversation on screen (one the view emits; the
        others, and any on no conversation, do nothing)."""
        match action:
            case MessageAction.COPY:  # the view has put the text on the clipboard already
                self._status(self.tr("Copied"), 2000)
            case MessageAction.SETTINGS:
                self._open_settings()
            case MessageAction.RETRY_NOW:
                self._controller.retry_now(message_id)
            case _ if conversation_id is not None:
                self._run_on(conversation_id, action, message_id)

    def _run_on(self, conversation_id: int, action: MessageAction, message_id: int) -> None:
        """The actions that change what the conversation shows."""
        match action:
            case MessageAction.REGENERATE | MessageAction.RETRY:
                self._tasks.spawn(self._regenerate(conversation_id, message_id))
            case MessageAction.LOAD_EARLIER:
                self._tasks.spawn(self._load_earlier(conversation_id, message_id))
            case MessageAction.DELETE:
                self._ask_delete(conversation_id, message_id)
            case MessageAction.BRANCH_PREVIOUS | MessageAction.BRANCH_NEXT:
                step = -1 if action is MessageAction.BRANCH_PREVIOUS else 1
                self._tasks.spawn(self.switch_branch(conversation_id, message_id, step))

    async def switch_branch(self, conversation_id: int, message_id: int, step: int) -> None:
        """Show the sibling before or after this message (‹ or ›) and the branch below it."""
        if self._busy(conversation_id):
            return
        page = await self._history.switch_branch_page(
            conversation_id, message_id, step, BRANCH_PAGE_SIZE
        )
        self._show(page)

    async def _load_earlier(self, conversation_id: int, message_id: int) -> None:
        page = await self._history.page_before(conversation_id, message_id, PAGE_SIZE)
        self._view.prepend_messages(page.messages, more=page.more, siblings=page.siblings)

    async def _regenerate(self, conversation_id: int, message_id: int) -> None:
        """A new reply beside this one; the old one stays as a branch (‹ 1/2 ›). The
        screen shows the branch up to the question while the new reply streams."""
        if self._busy(conversation_id):
            return
        page = await self._history.page_before(conversation_id, message_id, PAGE_SIZE)
        self._controller.regenerate(conversation_id, message_id, self._going(conversation_id, page))

    def resend(self, message_id: int, text: str, conversation_id: int | None) -> None:
        """A message edited in place (the view's edit_submitted): send it again."""
        if conversation_id is not None:
            self._tasks.spawn(self._resend(conversation_id, message_id, text))

    async def _resend(self, conversation_id: int, message_id: int, text: str) -> None:
        if not text or self._busy(conversation_id):
            return
        page = await self._history.page_before(conversation_id, message_id, PAGE_SIZE)
        going = self._going(conversation_id, page)
        self._controller.edit_and_resend(conversation_id, message_id, text, going)

    def _going(self, conversation_id: int, page: Page) -> Callable[[], None]:
        """Once the request goes (it fits the model's window), the branch up to the
        question replaces the old reply or the editor, if still on screen. A refused one
        changes nothing: the old reply stays, the editor keeps its text."""

        def go() -> None:
            if self._shown() == conversation_id:
                self._show(page)

        return go

    def _show(self, page: Page) -> None:
        total = len(page.messages) + page.more
        self._view.show_conversation(page.messages, total=total, siblings=page.siblings)

    def _ask_delete(self, conversation_id: int, message_id: int) -> None:
        """Deleting is explicit and asked: the message and every branch below it go for
        good (opened, not exec'd: no nested event loop)."""
        if self._busy(conversation_id):
            return
        ask_to_delete(
            self._parent,
            self.tr("Delete messages"),
            self.tr(
                "Delete this message and everything that follows it, in every branch? "
                "This cannot be undone."
            ),
            self.tr("Delete"),
            lambda: self._tasks.spawn(self._delete(conversation_id, message_id)),
            "deleteMessagesQuestion",
        )

    async def _delete(self, conversation_id: int, message_id: int) -> None:
        await self._history.delete_from(conversation_id, message_id)  # shown again: its
        # messages changed (ui/window/history_events.py)

    def _busy(self, conversation_id: int) -> bool:
        """This conversation's reply is streaming: say so rather than silently ignore the
        click."""
        if self._controller.is_streaming(conversation_id):
            self._status(self.tr("Wait for the reply to finish, or stop it (Esc)."), 4000)
            return True
        return False
