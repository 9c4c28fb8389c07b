"""The main window: the one place where its parts are wired to each other (a feature's
own wiring stays in its folder, like ui/models/assembly.py).

The window holds no chat logic: it shows what the ChatController reports and turns the
person's actions into calls on the controller, the history service and the registry. The
history is read off the loop: what needs stored data asks the HistoryService in a task and
shows the answer when it comes (a newer request for the same thing wins). Slots are named
on_<sender>_<signal> and are connected only in _connect_signals (after qutebrowser). Its
parts live beside it, each owning its slots: which conversation is on screen and its draft
(conversation_switch), the window's place (place), the sidebar (sidebar_link), Settings
(settings_link), local servers (local_servers), the layout (window_layout), menus, message
actions; the header, the model picker and the side panel, with what their choices change,
are built and wired in ui/models/assembly.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QMoveEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Conversation, Message
from desktopchat.services.context_actions import ContextService
from desktopchat.services.history import HistoryService, SaveStatus, StorageError
from desktopchat.services.pricing import Pricing
from desktopchat.services.projects import ProjectService
from desktopchat.services.prompts import PromptLibrary
from desktopchat.services.registry import ProviderRegistry
from desktopchat.services.usage import UsageService
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import Preferences, SettingsStore
from desktopchat.ui.chat.controller import ChatController
from desktopchat.ui.chat.message_actions import MessageActions
from desktopchat.ui.compare.link import CompareLink
from desktopchat.ui.composer.composer import Composer, is_attachment_mime
from desktopchat.ui.library.project_link import ProjectLink
from desktopchat.ui.library.prompt_link import PromptLink
from desktopchat.ui.models.assembly import ModelsUi
from desktopchat.ui.sidebar.conversation_model import PAGE_SIZE as SIDEBAR_PAGE_SIZE
from desktopchat.ui.sidebar.sidebar import Sidebar
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.translation import describe_error, retry_reason
from desktopchat.ui.transcript.actions import MessageAction
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.window import layout as window_layout
from desktopchat.ui.window.context_controls import ContextControls
from desktopchat.ui.window.conversation_switch import ConversationSwitch
from desktopchat.ui.window.local_servers import LocalServerWatch
from desktopchat.ui.window.menus import WindowMenus
from desktopchat.ui.window.notice_bar import NoticeBar
from desktopchat.ui.window.place import WindowPlace
from desktopchat.ui.window.save_status import SaveStatusLabel
from desktopchat.ui.window.settings_link import SettingsLink
from desktopchat.ui.window.sidebar_fold import SidebarFold
from desktopchat.ui.window.sidebar_link import SidebarLink
from desktopchat.ui.window.status_line import WindowStatusBar
from desktopchat.ui.window.sync_link import SyncLink
from desktopchat.ui.window.tool_link import ToolLink
from desktopchat.ui.window.tool_notices import ToolServerNotices
from desktopchat.ui.window.web_search_toggle import WebSearchToggle
from desktopchat.ui.window.welcome import WelcomePanel

if TYPE_CHECKING:
    from desktopchat.services.backups import BackupService
    from desktopchat.services.importers.service import ImportService
    from desktopchat.services.lazy import Lazy
    from desktopchat.services.sync.service import SyncService
    from desktopchat.services.tools import ToolService


@dataclass
class Services:
    """Everything the window works with, built once by app.py and passed in."""

    history: HistoryService
    controller: ChatController
    registry: ProviderRegistry
    keys: KeyStore
    settings: SettingsStore
    prefs: Preferences
    context: ContextService
    usage: UsageService
    pricing: Pricing
    prompts: PromptLibrary
    """Saved prompts (Edit → Prompts…, `/` in the message box); read on first use."""
    imports: Callable[[], ImportService]
    """File → Import…; made on first use, so the importers are not loaded at start (P1)."""
    backups: Callable[[], BackupService]
    """The daily copy and File → Restore from backup…; made on first use, like imports."""
    tasks: Tasks = field(default_factory=Tasks)
    """The window's tasks (its parts', its dialogs'): app.shut_down drains them before the
    history closes."""
    projects: ProjectService | None = None
    """Projects (services/projects.py); made from the history when not given."""
    tools: Lazy[ToolService] | None = None
    """MCP servers and allow rules (services/tools.py), made on first use: by app.run once
    the window shows if mcp.json exists, or by Settings → Tools; stopped by app.shut_down
    before the history closes."""
    sync: Callable[[], SyncService] | None = None
    """Sync (Settings → Sync); made only once sync is set up, like imports (P1, P6)."""
    sync_set_up: Callable[[], bool] = lambda: False
    """Whether a sync state file is beside the history: a stat, called in a thread."""


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("DesktopChat")
        self.tasks = services.tasks
        self.tools = services.tools
        self.history = services.history
        self.controller = services.controller
        self.registry = services.registry
        self.keys = services.keys
        self.prefs = services.prefs
        self._settings_store = services.settings
        self.imports = services.imports
        self.backups = services.backups
        self._any_key = False
        self._closed = False
        self._has_history = True  # until the list says otherwise: no welcome flash
        self._place_restored = False

        self.notices = NoticeBar()
        self.welcome = WelcomePanel()
        self.chat_view = ChatView()
        self.composer = Composer()
        self.composer.set_send_on_enter(self.prefs.send_on_enter)
        self.sidebar = Sidebar()
        models = ModelsUi(
            self.prefs,
            self.registry,
            self.keys,
            self.history,
            self.tasks,
            notices=self.notices,
            composer=self.composer,
            shown=lambda: self.conversation_id,
            followed=self.follow_choice,
            status=lambda text: self.statusBar().showMessage(text, 4000),
            saved=lambda: self.place.changed(),
            parent=self,
        )
        self.picker, self.header, self.panel = models.picker, models.header, models.panel
        self.system_prompt, self.switches = models.system_prompt, models.switches
        self.model_lists, self.model_choice = models.lists, models.choice

        self.splitter, self.pages = window_layout.arrange(
            self,
            self.sidebar,
            [self.header, self.notices],
            self.chat_view,
            self.welcome,
            self.composer,
            self.panel,
        )
        self.place = WindowPlace(self, self.splitter, self._settings_store, self.prefs, self.tasks)
        self.switch = ConversationSwitch(self)
        self.local_servers = LocalServerWatch(self)
        self.settings_link = SettingsLink(self, services.settings)
        if services.tools is not None:
            services.tools.when_made(lambda tools: ToolServerNotices(self, tools))
        self.sidebar_link = SidebarLink(self)
        self.sidebar_fold = SidebarFold(
            self, self.splitter, self.sidebar, self.prefs, self.place.changed
        )
        self.compare_link = CompareLink(self)
        self.tool_link = ToolLink(self)
        self.message_actions = MessageActions(
            self,
            self.tasks,
            self.history,
            self.controller,
            self.chat_view,
            lambda: self.open_settings(self.picker.provider_id()),
            lambda: self.conversation_id,
        )

        self.setStatusBar(WindowStatusBar())
        self.context_controls = ContextControls(
            self, services.context, services.usage, services.pricing
        )
        self.prompts = PromptLink(
            self,
            services.prompts,
            self.composer,
            self.chat_view.selected_text,
            self.tasks,
            lambda text: self.statusBar().showMessage(text, 8000),
        )
        self.projects = ProjectLink(
            self,
            services.projects or ProjectService(self.history),
            self.sidebar,
            self.tasks,
            self.open_conversation,
            self.load_conversations,
            self.registry.presets,
            lambda: (
                self.picker.provider_id(),
                self.picker.current_model_id(),
                self.panel.temperature(),
            ),
        )
        self.web_search = WebSearchToggle(self)
        self.switches.follow_web_search(self.web_search)
        self.web_search.changed.connect(self.switches.refresh)
        self.menus = WindowMenus(self)
        self.save_status = SaveStatusLabel(self)
        self.statusBar().addPermanentWidget(self.save_status)
        self.sync_link = SyncLink(self, services.sync, services.sync_set_up)
        self.statusBar().addPermanentWidget(self.sync_link.label)
        self.tasks.adopt(self.composer.tray.tasks)
        self.tasks.adopt(self.chat_view.tasks)
        self.setAcceptDrops(True)  # files dropped anywhere on the window are attached
        self._connect_signals()
        self.place.restore_layout()
        self.sidebar_fold.restore()
        self.picker.set_presets(self.registry.presets(), self.prefs.last_provider)
        self.model_lists.show(self.picker.provider_id(), self.prefs.last_model or "")
        self.show_new_chat()

    def _connect_signals(self) -> None:
        view, sidebar, composer = self.chat_view, self.sidebar, self.composer
        self.picker.add_key_requested.connect(self.open_settings)
        composer.switches_changed.connect(self.switches.on_changed)
        composer.send_requested.connect(self.on_composer_send_requested)
        composer.stop_requested.connect(self.stop_reply)
        composer.edited.connect(self.switch.on_composer_edited)
        composer.tray.changed.connect(self.switch.on_composer_edited)
        composer.send_refused.connect(self.on_composer_send_refused)
        composer.edit_last_requested.connect(self.on_composer_edit_last_requested)
        view.verticalScrollBar().valueChanged.connect(self.on_chat_view_scrolled)
        sidebar.new_chat_requested.connect(self.show_new_chat)
        link = self.sidebar_link
        link.connect_sidebar()
        view.action_requested.connect(self.on_chat_view_action_requested)
        view.edit_submitted.connect(self.on_chat_view_edit_submitted)
        view.set_blob_reader(self.history.blob)
        self.welcome.settings_requested.connect(self.open_settings)
        self.welcome.look_again_requested.connect(self.local_servers.look_now)
        controller = self.controller
        controller.user_message_saved.connect(self.on_controller_user_message_saved)
        controller.reply_started.connect(self.on_controller_reply_started)
        controller.delta_received.connect(self.on_controller_delta_received)
        controller.reasoning_received.connect(self.on_controller_reasoning_received)
        controller.reply_noticed.connect(self.on_controller_reply_noticed)
        controller.reply_retrying.connect(self.on_controller_reply_retrying)
        controller.reply_finished.connect(self.on_controller_reply_finished)
        controller.reply_failed.connect(self.on_controller_reply_failed)
        controller.conversation_changed.connect(link.on_controller_conversation_changed)
        controller.streaming_changed.connect(self.on_controller_streaming_changed)
        controller.storage_failed.connect(self.show_storage_error)
        controller.conversation_gone.connect(self.on_controller_conversation_gone)
        self.history.on_failed(self.show_storage_error)
        self.history.on_draft_conflict(self.switch.on_draft_conflict)
        self.history.on_saving(self.on_history_saving)

    # Conversations on screen.

    @property
    def conversation_id(self) -> int | None:
        """The conversation on screen; None for a new chat not sent yet."""
        return self.switch.conversation_id

    def show_new_chat(self) -> None:
        self.switch.show_new_chat()

    def open_conversation(self, conversation_id: int) -> asyncio.Task:
        return self.switch.open_conversation(conversation_id)

    async def load_conversations(self) -> None:
        """Fill the sidebar from the history (read off the loop). The first time (app.run()
        starts it right after the window shows, DESIGN.md P1) it also comes back to where
        the person was: their drafts, and the conversation that was open, unless the
        person already began in the new chat (typed, attached or sent: what they began is
        kept on screen). Later calls (after an import, a restore) only refresh the list."""
        project = self.sidebar.project()
        page = await self.history.conversation_page(None, SIDEBAR_PAGE_SIZE, project)
        returning = not self._place_restored
        was_open = self.place.was_open
        if returning and was_open is not None:
            was_open = was_open if await self.history.conversation(was_open) else None
        if returning:
            await self.switch.load_drafts()
            began = self.switch.began_new_chat()
        if self._closed or project != self.sidebar.project():
            return  # closed, or another project chosen meanwhile (its own load follows)
        self.sidebar.set_first_page(page)
        if project is None or page.conversations:
            self._has_history = bool(page.conversations)
        await self.projects.load()
        if not returning:
            self.update_placeholder()
            return
        self._place_restored = True
        if began:
            self.update_placeholder()
        elif was_open is not None:
            self.open_conversation(was_open)
        else:
            self.show_new_chat()

    def conversation_shown(self, conversation: Conversation | None = None) -> None:
        """The switch put a conversation (or the new chat) on screen: the rest follows."""
        self.show_title(conversation)
        self.web_search.show_for(conversation)
        self.update_placeholder()
        self.update_send_state()
        self._show_streaming_state()

    def conversation_started(self, conversation: Conversation) -> None:
        """A new chat's first message created its conversation."""
        self._has_history = True
        self.show_title(conversation)
        self.update_placeholder()

    def show_title(self, conversation: Conversation | None) -> None:
        title = conversation.title if conversation is not None else ""
        self.header.show_title(title)
        self.setWindowTitle(
            self.tr("%1 — DesktopChat").replace("%1", title) if title else "DesktopChat"
        )

    def is_closed(self) -> bool:
        return self._closed

    def update_placeholder(self) -> None:
        """First run: with no history, no key anywhere and no local server chosen, say how
        to start. Whether a key exists is learned off the loop (check_keys): keychain calls
        can block, and start-up must not wait for them."""
        preset = self.picker.preset()
        first_run = (
            self.conversation_id is None
            and (preset is None or preset.needs_key)
            and not self._any_key
            and not self._has_history
        )
        self.pages.setCurrentWidget(self.welcome if first_run else self.chat_view)
        self.local_servers.follow(first_run)

    async def check_keys(self) -> None:
        """Learn whether any provider has a key (keychain, session or environment)."""
        self._any_key = await self.settings_link.any_key()
        if not self._closed:
            self.update_placeholder()

    def viewing(self, conversation_id: int | None) -> bool:
        return conversation_id is not None and conversation_id == self.conversation_id

    def update_send_state(self) -> None:
        self.composer.set_enabled_reason(self.picker.missing_choice())

    def follow_choice(self) -> None:
        """The model changed: the first-run page and whether Send may go follow."""
        self.update_placeholder()
        self.update_send_state()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if is_attachment_mime(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.composer.add_from_mime(event.mimeData()):
            event.acceptProposedAction()

    # Sending and what comes back.

    def on_composer_send_refused(self, reason: str) -> None:
        """Enter with text but no model (or provider): say why nothing was sent."""
        self.statusBar().showMessage(reason, 5000)
        self.picker.setFocus()

    def on_composer_edit_last_requested(self) -> None:
        """Up in an empty box edits the last message, in place."""
        if not self._streaming_on_screen():
            self.chat_view.edit_last_user_message()

    def on_composer_send_requested(self, text: str) -> None:
        if not self._streaming_on_screen():
            self.switch.send(text)

    def on_controller_user_message_saved(self, message: Message) -> None:
        self.switch.saved(message.conversation_id)
        if self.viewing(message.conversation_id):
            self.chat_view.append_message(message)
        self.tasks.spawn(self.sidebar_link.show_stored(message.conversation_id))

    def on_controller_reply_started(self, message: Message) -> None:
        if self.viewing(message.conversation_id):
            self.chat_view.begin_reply(message)

    def on_controller_delta_received(
        self, conversation_id: int, message_id: object, text: str
    ) -> None:
        if self.viewing(conversation_id):
            self.chat_view.append_delta(message_id, text)

    def on_controller_reasoning_received(
        self, conversation_id: int, message_id: object, text: str
    ) -> None:
        if self.viewing(conversation_id):
            self.chat_view.append_reasoning(message_id, text)

    def on_controller_reply_noticed(self, _message_id: object, parameter: str, reason: str) -> None:
        if parameter == "tools":
            self.notices.show_notice(self.tr("Tools were not offered: %1").replace("%1", reason))
            return
        self.notices.show_notice(
            self.tr("The provider did not accept the %1, so the request was sent without it: %2")
            .replace("%1", parameter)
            .replace("%2", reason)
        )

    def on_controller_reply_retrying(
        self,
        conversation_id: int,
        message_id: object,
        error: ChatError,
        delay: float,
        attempt: int,
        attempts: int,
    ) -> None:
        if self.viewing(conversation_id):
            self.chat_view.show_retrying(message_id, retry_reason(error), delay, attempt, attempts)

    def on_controller_reply_finished(self, message: Message) -> None:
        if self.viewing(message.conversation_id):
            self.chat_view.finish_reply(message)
            self.tasks.spawn(self._show_new_siblings(message.conversation_id))

    async def _show_new_siblings(self, conversation_id: int) -> None:
        """A reply that was a regenerate or followed an edit has siblings now: ‹ i/n ›."""
        page = await self.history.last_page(conversation_id, 2)
        if self.viewing(conversation_id) and page.siblings:
            self.chat_view.show_siblings(page.siblings)

    def on_controller_reply_failed(self, message: Message, error: ChatError) -> None:
        """Every failure offers Retry: when a key or a model must change first, Retry is
        what the person clicks once they have changed it (R5: retry in one click)."""
        if self.viewing(message.conversation_id):
            self.chat_view.fail_reply(message, error)
            self.tasks.spawn(self._show_new_siblings(message.conversation_id))
        else:
            self.statusBar().showMessage(describe_error(error), 10000)

    def on_controller_streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        self.sidebar.set_streaming(conversation_id, streaming)
        if self.viewing(conversation_id):
            self._show_streaming_state()

    def _streaming_on_screen(self) -> bool:
        conversation_id = self.conversation_id
        return conversation_id is not None and self.controller.is_streaming(conversation_id)

    def _show_streaming_state(self) -> None:
        """Send or Stop, and Esc, follow the conversation on screen. When they swap places
        and one of them had the focus (it was clicked), the focus goes back to the message
        box rather than to whatever widget comes next."""
        streaming = self._streaming_on_screen()
        focus = QApplication.focusWidget()
        in_composer = focus is not None and self.composer.isAncestorOf(focus)
        self.composer.set_streaming(streaming)
        self.menus.stop_action.setEnabled(streaming)
        if in_composer:
            self.composer.focus_input()

    def stop_reply(self) -> None:
        """Stop (Esc, the Stop button) the reply of the conversation on screen only."""
        if self.conversation_id is not None:
            self.controller.stop(self.conversation_id)

    def show_storage_error(self, error: StorageError) -> None:
        """Say it above the conversation; a message that could not even be saved goes back
        into the message box, so nothing typed is lost."""
        self.switch.give_back_unsaved()
        self.notices.show_error(
            self.tr(
                "Your history could not be saved: %1. "
                "What is on screen stays until you close the window."
            ).replace("%1", error.detail)
        )

    def on_controller_conversation_gone(self, conversation_id: int) -> None:
        """Another instance deleted the conversation before the message left: the message
        goes back into the box of a new chat, and the person is told that Send starts a new
        conversation with it."""
        self.sidebar.remove_conversation(conversation_id)
        self.switch.conversation_gone(conversation_id)
        self.notices.show_notice(
            self.tr(
                "This conversation was deleted, perhaps by another DesktopChat window. "
                "Your message is still in the box: press Send to start a new conversation "
                "with it."
            )
        )

    def on_history_saving(self, status: SaveStatus) -> None:
        """Saving behind, stalled, or the history written out again: say it."""
        self.save_status.show_status(status, self.notices)

    def on_chat_view_action_requested(self, action: MessageAction, message_id: int) -> None:
        if action is MessageAction.STOP:  # a running tool's Stop: the reply stops, the call with it
            self.stop_reply()
            return
        self.message_actions.run(action, message_id, self.conversation_id)

    def on_chat_view_edit_submitted(self, message_id: int, text: str) -> None:
        self.message_actions.resend(message_id, text, self.conversation_id)

    def open_settings(self, provider_id: str | None = None) -> None:
        self.settings_link.open(provider_id)

    def open_sync_settings(self) -> None:
        self.settings_link.open_sync()

    # Window state.

    def on_chat_view_scrolled(self, _value: int) -> None:
        if self.conversation_id is None or self.switch.filling_view:
            return
        if self.pages.currentWidget() is self.chat_view:
            self.place.remember_scroll(self.conversation_id, self.chat_view)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place.changed()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self.place.changed()

    def save_layout(self) -> None:
        """At quit: the draft being typed, the place, and the last provider and model."""
        self.switch.flush_draft()
        self.system_prompt.flush()
        self.prompts.flush()
        self.prefs.last_provider = self.picker.provider_id() or None
        self.prefs.last_model = self.picker.current_model_id() or None
        self.place.save_at_quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self.save_layout()
        self.model_lists.cancel()
        self.local_servers.stop()
        super().closeEvent(event)
        self.closed.emit()
