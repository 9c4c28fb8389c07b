"""What the chat controller reports, shown where the person looks: the message saved, the
reply as it streams (its reasoning, its retries, how it ended) in the conversation on
screen, a mark in the sidebar on any conversation whose reply streams, Send or Stop (and
Esc) following the conversation on screen, and a failure of the history said above the
conversation with the unsaved message given back. Also the composer's Send and Up, which
wait while the reply on screen streams. It works with the few collaborators it is given,
never the window itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Message
from desktopchat.services.history import HistoryService, StorageError
from desktopchat.ui.chat.controller import ChatController
from desktopchat.ui.composer.composer import Composer
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.translation import describe_error, retry_reason
from desktopchat.ui.transcript.chat_view import ChatView


class Notices(Protocol):
    def show_notice(self, text: str) -> None: ...

    def show_error(self, text: str) -> None: ...


class StreamingMarks(Protocol):
    """The sidebar's part: which conversations stream, and which are gone."""

    def set_streaming(self, conversation_id: int, streaming: bool) -> None: ...

    def remove_conversation(self, conversation_id: int) -> None: ...


class Switch(Protocol):
    """Which conversation is on screen, sending to it, and leaving a deleted one."""

    conversation_id: int | None

    def send(self, text: str) -> None: ...

    def conversation_gone(self, conversation_id: int) -> None: ...


class Unsaved(Protocol):
    """Messages sent and not stored yet (ui/window/drafts.py)."""

    def saved(self, conversation_id: int) -> None: ...

    def give_back_unsaved(self) -> None: ...


class ReplyPresenter(QObject):
    """`status` says a short message for some milliseconds (a sent message's title and place
    in the list follow through the history's changes, history_events.py)."""

    def __init__(
        self,
        controller: ChatController,
        history: HistoryService,
        tasks: Tasks,
        *,
        view: ChatView,
        composer: Composer,
        sidebar: StreamingMarks,
        notices: Notices,
        stop_action: QAction,
        switch: Switch,
        unsaved: Unsaved,
        status: Callable[[str, int], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._controller, self._history, self._tasks = controller, history, tasks
        self._view, self._composer, self._sidebar, self._notices = view, composer, sidebar, notices
        self._stop_action, self._switch, self._unsaved = stop_action, switch, unsaved
        self._status = status

    def _viewing(self, conversation_id: int | None) -> bool:
        return conversation_id is not None and conversation_id == self._switch.conversation_id

    # The composer's Send, Up and Stop.

    @Slot(str)
    def on_composer_send_requested(self, text: str) -> None:
        if not self.streaming_on_screen():
            self._switch.send(text)

    @Slot()
    def on_composer_edit_last_requested(self) -> None:
        """Up in an empty box edits the last message, in place."""
        if not self.streaming_on_screen():
            self._view.edit_last_user_message()

    @Slot()
    def stop_reply(self) -> None:
        """Stop (Esc, the Stop button) the reply of the conversation on screen only."""
        if self._switch.conversation_id is not None:
            self._controller.stop(self._switch.conversation_id)

    def streaming_on_screen(self) -> bool:
        conversation_id = self._switch.conversation_id
        return conversation_id is not None and self._controller.is_streaming(conversation_id)

    def show_streaming_state(self) -> None:
        """Send or Stop, and Esc, follow the conversation on screen. When they swap places
        and one of them had the focus (it was clicked), the focus goes back to the message
        box rather than to whatever widget comes next."""
        streaming = self.streaming_on_screen()
        focus = QApplication.focusWidget()
        in_composer = focus is not None and self._composer.isAncestorOf(focus)
        self._composer.set_streaming(streaming)
        self._stop_action.setEnabled(streaming)
        if in_composer:
            self._composer.focus_input()

    # What the controller reports.

    @Slot(object)
    def on_controller_user_message_saved(self, message: Message) -> None:
        self._unsaved.saved(message.conversation_id)
        if self._viewing(message.conversation_id):
            self._view.append_message(message)

    @Slot(object)
    def on_controller_reply_started(self, message: Message) -> None:
        if self._viewing(message.conversation_id):
            self._view.begin_reply(message)

    @Slot(object, object, str)
    def on_controller_delta_received(
        self, conversation_id: int, message_id: int, text: str
    ) -> None:
        if self._viewing(conversation_id):
            self._view.append_delta(message_id, text)

    @Slot(object, object, str)
    def on_controller_reasoning_received(
        self, conversation_id: int, message_id: int, text: str
    ) -> None:
        if self._viewing(conversation_id):
            self._view.append_reasoning(message_id, text)

    @Slot(object, str, str)
    def on_controller_reply_noticed(self, _message_id: object, parameter: str, reason: str) -> None:
        if parameter == "tools":
            self._notices.show_notice(self.tr("Tools were not offered: %1").replace("%1", reason))
            return
        self._notices.show_notice(
            self.tr("The provider did not accept the %1, so the request was sent without it: %2")
            .replace("%1", parameter)
            .replace("%2", reason)
        )

    @Slot(object, object, object, float, int, int)
    def on_controller_reply_retrying(
        self,
        conversation_id: int,
        message_id: int,
        error: ChatError,
        delay: float,
        attempt: int,
        attempts: int,
    ) -> None:
        if self._viewing(conversation_id):
            self._view.show_retrying(message_id, retry_reason(error), delay, attempt, attempts)

    @Slot(object)
    def on_controller_reply_finished(self, message: Message) -> None:
        if self._viewing(message.conversation_id):
            self._view.finish_reply(message)
            self._tasks.spawn(self._show_new_siblings(message.conversation_id))

    async def _show_new_siblings(self, conversation_id: int) -> None:
        """A reply that was a regenerate or followed an edit has siblings now: ‹ i/n ›."""
        page = await self._history.last_page(conversation_id, 2)
        if self._viewing(conversation_id) and page.siblings:
            self._view.show_siblings(page.siblings)

    @Slot(object, object)
    def on_controller_reply_failed(self, message: Message, error: ChatError) -> None:
        """Every failure offers Retry: when a key or a model must change first, Retry is
        what the person clicks once they have changed it (R5: retry in one click)."""
        if self._viewing(message.conversation_id):
            self._view.fail_reply(message, error)
            self._tasks.spawn(self._show_new_siblings(message.conversation_id))
        else:
            self._status(describe_error(error), 10000)

    @Slot(object, bool)
    def on_controller_streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        self._sidebar.set_streaming(conversation_id, streaming)
        if self._viewing(conversation_id):
            self.show_streaming_state()

    @Slot(object)
    def show_storage_error(self, error: StorageError) -> None:
        """Say it above the conversation; a message that could not even be saved goes back
        into the message box, so nothing typed is lost."""
        self._unsaved.give_back_unsaved()
        self._notices.show_error(
            self.tr(
                "Your history could not be saved: %1. "
                "What is on screen stays until you close the window."
            ).replace("%1", error.detail)
        )

    @Slot(object)
    def on_controller_conversation_gone(self, conversation_id: int) -> None:
        """Another instance deleted the conversation before the message left: the message
        goes back into the box of a new chat, and the person is told that Send starts a new
        conversation with it."""
        self._sidebar.remove_conversation(conversation_id)
        self._switch.conversation_gone(conversation_id)
        self._notices.show_notice(
            self.tr(
                "This conversation was deleted, perhaps by another DesktopChat window. "
                "Your message is still in the box: press Send to start a new conversation "
                "with it."
            )
        )
