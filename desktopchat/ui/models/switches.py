"""Whether a conversation's replies may use tools and web search: one pair of switches shown
twice (icons in the composer card, boxes in the side panel), kept in the preferences per
conversation ("new" for the chat not sent yet), as the history has no place for them.

services read them through system.settings.switches_of (the tool loop asks before each
request).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Slot

from desktopchat.system.settings import NEW_CHAT_SWITCHES as NEW_CHAT
from desktopchat.system.settings import SWITCH_DEFAULTS as DEFAULTS
from desktopchat.system.settings import Preferences, switches_of


class ShowsSwitches(Protocol):
    def show_switches(self, switches: dict[str, bool]) -> None: ...


class ConversationSwitches(QObject):
    def __init__(
        self,
        prefs: Preferences,
        views: tuple[ShowsSwitches, ...],
        saved: Callable[[], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._prefs, self._views, self._saved = prefs, views, saved
        self._conversation_id: int | None = None

    def show(self, conversation_id: int | None) -> None:
        """Show the switches of the conversation now on screen."""
        self._conversation_id = conversation_id
        shown = switches_of(self._prefs, conversation_id)
        for view in self._views:
            view.show_switches(shown)

    @Slot(dict)
    def on_changed(self, switches: dict[str, bool]) -> None:
        """Flipped in one place: stored, and shown in the other."""
        key = NEW_CHAT if self._conversation_id is None else str(self._conversation_id)
        kept = {k: v for k, v in switches.items() if k in DEFAULTS}
        if kept == DEFAULTS:
            self._prefs.conversation_switches.pop(key, None)
        else:
            self._prefs.conversation_switches[key] = kept
        self._saved()
        self.show(self._conversation_id)

    def started(self, conversation_id: int) -> None:
        """The new chat became a stored conversation: its switches go with it."""
        switches = self._prefs.conversation_switches.pop(NEW_CHAT, None)
        if switches is not None:
            self._prefs.conversation_switches[str(conversation_id)] = switches
            self._saved()
        self.show(conversation_id)
