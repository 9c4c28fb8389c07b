"""Whether a conversation's replies may use tools and web search: one pair of switches shown
twice (icons in the composer card, boxes in the side panel).

Tools are kept in the preferences per conversation ("new" for the chat not sent yet); the
tool loop asks system.settings.switches_of before each request. Web search is the
conversation's own choice, stored with it and synced: the switches ask the window's web
search toggle (ui/window/web_search_toggle.py), which may refuse for a model that cannot
search, and show what it says.

The tools switch tells the truth about the tool servers: with none configured (or every one
turned off) both switches show off, cannot be flipped, and say where to add one; the
person's choice is kept meanwhile, and counts again once a server is there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Slot

from desktopchat.system.settings import NEW_CHAT_SWITCHES as NEW_CHAT
from desktopchat.system.settings import SWITCH_DEFAULTS as DEFAULTS
from desktopchat.system.settings import Preferences, switches_of

if TYPE_CHECKING:
    from desktopchat.services.lazy import Lazy
    from desktopchat.services.tools import ToolService


class ShowsSwitches(Protocol):
    def show_switches(self, switches: dict[str, bool]) -> None: ...

    def show_tools_unavailable(self, reason: str) -> None:
        """Why the tools switch cannot be used ("" when it can): shown disabled, saying it."""


class WebSearchChoice(Protocol):
    """The conversation's web search choice (WebSearchToggle)."""

    @property
    def on(self) -> bool: ...

    def set_on(self, on: bool) -> None: ...


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
        self._web: WebSearchChoice | None = None
        self._tools_missing = ""

    def follow_tool_servers(self, tools: Lazy[ToolService] | None) -> None:
        """Follow the configured tool servers: none until the service exists (it is made
        only when mcp.json does or Settings opens), then what its config holds."""
        self._show_tool_servers(None)
        if tools is not None:
            tools.when_made(self._watch_tool_servers)

    def _watch_tool_servers(self, service: ToolService) -> None:
        stop = service.subscribe(lambda: self._show_tool_servers(service))
        self.destroyed.connect(lambda *_: stop())
        self._show_tool_servers(service)

    def _show_tool_servers(self, service: ToolService | None) -> None:
        servers = service.config.servers if service is not None else ()
        if not servers:
            missing = self.tr("No tool servers yet — add one in Settings → Tools")
        elif all(server.disabled for server in servers):
            missing = self.tr("Every tool server is turned off — turn one on in Settings → Tools")
        else:
            missing = ""
        if missing != self._tools_missing:
            self._tools_missing = missing
            for view in self._views:
                view.show_tools_unavailable(missing)
            self.refresh()

    def follow_web_search(self, web: WebSearchChoice) -> None:
        """Show and change web search through the conversation's own choice; the owner
        calls `refresh` when that choice changes."""
        self._web = web
        self.refresh()

    def refresh(self) -> None:
        self.show(self._conversation_id)

    def show(self, conversation_id: int | None) -> None:
        """Show the switches of the conversation now on screen."""
        self._conversation_id = conversation_id
        shown = switches_of(self._prefs, conversation_id)
        if self._tools_missing:
            shown["tools"] = False
        if self._web is not None:
            shown["web_search"] = self._web.on
        for view in self._views:
            view.show_switches(shown)

    @Slot(dict)
    def on_changed(self, switches: dict[str, bool]) -> None:
        """Flipped in one place: stored, and shown in the other."""
        key = NEW_CHAT if self._conversation_id is None else str(self._conversation_id)
        kept = {k: v for k, v in switches.items() if k in DEFAULTS}
        if self._tools_missing:  # shown off, not chosen off: the choice stays as it was
            kept["tools"] = switches_of(self._prefs, self._conversation_id)["tools"]
        if self._web is not None and "web_search" in kept:
            wanted = kept.pop("web_search")
            kept["web_search"] = DEFAULTS["web_search"]  # never kept here
            if wanted != self._web.on:
                self._web.set_on(wanted)
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
