"""The main window's side of the sidebar: opening what is clicked, searching as the person
types (a newer query wins over a slower older one), renaming and deleting, and keeping each
row (and the window's title) in step with the stored conversation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktopchat.domain.types import Conversation

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow


class SidebarLink(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._search_query = ""

    def on_sidebar_conversation_selected(self, conversation_id: int) -> None:
        self._window.open_conversation(conversation_id)

    def on_sidebar_search_hit_activated(self, conversation_id: int, message_id: int) -> None:
        self._window.tasks.spawn(self._open_hit(conversation_id, message_id))

    async def _open_hit(self, conversation_id: int, message_id: int | None) -> None:
        """Open the conversation of a hit on the branch that holds it (a hit may be in a
        branch not shown, e.g. a first answer that was regenerated)."""
        window = self._window
        if message_id:
            await window.history.show_branch_of(conversation_id, message_id)
        shown = conversation_id == window.conversation_id
        if not shown or (message_id and window.chat_view.message_text(message_id) is None):
            window.open_conversation(conversation_id)

    def on_sidebar_search_changed(self, query: str) -> None:
        self._search_query = query
        if query.strip():
            self._window.tasks.spawn(self._search(query))

    async def _search(self, query: str) -> None:
        hits = await self._window.history.search(query)
        if query == self._search_query and not self._window.is_closed():  # not overtaken
            self._window.sidebar.show_search_results(query, hits)

    def on_sidebar_rename_requested(self, conversation_id: int, title: str) -> None:
        self._window.history.change_conversation(conversation_id, title=title)
        self._window.tasks.spawn(self.show_stored(conversation_id))

    def on_sidebar_delete_requested(self, conversation_id: int) -> None:
        window = self._window
        window.controller.stop(conversation_id)
        window.history.delete(conversation_id)
        window.sidebar.remove_conversation(conversation_id)
        window.switch.forget(conversation_id)
        if window.conversation_id == conversation_id:
            window.show_new_chat()

    async def show_stored(self, conversation_id: int) -> None:
        """Show a conversation's stored state in the list (title, place in the order)."""
        conversation = await self._window.history.conversation(conversation_id)
        if conversation is not None and not self._window.is_closed():
            self.on_controller_conversation_changed(conversation)

    def on_controller_conversation_changed(self, conversation: Conversation) -> None:
        """A conversation's title or place in the order changed (a reply, a rename)."""
        self._window.sidebar.upsert_conversation(conversation)
        if self._window.viewing(conversation.id):
            self._window.show_title(conversation)
