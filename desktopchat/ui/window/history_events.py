"""The history's changes on the window, and the one place where what shows the history
follows them (after Anki's `OpChanges` and its `operation_did_execute` hook).

Every change the services make to the history is announced as a HistoryChanges
(services/history_changes.py): a rename, a pin, a delete, a move to a project, a new
conversation, a message sent, a first title, messages deleted or left out, an import, a
merged backup, a sync that received something. `HistoryEvents` hands each on as its
`changed` signal on the loop thread and makes the three followers follow it, so no command
refreshes them by hand:

- the sidebar's list: rows deleted leave it at once, rows changed are read again and take
  their place (the highlight stays on the conversation on screen), and `everything` reads
  the list again from its top (with the projects);
- the open conversation: shown again when its messages changed, where it was scrolled to
  and with the draft in the box (not while its own reply streams: the turn shows what it
  writes through ChatController's signals); its title in the header and the window's;
- the context meter: estimated again when the open conversation's messages changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from desktopchat.domain.types import Conversation
from desktopchat.services.history import HistoryService
from desktopchat.services.history_changes import HistoryChanges
from desktopchat.ui.sidebar.sidebar import Sidebar
from desktopchat.ui.support.asyncutils import Tasks


@dataclass(frozen=True)
class OnScreen:
    """What the window shows of the history, as the followers need it."""

    shown: Callable[[], int | None]
    """The conversation on screen (None: a new chat)."""
    streaming: Callable[[int], bool]
    """Whether this conversation's reply is streaming now."""
    show_again: Callable[[], None]
    """Show the open conversation again, keeping its scroll place and draft."""
    estimate: Callable[[], None]
    """Estimate the context of the open conversation again."""
    show_title: Callable[[Conversation], None]
    """The open conversation's title, in the header and the window's title."""
    read_list: Callable[[], Coroutine[object, object, None]]
    """Read the list again from its top, with the projects."""
    closed: Callable[[], bool]


class HistoryEvents(QObject):
    """The bridge from the HistoryService's listeners to a Qt signal, and its followers."""

    changed = Signal(object)  # HistoryChanges

    def __init__(
        self,
        history: HistoryService,
        tasks: Tasks,
        sidebar: Sidebar,
        screen: OnScreen,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._history = history
        self._tasks = tasks
        self._sidebar = sidebar
        self._screen = screen
        stop = history.on_changed(self.changed.emit)
        self.destroyed.connect(lambda *_: stop())
        self.changed.connect(self.on_changed)

    @Slot(object)
    def on_changed(self, changes: HistoryChanges) -> None:
        if self._screen.closed():
            return
        self._follow_in_list(changes)
        shown = self._screen.shown()
        if shown is None or not changes.touches_messages_of(shown):
            return
        if changes.everything or not self._screen.streaming(shown):
            self._screen.show_again()
            self._screen.estimate()

    def _follow_in_list(self, changes: HistoryChanges) -> None:
        if changes.everything:
            self._tasks.spawn(self._screen.read_list())
            return
        for conversation_id in changes.removed:
            self._sidebar.remove_conversation(conversation_id)
        rows = changes.changed_rows()
        if rows:
            self._tasks.spawn(self._show_rows(rows))

    async def _show_rows(self, conversation_ids: Collection[int]) -> None:
        """Each row as stored now (title, pin, project, place in the order); one deleted
        meanwhile is left to its own announcement."""
        for conversation_id in conversation_ids:
            conversation = await self._history.conversation(conversation_id)
            if self._screen.closed():
                return
            if conversation is None:
                continue
            self._sidebar.upsert_conversation(conversation)
            if conversation.id == self._screen.shown():
                self._screen.show_title(conversation)
