"""The "Search the web" toggle of the conversation on screen (issue 19 item 8).

One checkable action (Edit menu, Ctrl+Shift+W) for
the conversation's choice, stored with it (ChatService.set_web_search) and applied from its
next message on. Whether the chosen model can search is the service's answer
(ChatService.web_search_way); where it cannot, the action is disabled and its tooltip
says why and which models can. A new chat keeps the choice until its conversation exists
(ConversationSwitch.start_conversation asks `for_new_chat`).

`set_on(bool)` is the one way to change the choice, and `changed(bool)` says it changed:
the switches of the side panel and the composer card (ui/models/switches.py) call the one
and follow the other.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStatusBar, QWidget

from desktopchat.domain.types import Conversation
from desktopchat.domain.web_search import SearchWay
from desktopchat.services.chat import ChatService
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.support.plain import plain_tooltip

SHORTCUT = "Ctrl+Shift+W"


class WebSearchToggle(QObject):
    changed = Signal(bool)  # the choice for the conversation on screen (or the new chat)

    def __init__(
        self,
        chat: ChatService,
        picker: ModelPicker,
        status_bar: QStatusBar,
        *,
        shown: Callable[[], int | None],
        host: QWidget,
    ) -> None:
        """`shown` says which conversation is on screen; the action's shortcut works
        anywhere in `host` (the window)."""
        super().__init__(host)
        self._chat, self._picker, self._status_bar, self._shown = chat, picker, status_bar, shown
        self._on = False
        self.action = QAction(self.tr("Search the &web"), host)
        self.action.setObjectName("webSearch")
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.set_on)
        host.addAction(self.action)
        self.follow_model()

    @property
    def on(self) -> bool:
        return self._on

    def show_for(self, conversation: Conversation | None) -> None:
        """A conversation (or the new chat, off) came on screen: show its choice."""
        self._on = conversation.web_search if conversation is not None else False
        self.follow_model()
        self.changed.emit(self._on)

    def for_new_chat(self) -> bool:
        """What the new chat's conversation starts with."""
        return self._on

    def can_search(self) -> bool:
        return self._way() is not None

    @Slot(bool)
    def set_on(self, on: bool) -> None:
        """Search the web from the next message on (or stop); stored with the conversation
        on screen, kept for the new chat until it has one."""
        on = bool(on) and self.can_search()
        if on != self._on:
            self._on = on
            conversation_id = self._shown()
            if conversation_id is not None:
                self._chat.set_web_search(conversation_id, on)
            self._status_bar.showMessage(
                self.tr("The next messages may search the web.")
                if on
                else self.tr("Web search is off for the next messages."),
                4000,
            )
            self.changed.emit(on)
        self.follow_model()

    @Slot()
    def follow_model(self) -> None:
        """Enable or disable the toggle for the model chosen now, and say why."""
        way = self._way()
        self.action.setEnabled(way is not None)
        self.action.setChecked(self._on and way is not None)
        explanation = self._explanation(way)
        self.action.setToolTip(plain_tooltip(explanation))
        self.action.setStatusTip(explanation)  # the status bar shows it as text

    def _way(self) -> SearchWay | None:
        picker = self._picker
        return self._chat.web_search_way(picker.provider_id(), picker.current_model_id())

    def _explanation(self, way: SearchWay | None) -> str:
        shortcut = QKeySequence(SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        if way is SearchWay.ANTHROPIC_TOOL:
            how = self.tr(
                "Claude searches the web with Anthropic's search ($10 per 1,000 searches)."
            )
        elif way is SearchWay.OPENAI_SEARCH_MODEL:
            how = self.tr("This OpenAI search model searches the web on every message.")
        elif way is SearchWay.OPENROUTER_PLUGIN:
            how = self.tr("OpenRouter's web plugin searches for the model; OpenRouter bills it.")
        else:
            return self.tr(
                "This model cannot search the web here. Web search works with Claude 3.5 and"
                " later on Anthropic, OpenAI's search models (such as gpt-4o-search-preview),"
                " and every model on OpenRouter."
            )
        return self.tr("Search the web (%1). %2").replace("%1", shortcut).replace("%2", how)
