"""The main window's side of the sidebar: opening what is clicked (a search result at its
match, every hit marked), searching as the person types (a newer query wins over a slower
older one), renaming, pinning and deleting, the list's pages read as the person scrolls.
Each row (and the window's title) follows the stored conversation through the history's
changes (history_events.py), not by hand."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktopchat.services.history import StorageError
from desktopchat.ui.sidebar.conversation_model import PAGE_SIZE
from desktopchat.ui.transcript.find_highlight import FindHighlight

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow


class SidebarLink(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._search_query = ""
        self._opening: asyncio.Task | None = None
        self.find = FindHighlight(window.chat_view)

    def connect_sidebar(self) -> None:
        sidebar = self._window.sidebar
        sidebar.conversation_selected.connect(self.on_sidebar_conversation_selected)
        sidebar.conversation_browsed.connect(self.on_sidebar_conversation_browsed)
        sidebar.search_hit_activated.connect(self.on_sidebar_search_hit_activated)
        sidebar.search_changed.connect(self.on_sidebar_search_changed)
        sidebar.rename_requested.connect(self.on_sidebar_rename_requested)
        sidebar.delete_requested.connect(self.on_sidebar_delete_requested)
        sidebar.pin_requested.connect(self.on_sidebar_pin_requested)
        sidebar.page_wanted.connect(self.on_sidebar_page_wanted)

    def on_sidebar_conversation_selected(self, conversation_id: int) -> None:
        self.find.clear()
        self._opening = self._window.open_conversation(conversation_id)

    def on_sidebar_conversation_browsed(self, conversation_id: int) -> None:
        """Moved to with the arrow keys: open it, and keep the keys in the list."""
        self.on_sidebar_conversation_selected(conversation_id)
        self._window.sidebar.focus_list()

    def on_sidebar_search_hit_activated(
        self, conversation_id: int, message_id: int | None, query: str
    ) -> None:
        self._window.tasks.spawn(self._open_hit(conversation_id, message_id, query))

    async def _open_hit(self, conversation_id: int, message_id: int | None, query: str) -> None:
        """Open the conversation of a result on the branch that holds its best match (a
        hit may be in a branch not shown, e.g. a first answer that was regenerated), then
        mark every match and scroll to the first."""
        window = self._window
        opening = self._opening
        if message_id:
            await window.history.show_branch_of(conversation_id, message_id)
        if opening is not None:
            await asyncio.wait([opening])
        if window.is_closed() or window.conversation_id != conversation_id:
            return
        if message_id and window.chat_view.message_text(message_id) is None:
            await window.open_conversation(conversation_id)
        if window.conversation_id == conversation_id and not window.is_closed():
            window.place.hold_scroll()
            self.find.show_words(query.split())

    def on_sidebar_search_changed(self, query: str) -> None:
        self._search_query = query
        if query.strip():
            self._window.tasks.spawn(self._search(query))

    async def _search(self, query: str) -> None:
        sidebar = self._window.sidebar
        project = sidebar.project()
        results = await self._window.history.search_conversations(query, project)
        overtaken = query != self._search_query or project != sidebar.project()
        if not overtaken and not self._window.is_closed():
            self._window.sidebar.show_search_results(query, results)

    def on_sidebar_page_wanted(self, after: tuple[int, float, int] | None) -> None:
        self._window.tasks.spawn(self._load_page(after))

    async def _load_page(self, after: tuple[int, float, int] | None) -> None:
        """The next page of the list, read in a worker as the person scrolls (a page of
        a project no longer chosen is dropped: the chosen one's first page follows)."""
        sidebar = self._window.sidebar
        project = sidebar.project()
        try:
            page = await self._window.history.conversation_page(after, PAGE_SIZE, project)
        except StorageError as error:
            sidebar.page_failed()
            self._window.show_storage_error(error)
            return
        if not self._window.is_closed() and project == sidebar.project():
            sidebar.add_page(page)

    def on_sidebar_rename_requested(self, conversation_id: int, title: str) -> None:
        self._window.history.change_conversation(conversation_id, title=title)

    def on_sidebar_pin_requested(self, conversation_ids: list[int], pinned: bool) -> None:
        self._window.history.set_pinned(conversation_ids, pinned)

    def on_sidebar_delete_requested(self, conversation_ids: list[int]) -> None:
        window = self._window
        for conversation_id in conversation_ids:
            window.controller.stop(conversation_id)
            window.history.delete(conversation_id)
            window.switch.forget(conversation_id)
        if window.conversation_id in conversation_ids:
            window.show_new_chat()
