"""The main window: the frame that holds the widgets; ui/window/parts.py builds the parts
around them, each given the few collaborators it uses, and ui/window/wiring.py connects them
to each other, in one place.

The window holds no chat logic. The history is read off the loop: what needs stored data
asks the HistoryService in a task and shows the answer when it comes (a newer request for
the same thing wins). Its parts live beside it, each owning its slots: what the
ChatController reports (ui/chat/reply_presenter), which conversation is on screen
(conversation_switch) and the drafts (drafts), the window's place (place), the sidebar
(sidebar_link), Settings (settings_link), local servers (local_servers), the layout
(window_layout), menus, message actions; the header, the model picker and the side panel
are built and wired in ui/models/assembly.py.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QMoveEvent, QResizeEvent
from PySide6.QtWidgets import QMainWindow

from desktopchat.domain.types import Conversation
from desktopchat.services.history import SaveStatus, StorageError
from desktopchat.ui.chat.message_actions import MessageActions
from desktopchat.ui.chat.reply_presenter import ReplyPresenter
from desktopchat.ui.compare.link import CompareLink
from desktopchat.ui.composer.composer import Composer, is_attachment_mime
from desktopchat.ui.library.project_link import ProjectLink
from desktopchat.ui.library.prompt_link import PromptLink
from desktopchat.ui.models.assembly import ModelsUi
from desktopchat.ui.sidebar.conversation_model import PAGE_SIZE as SIDEBAR_PAGE_SIZE
from desktopchat.ui.sidebar.sidebar import Sidebar
from desktopchat.ui.transcript.actions import MessageAction
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.window import layout as window_layout
from desktopchat.ui.window import wiring
from desktopchat.ui.window.context_controls import ContextControls
from desktopchat.ui.window.conversation_switch import ConversationSwitch
from desktopchat.ui.window.history_events import HistoryEvents
from desktopchat.ui.window.local_servers import LocalServerWatch
from desktopchat.ui.window.menus import WindowMenus
from desktopchat.ui.window.notice_bar import NoticeBar
from desktopchat.ui.window.parts import build_parts
from desktopchat.ui.window.place import WindowPlace
from desktopchat.ui.window.save_status import SaveStatusLabel
from desktopchat.ui.window.settings_link import SettingsLink
from desktopchat.ui.window.sidebar_fold import SidebarFold
from desktopchat.ui.window.sidebar_link import SidebarLink
from desktopchat.ui.window.status_line import WindowStatusBar
from desktopchat.ui.window.sync_link import SyncLink
from desktopchat.ui.window.tool_link import ToolLink
from desktopchat.ui.window.web_search_toggle import WebSearchToggle
from desktopchat.ui.window.welcome import WelcomePanel
from desktopchat.ui.window.window_services import Services


class MainWindow(QMainWindow):
    closed = Signal()
    # Its parts, built by parts.py:
    place: WindowPlace
    local_servers: LocalServerWatch
    sync_link: SyncLink
    settings_link: SettingsLink
    sidebar_link: SidebarLink
    sidebar_fold: SidebarFold
    compare_link: CompareLink
    tool_link: ToolLink
    message_actions: MessageActions
    context_controls: ContextControls
    prompts: PromptLink
    projects: ProjectLink
    web_search: WebSearchToggle
    switch: ConversationSwitch
    history_events: HistoryEvents
    menus: WindowMenus
    replies: ReplyPresenter

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("DesktopChat")
        self.tasks = services.tasks
        self.history = services.history
        self.controller = services.controller
        self.registry = services.registry
        self.keys = services.keys
        self.prefs = services.prefs
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
        self.setStatusBar(WindowStatusBar())
        build_parts(self, services)
        self.save_status = SaveStatusLabel(self)
        self.statusBar().addPermanentWidget(self.save_status)
        self.statusBar().addPermanentWidget(self.sync_link.label)
        self.tasks.adopt(self.composer.tray.tasks)
        self.tasks.adopt(self.chat_view.tasks)
        self.setAcceptDrops(True)  # files dropped anywhere on the window are attached
        wiring.connect_signals(self)
        self.place.restore_layout()
        self.sidebar_fold.restore()
        self.picker.set_presets(self.registry.presets(), self.prefs.last_provider)
        self.model_lists.show(self.picker.provider_id(), self.prefs.last_model or "")
        self.switch.return_to(None)  # the new chat until the person's place is read

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
        person went on meanwhile (ConversationSwitch.return_to, decided after the last
        read). Later calls (after an import, a restore) only refresh the list."""
        project = self.sidebar.project()
        page = await self.history.conversation_page(None, SIDEBAR_PAGE_SIZE, project)
        if self._closed or project != self.sidebar.project():
            return  # closed, or another project chosen meanwhile (its own load follows)
        self.sidebar.set_first_page(page)  # shown at once: the place is read after it
        if project is None or page.conversations:
            self._has_history = bool(page.conversations)
        returning = not self._place_restored
        was_open = await self.switch.read_place(self.place.was_open) if returning else None
        if self._closed or project != self.sidebar.project():
            return
        await self.projects.load()
        if returning and not self._closed:
            self._place_restored = True
            self.switch.return_to(was_open)
        self.update_placeholder()

    def conversation_shown(self, conversation: Conversation | None = None) -> None:
        """The switch put a conversation (or the new chat) on screen: the rest follows."""
        self.show_title(conversation)
        self.web_search.show_for(conversation)
        self.update_placeholder()
        self.update_send_state()
        self.replies.show_streaming_state()

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
        """The model changed (ModelChoice.on_model_changed: picked, a list arrived, a
        conversation opened): the first-run page, whether Send may go, whether web search
        can be asked for and the context meter follow."""
        self.update_placeholder()
        self.update_send_state()
        self.web_search.follow_model()
        self.context_controls.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if is_attachment_mime(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.composer.add_from_mime(event.mimeData()):
            event.acceptProposedAction()

    # Sending and what comes back.

    @Slot(str)
    def on_composer_send_refused(self, reason: str) -> None:
        """Enter with text but no model (or provider): say why nothing was sent."""
        self.statusBar().showMessage(reason, 5000)
        self.picker.setFocus()

    def stop_reply(self) -> None:
        self.replies.stop_reply()

    def show_storage_error(self, error: StorageError) -> None:
        self.replies.show_storage_error(error)

    @Slot(object)
    def on_history_saving(self, status: SaveStatus) -> None:
        """Saving behind, stalled, or the history written out again: say it."""
        self.save_status.show_status(status, self.notices)

    @Slot(object, object)
    def on_chat_view_action_requested(self, action: MessageAction, message_id: int) -> None:
        if action is MessageAction.STOP:  # a running tool's Stop: the reply stops, the call too
            self.replies.stop_reply()
            return
        self.message_actions.run(action, message_id, self.conversation_id)

    @Slot(object, str)
    def on_chat_view_edit_submitted(self, message_id: int, text: str) -> None:
        self.message_actions.resend(message_id, text, self.conversation_id)

    def open_settings(self, provider_id: str | None = None) -> None:
        self.settings_link.open(provider_id)

    def open_sync_settings(self) -> None:
        self.settings_link.open_sync()

    # Window state.

    @Slot(int)
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
        self.switch.drafts.flush()
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
