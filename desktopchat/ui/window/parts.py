"""The window's parts around its widgets, built in one place in the order they need each
other, each given the few collaborators it uses (explicit arguments, small Protocols,
callables for the window's own actions), never the window: its place, the links to local
servers, sync, Settings, the sidebar, compare, tools, prompts and projects, the message
actions, the context controls, web search, the switch between conversations, the history's
changes, the menus and what the chat controller reports. ui/window/wiring.py then connects
their signals."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from desktopchat.services.projects import ProjectService
from desktopchat.ui.chat.message_actions import MessageActions
from desktopchat.ui.chat.reply_presenter import ReplyPresenter
from desktopchat.ui.compare.link import CompareLink
from desktopchat.ui.library.project_link import ProjectLink
from desktopchat.ui.library.prompt_link import PromptLink
from desktopchat.ui.transcript.actions import MessageAction
from desktopchat.ui.window import library_commands
from desktopchat.ui.window.context_controls import ContextControls
from desktopchat.ui.window.conversation_switch import ConversationSwitch
from desktopchat.ui.window.history_events import HistoryEvents, OnScreen
from desktopchat.ui.window.local_servers import LocalServerWatch
from desktopchat.ui.window.menus import MenuAction, WindowMenus
from desktopchat.ui.window.place import WindowPlace
from desktopchat.ui.window.settings_link import SettingsLink
from desktopchat.ui.window.sidebar_fold import SidebarFold
from desktopchat.ui.window.sidebar_link import SidebarLink
from desktopchat.ui.window.sync_link import SyncLink
from desktopchat.ui.window.tool_link import ToolLink
from desktopchat.ui.window.tool_notices import ToolServerNotices
from desktopchat.ui.window.web_search_toggle import WebSearchToggle

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow
    from desktopchat.ui.window.window_services import Services


def build_parts(window: MainWindow, services: Services) -> None:
    """Give the window its parts (after its widgets, the model picker and the layout)."""
    status_bar = window.statusBar()
    window.place = WindowPlace(
        window, window.splitter, services.settings, window.prefs, window.tasks
    )
    window.local_servers = LocalServerWatch(
        window.registry,
        window.welcome,
        window.picker,
        window.notices,
        status_bar,
        window.tasks,
        select=window.model_choice.select_provider,
        is_closed=window.is_closed,
        closed=window.closed,
        parent=window,
    )
    window.sync_link = SyncLink(
        services.sync,
        services.sync_set_up,
        window.tasks,
        window.notices,
        status_bar,
        is_closed=window.is_closed,
        open_settings=window.open_sync_settings,
        parent=window,
    )
    window.settings_link = SettingsLink(
        services.settings,
        window.prefs,
        window.keys,
        window.registry,
        window.tasks,
        picker=window.picker,
        lists=window.model_lists,
        composer=window.composer,
        sync=window.sync_link,
        tools=services.tools,
        check_keys=window.check_keys,
        parent=window,
    )
    if services.tools is not None:
        services.tools.when_made(
            lambda tools: ToolServerNotices(
                tools,
                window.notices,
                window.tasks,
                open_server=window.settings_link.open_tool_server,
                parent=window,
            )
        )
    window.sidebar_link = SidebarLink(
        window.sidebar,
        window.chat_view,
        window.history,
        window.controller,
        window.tasks,
        shown=lambda: window.conversation_id,
        is_closed=window.is_closed,
        open_conversation=window.open_conversation,
        show_new_chat=window.show_new_chat,
        hold_scroll=window.place.hold_scroll,
        forget=lambda conversation_id: window.switch.forget(conversation_id),
        storage_failed=window.show_storage_error,
        parent=window,
    )
    window.sidebar_fold = SidebarFold(
        window, window.splitter, window.sidebar, window.prefs, window.place.changed
    )
    window.compare_link = CompareLink(
        window.controller.service,
        window.history,
        window.registry,
        window.picker,
        window.composer,
        window.tasks,
        shown=lambda: window.conversation_id,
        start_conversation=lambda: window.switch.start_conversation(),
        open_conversation=window.open_conversation,
        parent=window,
    )
    window.tool_link = ToolLink(
        window.controller,
        window.chat_view,
        window.composer,
        window.prefs,
        viewing=window.viewing,
        parent=window,
    )
    window.message_actions = MessageActions(
        window,
        window.tasks,
        window.history,
        window.controller,
        window.chat_view,
        lambda: window.open_settings(window.picker.provider_id()),
        lambda: window.conversation_id,
        status_bar.showMessage,
    )

    window.context_controls = ContextControls(
        services.context,
        services.usage,
        services.pricing,
        controller=window.controller,
        history=window.history,
        registry=window.registry,
        composer=window.composer,
        panel=window.panel,
        picker=window.picker,
        notices=window.notices,
        status_bar=status_bar,
        tasks=window.tasks,
        shown=lambda: window.conversation_id,
        open_conversation=window.open_conversation,
        give_back=lambda *refused: window.switch.give_back(*refused),
        closed=window.closed,
        parent=window,
    )
    window.prompts = PromptLink(
        window,
        services.prompts,
        window.composer,
        window.chat_view.selected_text,
        window.tasks,
        lambda text: window.statusBar().showMessage(text, 8000),
    )
    window.projects = ProjectLink(
        window,
        services.projects or ProjectService(window.history),
        window.sidebar,
        window.tasks,
        window.open_conversation,
        window.load_conversations,
        window.registry.presets,
        lambda: (
            window.picker.provider_id(),
            window.picker.current_model_id(),
            window.panel.temperature(),
        ),
    )
    window.web_search = WebSearchToggle(
        window.controller.service,
        window.picker,
        status_bar,
        shown=lambda: window.conversation_id,
        host=window,
    )
    window.switches.follow_web_search(window.web_search)
    window.switches.follow_tool_servers(services.tools)
    window.switch = ConversationSwitch(
        window.history,
        window.controller,
        window.tasks,
        window.notices,
        composer=window.composer,
        chat_view=window.chat_view,
        sidebar=window.sidebar,
        place=window.place,
        picker=window.picker,
        panel=window.panel,
        system_prompt=window.system_prompt,
        switches=window.switches,
        lists=window.model_lists,
        model_changed=window.model_choice.on_model_changed,
        projects=window.projects,
        web_search_for_new_chat=window.web_search.for_new_chat,
        show_questions=window.tool_link.show_questions,
        shown=window.conversation_shown,
        started=window.conversation_started,
        show_storage_error=window.show_storage_error,
        update_send_state=window.update_send_state,
        is_closed=window.is_closed,
        parent=window,
    )
    window.history_events = HistoryEvents(
        window.history,
        window.tasks,
        window.sidebar,
        OnScreen(
            shown=lambda: window.conversation_id,
            streaming=window.controller.is_streaming,
            show_again=window.switch.refresh,
            estimate=window.context_controls.refresh,
            show_title=window.show_title,
            read_list=window.load_conversations,
            closed=window.is_closed,
        ),
        parent=window,
    )
    window.menus = WindowMenus(
        window.menuBar(),
        window,
        {
            MenuAction.NEW_CHAT: window.show_new_chat,
            MenuAction.IMPORT: partial(
                library_commands.import_history, window, services.imports, window.tasks
            ),
            MenuAction.RESTORE: partial(
                library_commands.restore_backup, window, services.backups, window.tasks
            ),
            MenuAction.SETTINGS: lambda: window.open_settings(),
            MenuAction.QUIT: window.close,
            MenuAction.COMPARE_MODELS: window.compare_link.open,
            MenuAction.PROMPTS: window.prompts.open_library,
            MenuAction.SEARCH: window.sidebar_fold.search,
            MenuAction.STOP: window.stop_reply,
            MenuAction.USAGE: window.context_controls.open_usage,
        },
        history=window.history,
        tasks=window.tasks,
        notices=window.notices,
        status_bar=status_bar,
        sync=window.sync_link,
        web_search=window.web_search.action,
        shown=lambda: window.conversation_id,
        regenerate=lambda message_id, conversation_id: window.message_actions.run(
            MessageAction.REGENERATE, message_id, conversation_id
        ),
        open_sync_settings=window.open_sync_settings,
    )
    window.replies = ReplyPresenter(
        window.controller,
        window.history,
        window.tasks,
        view=window.chat_view,
        composer=window.composer,
        sidebar=window.sidebar,
        notices=window.notices,
        stop_action=window.menus.stop_action,
        switch=window.switch,
        unsaved=window.switch.drafts,
        status=window.statusBar().showMessage,
        parent=window,
    )
