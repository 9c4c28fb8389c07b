"""The main window: the one place where signals are wired.

The window holds no chat logic: it shows what the ChatController reports and turns the
person's actions into calls on the controller, the history service and the registry. The
history is read off the loop: what needs stored data asks the HistoryService in a task and
shows the answer when it comes (a newer request for the same thing wins). Slots are named
on_<sender>_<signal> and are connected only in _connect_signals (after qutebrowser). Its
parts live beside it: the layout (window_layout), menus, model lists, message actions.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, fields, replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Message
from desktopchat.services.attachments import model_reads_images
from desktopchat.services.context_actions import ContextService
from desktopchat.services.history import HistoryService, SaveStatus, StorageError
from desktopchat.services.model_list import ModelList
from desktopchat.services.pricing import Pricing
from desktopchat.services.registry import ProviderRegistry
from desktopchat.services.usage import UsageService
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import Preferences, SettingsStore
from desktopchat.ui.composer.composer import Composer, is_attachment_mime
from desktopchat.ui.composer.system_prompt import SystemPromptEditor
from desktopchat.ui.sidebar.sidebar import Sidebar
from desktopchat.ui.support.asyncutils import spawn
from desktopchat.ui.support.theme import apply_theme
from desktopchat.ui.support.translation import describe_error
from desktopchat.ui.transcript.chat_view import PAGE_SIZE, ChatView
from desktopchat.ui.transcript.message_actions import MessageActions
from desktopchat.ui.window import layout as window_layout
from desktopchat.ui.window.context_controls import ContextControls
from desktopchat.ui.window.controller import ChatController
from desktopchat.ui.window.menus import WindowMenus
from desktopchat.ui.window.model_bar import ModelBar
from desktopchat.ui.window.model_lists import ModelLists
from desktopchat.ui.window.notice_bar import NoticeBar
from desktopchat.ui.window.save_status import SaveStatusLabel
from desktopchat.ui.window.welcome import WelcomePanel

log = logging.getLogger(__name__)


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


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("DesktopChat")
        self.history = services.history
        self.controller = services.controller
        self.registry = services.registry
        self.keys = services.keys
        self.prefs = services.prefs
        self._settings_store = services.settings
        self._conversation_id: int | None = None
        self._any_key = False
        self._closed = False
        self._drafts: dict[int | None, str] = {}
        self._unsaved: dict[int, str] = {}
        """Per conversation, the message just sent until the store has it: a storage failure
        gives it back."""
        self._has_history = True  # until the list says otherwise: no welcome flash
        self._starting = False  # a new chat's conversation is being created
        self._search_query = ""
        self._settings_dialog = None

        self.model_bar = ModelBar()
        self.system_prompt = SystemPromptEditor()
        self.system_prompt.hide()
        self.notices = NoticeBar()
        self.welcome = WelcomePanel()
        self.chat_view = ChatView()
        self.composer = Composer()
        self.composer.set_send_on_enter(self.prefs.send_on_enter)
        self.sidebar = Sidebar()

        self.splitter, self.pages = window_layout.arrange(
            self,
            self.sidebar,
            [self.model_bar, self.system_prompt, self.notices],
            self.chat_view,
            self.welcome,
            self.composer,
        )
        self.model_lists = ModelLists(self.model_bar, self.registry, self)
        self.message_actions = MessageActions(
            self,
            self.history,
            self.controller,
            self.chat_view,
            lambda: self.open_settings(self.model_bar.provider_id()),
        )

        self.context_controls = ContextControls(
            self, services.context, services.usage, services.pricing
        )
        self.menus = WindowMenus(self)
        self.save_status = SaveStatusLabel(self)
        self.statusBar().addPermanentWidget(self.save_status)
        self.setAcceptDrops(True)  # files dropped anywhere on the window are attached
        self._connect_signals()
        window_layout.restore_window_state(self, self.splitter, self.prefs)
        self.model_bar.set_presets(self.registry.presets(), self.prefs.last_provider)
        self.model_lists.show(self.model_bar.provider_id(), self.prefs.last_model or "")
        self.show_new_chat()

    def _connect_signals(self) -> None:
        bar, view, sidebar, composer = self.model_bar, self.chat_view, self.sidebar, self.composer
        bar.provider_changed.connect(self.on_model_bar_provider_changed)
        bar.model_changed.connect(self.on_model_bar_model_changed)
        bar.temperature_changed.connect(self.on_model_bar_temperature_changed)
        bar.refresh_requested.connect(self.on_model_bar_refresh_requested)
        bar.system_prompt_toggled.connect(self.system_prompt.setVisible)
        self.model_lists.loaded.connect(self.on_model_lists_loaded)
        self.model_lists.failed.connect(self.on_model_lists_failed)
        self.system_prompt.edited.connect(self.on_system_prompt_edited)
        composer.send_requested.connect(self.on_composer_send_requested)
        composer.stop_requested.connect(self.stop_reply)
        sidebar.new_chat_requested.connect(self.show_new_chat)
        sidebar.conversation_selected.connect(self.on_sidebar_conversation_selected)
        sidebar.search_hit_activated.connect(self.on_sidebar_search_hit_activated)
        sidebar.search_changed.connect(self.on_sidebar_search_changed)
        sidebar.rename_requested.connect(self.on_sidebar_rename_requested)
        sidebar.delete_requested.connect(self.on_sidebar_delete_requested)
        view.action_requested.connect(self.on_chat_view_action_requested)
        view.edit_submitted.connect(self.on_chat_view_edit_submitted)
        view.set_blob_reader(self.history.blob)
        self.welcome.settings_requested.connect(self.open_settings)
        controller = self.controller
        controller.user_message_saved.connect(self.on_controller_user_message_saved)
        controller.reply_started.connect(self.on_controller_reply_started)
        controller.delta_received.connect(self.on_controller_delta_received)
        controller.reasoning_received.connect(self.on_controller_reasoning_received)
        controller.reply_noticed.connect(self.on_controller_reply_noticed)
        controller.reply_finished.connect(self.on_controller_reply_finished)
        controller.reply_failed.connect(self.on_controller_reply_failed)
        controller.conversation_changed.connect(self.sidebar.upsert_conversation)
        controller.streaming_changed.connect(self.on_controller_streaming_changed)
        controller.storage_failed.connect(self.show_storage_error)
        controller.conversation_gone.connect(self.on_controller_conversation_gone)
        self.history.on_failed(self.show_storage_error)
        self.history.on_saving(self.on_history_saving)

    # Conversations on screen.

    @property
    def conversation_id(self) -> int | None:
        """The conversation on screen; None for a new chat not sent yet."""
        return self._conversation_id

    def select_provider(self, provider_id: str, models: ModelList) -> None:
        """Switch the bar to a provider and its first model (first-run discovery)."""
        first = models.models[0].id if models.models else ""
        self.model_bar.set_selection(provider_id, first, None)
        self.model_bar.set_models(models, first)
        self.on_model_bar_provider_changed(provider_id)

    def _leave_conversation(self) -> None:
        """Keep what was typed for the conversation being left: its draft, and a system
        prompt edit not saved yet."""
        self.system_prompt.flush()
        self._drafts[self._conversation_id] = self.composer.draft()

    def show_new_chat(self) -> None:
        self._leave_conversation()
        self._conversation_id = None
        self.sidebar.select_conversation(None)
        self.chat_view.clear_conversation()
        self.model_bar.set_selection(
            self.model_bar.provider_id(), self.model_bar.current_model_id(), None
        )
        self.system_prompt.show_prompt("")
        self.composer.set_draft(self._drafts.get(None, ""))
        self._update_placeholder()
        self._update_send_state()
        self._show_streaming_state()
        self.composer.focus_input()

    async def load_conversations(self) -> None:
        """Fill the sidebar from the history (read off the loop). app.run() awaits it before
        the window shows, so the list is there for the person's first keys."""
        conversations = await self.history.conversations()
        if self._closed:
            return
        self.sidebar.set_conversations(conversations)
        self._has_history = bool(conversations)
        self._update_placeholder()

    def open_conversation(self, conversation_id: int) -> asyncio.Task:
        """Switch to a stored conversation at once (its draft in the box, the focus there,
        so what the person types next goes to it) and show it once it is read; damage found
        while reading it is said, and the rest of the history stays usable."""
        self._leave_conversation()
        self._conversation_id = conversation_id
        self.sidebar.select_conversation(conversation_id)
        self.composer.set_draft(self._drafts.get(conversation_id, ""))
        self._update_send_state()
        self.composer.focus_input()
        return spawn(self._show_conversation(conversation_id))

    async def _show_conversation(self, conversation_id: int) -> None:
        try:
            conversation = await self.history.conversation(conversation_id)
            page = await self.history.last_page(conversation_id, PAGE_SIZE)
        except StorageError as error:
            self.notices.show_error(
                self.tr("This conversation could not be read: %1").replace("%1", error.detail)
            )
            return
        if self._conversation_id != conversation_id or self._closed:
            return  # the person moved on meanwhile
        if conversation is None:  # deleted meanwhile (by another instance)
            self.sidebar.remove_conversation(conversation_id)
            self.show_new_chat()
            return
        focus = QApplication.focusWidget()
        typing = focus is not None and self.composer.isAncestorOf(focus)
        if conversation.provider:
            self.model_bar.set_selection(
                conversation.provider, conversation.model, conversation.temperature
            )
            self.model_lists.show(conversation.provider, conversation.model or "")
        self.system_prompt.show_prompt(conversation.system_prompt)
        streaming = self.controller.streaming_reply(conversation_id)
        messages = page.messages
        if streaming is not None:
            messages = [m for m in messages if m.id != streaming.id]
        # `total` only has to say whether earlier messages exist.
        total = len(messages) + page.more
        self.chat_view.show_conversation(messages, total=total, siblings=page.siblings)
        if streaming is not None:
            self.chat_view.begin_reply(replace(streaming, text=""))
            self.chat_view.append_delta(streaming.id, streaming.text)
        self._update_placeholder()
        self._update_send_state()
        self._show_streaming_state()
        if typing:  # the person went on typing while it was read: keep the keys coming
            self.composer.focus_input()

    def _update_placeholder(self) -> None:
        """First run: with no history, no key anywhere and no local server chosen, say how
        to start. Whether a key exists is learned off the loop (check_keys): keychain calls
        can block, and start-up must not wait for them."""
        preset = self.model_bar.preset()
        first_run = (
            self._conversation_id is None
            and (preset is None or preset.needs_key)
            and not self._any_key
            and not self._has_history
        )
        self.pages.setCurrentWidget(self.welcome if first_run else self.chat_view)

    async def check_keys(self) -> None:
        """Learn whether any provider has a key (keychain, session or environment)."""
        found = False
        for preset in self.registry.presets():
            if preset.needs_key and await self.keys.ahas(preset.id, preset.env_var):
                found = True
                break
        self._any_key = found
        if not self._closed:
            self._update_placeholder()

    def _viewing(self, conversation_id: int | None) -> bool:
        return conversation_id is not None and conversation_id == self._conversation_id

    def _update_send_state(self) -> None:
        self.composer.set_enabled_reason(self.model_bar.missing_choice())

    # Model bar.

    def on_model_lists_loaded(self, _provider_id: str, models: ModelList) -> None:
        self.on_model_bar_model_changed(self.model_bar.current_model_id())
        self.statusBar().showMessage(self.model_bar.count_text(models), 4000)

    def on_model_lists_failed(self, _provider_id: str, error: ChatError) -> None:
        self.statusBar().showMessage(
            self.tr("Could not load the model list: %1").replace("%1", describe_error(error)),
            10000,
        )

    def _save_conversation_settings(self, **fields_) -> None:
        """Queue the change (a failure to save is said through the history service)."""
        if self._conversation_id is not None:
            self.history.change_conversation(self._conversation_id, **fields_)

    async def _show_in_sidebar(self, conversation_id: int) -> None:
        """Show a conversation's stored state in the list (title, place in the order)."""
        conversation = await self.history.conversation(conversation_id)
        if conversation is not None and not self._closed:
            self.sidebar.upsert_conversation(conversation)

    def on_model_bar_provider_changed(self, provider_id: str) -> None:
        self.prefs.last_provider = provider_id
        self.model_lists.show(provider_id, None)
        self._save_conversation_settings(
            provider=provider_id, model=self.model_bar.current_model_id()
        )
        self._update_placeholder()
        self._update_send_state()

    def on_model_bar_model_changed(self, model: str) -> None:
        self.prefs.last_model = model
        self._save_conversation_settings(model=model)
        info = self.model_bar.current_model_info()
        self.composer.set_model_reads_images(model_reads_images(info and info.input_modalities))
        self._update_send_state()

    def on_model_bar_temperature_changed(self, temperature: float | None) -> None:
        self._save_conversation_settings(temperature=temperature)

    def on_model_bar_refresh_requested(self) -> None:
        self.model_lists.refresh(self.model_bar.provider_id())

    def on_system_prompt_edited(self, text: str) -> None:
        self._save_conversation_settings(system_prompt=text)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if is_attachment_mime(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.composer.add_from_mime(event.mimeData()):
            event.acceptProposedAction()

    # Sending and what comes back.

    def on_composer_send_requested(self, text: str) -> None:
        if self._starting or self._streaming_on_screen():
            return
        if self._conversation_id is None:
            self._starting = True
            spawn(self._start_conversation(text))
            return
        self.system_prompt.flush()
        self._send(text)

    async def _start_conversation(self, text: str) -> None:
        """A new chat's first message: the conversation is created first (a failure to
        save it is said, and the message stays in the box)."""
        try:
            conversation = await self.history.start_conversation(
                provider=self.model_bar.provider_id(),
                model=self.model_bar.current_model_id(),
                temperature=self.model_bar.temperature(),
                system_prompt=self.system_prompt.toPlainText(),
            )
        except StorageError as error:
            self.show_storage_error(error)
            return
        finally:
            self._starting = False
        if self._closed:
            return
        self._has_history = True
        self._conversation_id = conversation.id
        self._drafts.pop(None, None)
        self.sidebar.upsert_conversation(conversation)
        self.sidebar.select_conversation(conversation.id)
        self.pages.setCurrentWidget(self.chat_view)
        self._send(text)

    def _send(self, text: str) -> None:
        assert self._conversation_id is not None
        attachments = self.composer.attachments()
        if self.controller.send(self._conversation_id, text, attachments):
            self.composer.clear()  # the attachments too
            self._drafts.pop(self._conversation_id, None)
            self._unsaved[self._conversation_id] = text

    def on_controller_user_message_saved(self, message: Message) -> None:
        self._unsaved.pop(message.conversation_id, None)
        if self._viewing(message.conversation_id):
            self.chat_view.append_message(message)
        spawn(self._show_in_sidebar(message.conversation_id))

    def on_controller_reply_started(self, message: Message) -> None:
        if self._viewing(message.conversation_id):
            self.chat_view.begin_reply(message)

    def on_controller_delta_received(
        self, conversation_id: int, message_id: object, text: str
    ) -> None:
        if self._viewing(conversation_id):
            self.chat_view.append_delta(message_id, text)

    def on_controller_reasoning_received(
        self, conversation_id: int, message_id: object, text: str
    ) -> None:
        if self._viewing(conversation_id):
            self.chat_view.append_reasoning(message_id, text)

    def on_controller_reply_noticed(self, _message_id: object, parameter: str, reason: str) -> None:
        self.notices.show_notice(
            self.tr("The provider did not accept the %1, so the request was sent without it: %2")
            .replace("%1", parameter)
            .replace("%2", reason)
        )

    def on_controller_reply_finished(self, message: Message) -> None:
        if self._viewing(message.conversation_id):
            self.chat_view.finish_reply(message)

    def on_controller_reply_failed(self, message: Message, error: ChatError) -> None:
        """Every failure offers Retry: when a key or a model must change first, Retry is
        what the person clicks once they have changed it (R5: retry in one click)."""
        if self._viewing(message.conversation_id):
            self.chat_view.fail_reply(message, error)
        else:
            self.statusBar().showMessage(describe_error(error), 10000)

    def on_controller_streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        self.sidebar.set_streaming(conversation_id, streaming)
        if self._viewing(conversation_id):
            self._show_streaming_state()

    def _streaming_on_screen(self) -> bool:
        conversation_id = self._conversation_id
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
        if self._conversation_id is not None:
            self.controller.stop(self._conversation_id)

    def show_storage_error(self, error: StorageError) -> None:
        """Say it above the conversation; a message that could not even be saved goes back
        into the message box, so nothing typed is lost."""
        unsaved, self._unsaved = self._unsaved, {}
        for conversation_id, text in unsaved.items():
            if conversation_id != self._conversation_id:
                self._drafts.setdefault(conversation_id, text)
            elif not self.composer.draft():
                self.composer.set_draft(text)
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
        text = self._unsaved.pop(conversation_id, "")
        self.sidebar.remove_conversation(conversation_id)
        self._drafts.pop(conversation_id, None)
        if self._conversation_id == conversation_id:
            self._conversation_id = None
            self.show_new_chat()
        if text and not self.composer.draft():
            self.composer.set_draft(text)
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

    def on_chat_view_action_requested(self, action: str, message_id: int) -> None:
        self.message_actions.run(action, message_id, self._conversation_id)

    def on_chat_view_edit_submitted(self, message_id: int, text: str) -> None:
        self.message_actions.resend(message_id, text, self._conversation_id)

    # Sidebar.

    def on_sidebar_conversation_selected(self, conversation_id: int) -> None:
        self.open_conversation(conversation_id)

    def on_sidebar_search_hit_activated(self, conversation_id: int, _message_id: int) -> None:
        if conversation_id != self._conversation_id:
            self.open_conversation(conversation_id)

    def on_sidebar_search_changed(self, query: str) -> None:
        self._search_query = query
        if query.strip():
            spawn(self._search(query))

    async def _search(self, query: str) -> None:
        hits = await self.history.search(query)
        if query == self._search_query and not self._closed:  # not overtaken by typing
            self.sidebar.show_search_results(query, hits)

    def on_sidebar_rename_requested(self, conversation_id: int, title: str) -> None:
        self.history.change_conversation(conversation_id, title=title)
        spawn(self._show_in_sidebar(conversation_id))

    def on_sidebar_delete_requested(self, conversation_id: int) -> None:
        self.controller.stop(conversation_id)
        self.history.delete(conversation_id)
        self.sidebar.remove_conversation(conversation_id)
        self._drafts.pop(conversation_id, None)
        if self._conversation_id == conversation_id:
            self._conversation_id = None
            self.show_new_chat()

    def open_settings(self, provider_id: str | None = None) -> None:
        from desktopchat.ui.settings.dialog import SettingsDialog

        if self._settings_dialog is None:
            dialog = SettingsDialog(
                self.keys, self.registry, self._settings_store, self.prefs, self
            )
            dialog.keys_changed.connect(self.on_settings_keys_changed)
            dialog.preferences_changed.connect(self.on_settings_preferences_changed)
            self._settings_dialog = dialog
        self._settings_dialog.show_keys_for(provider_id or None)
        self._settings_dialog.show()
        self._settings_dialog.raise_()
        self._settings_dialog.activateWindow()

    def on_settings_keys_changed(self, provider_id: str) -> None:
        self.registry.invalidate(provider_id)
        spawn(self.check_keys())
        if provider_id == self.model_bar.provider_id():
            self.model_lists.refresh(provider_id)

    def on_settings_preferences_changed(self, prefs: Preferences) -> None:
        """Apply new preferences; a provider whose address changed lists its models anew."""
        current = self.model_bar.preset()
        for field in fields(Preferences):
            setattr(self.prefs, field.name, getattr(prefs, field.name))
        self.registry.invalidate()
        self.composer.set_send_on_enter(self.prefs.send_on_enter)
        apply_theme(QGuiApplication.instance(), self.prefs.theme)
        self.model_bar.set_presets(self.registry.presets(), current.id if current else None)
        moved = self.model_bar.preset()
        if current is not None and moved is not None and moved.base_url != current.base_url:
            self.model_lists.refresh(moved.id, asked=False)

    # Window state.

    def save_layout(self) -> None:
        window_layout.remember_window_state(self, self.splitter, self.prefs)
        self.prefs.last_provider = self.model_bar.provider_id() or None
        self.prefs.last_model = self.model_bar.current_model_id() or None
        try:
            self._settings_store.save(self.prefs)
        except OSError as error:
            log.warning("could not save the window layout: %s", error)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self.save_layout()
        self.model_lists.cancel()
        super().closeEvent(event)
        self.closed.emit()
