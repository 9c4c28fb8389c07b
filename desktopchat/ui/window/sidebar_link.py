"""The main window's side of the sidebar: opening what is clicked (a search result at its
match, every hit marked), searching as the person types (a newer query wins over a slower
older one), renaming, pinning and deleting, the list's pages read as the person scrolls.
Each row (and the window's title) follows the stored conversation through the history's
changes (history_events.py), not by hand. It works with the collaborators it is given,
never the window itself."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from desktopchat.services.history import HistoryService, StorageError
from desktopchat.ui.chat.controller import ChatController
from desktopchat.ui.sidebar.conversation_model import PAGE_SIZE
from desktopchat.ui.sidebar.sidebar import Sidebar
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.transcript.find_highlight import FindHighlight


class SidebarLink(QObject):
    """`shown` says which conversation is on screen (None: the new chat); `hold_scroll`
    keeps a search result's place over the one remembered; `forget` drops a deleted
    conversation's draft and place; `storage_failed` says the history could not be read."""

    def __init__(
        self,
        sidebar: Sidebar,
        chat_view: ChatView,
        history: HistoryService,
        controller: ChatController,
        tasks: Tasks,
        *,
        shown: Callable[[], int | None],
        is_closed: Callable[[], bool],
        open_conversation: Callable[[int], asyncio.Task],
        show_new_chat: Callable[[], None],
        hold_scroll: Callable[[], None],
        forget: Callable[[int], None],
        storage_failed: Callable[[StorageError], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._sidebar, self._view, self._history = sidebar, chat_view, history
        self._controller, self._tasks = controller, tasks
        self._shown, self._is_closed, self._open = shown, is_closed, open_conversation
        self._show_new_chat = show_new_chat
        self._hold_scroll, self._forget, self._storage_failed = hold_scroll, forget, storage_failed
        self._search_query = ""
        self._opening: asyncio.Task | None = None
        self.find = FindHighlight(chat_view)

    def connect_sidebar(self) -> None:
        sidebar = self._sidebar
        sidebar.conversation_selected.connect(self.on_sidebar_conversation_selected)
        sidebar.conversation_browsed.connect(self.on_sidebar_conversation_browsed)
        sidebar.search_hit_activated.connect(self.on_sidebar_search_hit_activated)
        sidebar.search_changed.connect(self.on_sidebar_search_changed)
        sidebar.rename_requested.connect(self.on_sidebar_rename_requested)
        sidebar.delete_requested.connect(self.on_sidebar_delete_requested)
        sidebar.pin_requested.connect(self.on_sidebar_pin_requested)
        sidebar.page_wanted.connect(self.on_sidebar_page_wanted)

    @Slot(object)
    def on_sidebar_conversation_selected(self, conversation_id: int) -> None:
        self.find.clear()
        self._opening = self._open(conversation_id)

    @Slot(object)
    def on_sidebar_conversation_browsed(self, conversation_id: int) -> None:
        """Moved to with the arrow keys: open it, and keep the keys in the list."""
        self.on_sidebar_conversation_selected(conversation_id)
        self._sidebar.focus_list()

    @Slot(object, object, str)
    def on_sidebar_search_hit_activated(
        self, conversation_id: int, message_id: int | None, query: str
    ) -> None:
        self._tasks.spawn(self._open_hit(conversation_id, message_id, query))

    async def _open_hit(self, conversation_id: int, message_id: int | None, query: str) -> None:
        """Open the conversation of a result on the branch that holds its best match (a
        hit may be in a branch not shown, e.g. a first answer that was regenerated), then
        mark every match and scroll to the first."""
        opening = self._opening
        if message_id:
            await self._history.show_branch_of(conversation_id, message_id)
        if opening is not None:
            await asyncio.wait([opening])
        if self._is_closed() or self._shown() != conversation_id:
            return
        if message_id and self._view.message_text(message_id) is None:
            await self._open(conversation_id)
        if self._shown() == conversation_id and not self._is_closed():
            self._hold_scroll()
            self.find.show_words(query.split())

    @Slot(str)
    def on_sidebar_search_changed(self, query: str) -> None:
        self._search_query = query
        if query.strip():
            self._tasks.spawn(self._search(query))

    async def _search(self, query: str) -> None:
        sidebar = self._sidebar
        project = sidebar.project()
        results = await self._history.search_conversations(query, project)
        overtaken = query != self._search_query or project != sidebar.project()
        if not overtaken and not self._is_closed():
            sidebar.show_search_results(query, results)

    @Slot(object)
    def on_sidebar_page_wanted(self, after: tuple[int, float, int] | None) -> None:
        self._tasks.spawn(self._load_page(after))

    async def _load_page(self, after: tuple[int, float, int] | None) -> None:
        """The next page of the list, read in a worker as the person scrolls (a page of
        a project no longer chosen is dropped: the chosen one's first page follows)."""
        sidebar = self._sidebar
        project = sidebar.project()
        try:
            page = await self._history.conversation_page(after, PAGE_SIZE, project)
        except StorageError as error:
            sidebar.page_failed()
            self._storage_failed(error)
            return
        if not self._is_closed() and project == sidebar.project():
            sidebar.add_page(page)

    @Slot(object, str)
    def on_sidebar_rename_requested(self, conversation_id: int, title: str) -> None:
        self._history.change_conversation(conversation_id, title=title)

    @Slot(list, bool)
    def on_sidebar_pin_requested(self, conversation_ids: list[int], pinned: bool) -> None:
        self._history.set_pinned(conversation_ids, pinned)

    @Slot(list)
    def on_sidebar_delete_requested(self, conversation_ids: list[int]) -> None:
        for conversation_id in conversation_ids:
            self._controller.stop(conversation_id)
            self._history.delete(conversation_id)
            self._forget(conversation_id)
        if self._shown() in conversation_ids:
            self._show_new_chat()
