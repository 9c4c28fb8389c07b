"""What a change to the history changed, as a typed record (after Anki's `OpChanges`).

Every write the HistoryService makes, and the import, the merge of a backup and a sync that
received something when they finish, announce one `HistoryChanges` to the history's
`on_changed` listeners. The parts that show the history (the sidebar's list, the open
conversation, the context meter) follow it in one place (ui/window/history_events.py) and
refresh only what concerns them, instead of each command refreshing them by hand.

What is not announced, and why: a change of a conversation's settings only (model,
temperature, system prompt, options: no list row or message shows them, and the controls
that set them show them already), drafts, which branch is shown (the ‹ › that moved it shows
it), and the messages a chat turn writes (its own events, ChatController's signals, show
them as they stream; the turn announces only what the list shows: the conversation moving up,
its first title).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class HistoryChanges:
    """One change's kinds, each a set of conversation ids (empty: not changed)."""

    conversations: frozenset[int] = frozenset()
    """Added, or what a row of the list shows changed: title, pin, project, place in the
    order (a new message moves it up)."""
    removed: frozenset[int] = frozenset()
    """Deleted, with their messages."""
    messages_of: frozenset[int] = frozenset()
    """Their stored messages changed (some deleted, left out of requests or brought back)."""
    everything: bool = False
    """Anything may have changed (conversations added by an import, a backup merged, a
    sync that received changes): read it all again."""

    @classmethod
    def rows(cls, conversation_ids: Iterable[int]) -> HistoryChanges:
        return cls(conversations=frozenset(conversation_ids))

    def changed_rows(self) -> frozenset[int]:
        """The conversations whose row is to be read again (not those deleted)."""
        return self.conversations - self.removed

    def touches_messages_of(self, conversation_id: int) -> bool:
        """Whether this conversation's messages may have changed."""
        return self.everything or conversation_id in self.messages_of


EVERYTHING = HistoryChanges(everything=True)

Announce = Callable[[HistoryChanges], None]
"""Where a service that writes without the HistoryService (an import, a backup's merge, a
sync) says what it changed: `HistoryService.announce`."""


def nobody(_changes: HistoryChanges) -> None:
    """No one listens (the command line, a test of the service alone)."""
