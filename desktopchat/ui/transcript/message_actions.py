"""What the links under a message do: copy, regenerate, retry, edit and resend, show earlier.

The conversation pane only reports which link was clicked; this decides what it means for
the conversation on screen and asks the controller to do it. A reply that is about to be
replaced leaves the screen at once, so the new one streams in its place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow

from desktopchat.domain.types import Role
from desktopchat.storage.history import ConversationStore
from desktopchat.ui.transcript.chat_view import PAGE_SIZE, ChatView
from desktopchat.ui.transcript.edit_dialog import EditMessageDialog
from desktopchat.ui.window.controller import ChatController


class MessageActions(QObject):
    def __init__(
        self,
        window: QMainWindow,
        store: ConversationStore,
        controller: ChatController,
        view: ChatView,
        open_settings: Callable[[], object],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._controller = controller
        self._view = view
        self._open_settings = open_settings

    def run(self, action: str, message_id: int, conversation_id: int | None) -> None:
        """Do `action` on a message of the conversation on screen."""
        if action == "copy":  # the view has put the text on the clipboard already
            self._status(self.tr("Copied"), 2000)
        elif action == "settings":
            self._open_settings()
        elif conversation_id is None:
            return
        elif action in ("regenerate", "retry"):
            self._regenerate(conversation_id, message_id)
        elif action == "edit":
            self._edit(conversation_id, message_id)
        elif action == "load_earlier":
            earlier = [m for m in self._store.messages(conversation_id) if m.id < message_id]
            page = earlier[-PAGE_SIZE:]
            self._view.prepend_messages(page, more=len(earlier) > len(page))

    def _regenerate(self, conversation_id: int, message_id: int) -> None:
        """Only the last reply can be sent again: an earlier one has later turns that
        depend on it (the store would replace the last reply instead)."""
        newest = self._store.last_messages(conversation_id, PAGE_SIZE + 1)
        if not newest or newest[-1].id != message_id or newest[-1].role is not Role.ASSISTANT:
            self._status(
                self.tr("Only the last reply can be sent again. Edit your message instead."),
                6000,
            )
            return
        if self._busy():
            return
        if self._controller.regenerate(conversation_id):
            total = self._store.message_count(conversation_id) - 1
            self._view.show_conversation(newest[:-1], total=total)

    def _edit(self, conversation_id: int, message_id: int) -> None:
        message = self._store.get_message(message_id)
        if message is None or message.role is not Role.USER or self._busy():
            return
        dialog = EditMessageDialog(message.text, self._window)
        if dialog.exec() != EditMessageDialog.DialogCode.Accepted or not dialog.text():
            return
        earlier = [m for m in self._store.messages(conversation_id) if m.id < message_id]
        if self._controller.edit_and_resend(conversation_id, message_id, dialog.text()):
            self._view.show_conversation(earlier)

    def _busy(self) -> bool:
        """A reply is streaming: say so rather than silently ignore the click."""
        if self._controller.is_streaming():
            self._status(self.tr("Wait for the reply to finish, or stop it (Esc)."), 4000)
            return True
        return False

    def _status(self, text: str, ms: int) -> None:
        self._window.statusBar().showMessage(text, ms)
