"""The one place where the window's parts are wired to each other: every signal of one
part connected to the slot of another (a feature's own wiring stays in its folder, like
ui/models/assembly.py). Slots are named on_<sender>_<signal> (after qutebrowser)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from desktopchat.ui.window.menus import MenuAction

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow


def connect_signals(window: MainWindow) -> None:
    view, sidebar, composer = window.chat_view, window.sidebar, window.composer
    replies, switch, drafts = window.replies, window.switch, window.switch.drafts
    window.picker.add_key_requested.connect(window.open_settings)
    window.web_search.changed.connect(window.switches.refresh)
    composer.switches_changed.connect(window.switches.on_changed)
    composer.send_requested.connect(replies.on_composer_send_requested)
    composer.stop_requested.connect(replies.stop_reply)
    composer.edited.connect(drafts.on_composer_edited)
    composer.tray.changed.connect(drafts.on_composer_edited)
    composer.send_refused.connect(window.on_composer_send_refused)
    composer.edit_last_requested.connect(replies.on_composer_edit_last_requested)
    view.verticalScrollBar().valueChanged.connect(window.on_chat_view_scrolled)
    sidebar.new_chat_requested.connect(switch.show_new_chat)
    # Gone to the search (Ctrl+K, a query typed): start-up does not take them back.
    search = window.findChild(QAction, MenuAction.SEARCH)  # Edit → Search conversations
    assert search is not None
    search.triggered.connect(switch.person_moved)
    sidebar.search_changed.connect(switch.person_moved)
    link = window.sidebar_link
    link.connect_sidebar()
    view.action_requested.connect(window.on_chat_view_action_requested)
    view.edit_submitted.connect(window.on_chat_view_edit_submitted)
    view.set_blob_reader(window.history.blob)
    window.welcome.settings_requested.connect(window.open_settings)
    window.welcome.look_again_requested.connect(window.local_servers.look_now)
    controller = window.controller
    controller.user_message_saved.connect(replies.on_controller_user_message_saved)
    controller.reply_started.connect(replies.on_controller_reply_started)
    controller.delta_received.connect(replies.on_controller_delta_received)
    controller.reasoning_received.connect(replies.on_controller_reasoning_received)
    controller.reply_noticed.connect(replies.on_controller_reply_noticed)
    controller.reply_retrying.connect(replies.on_controller_reply_retrying)
    controller.reply_finished.connect(replies.on_controller_reply_finished)
    controller.reply_failed.connect(replies.on_controller_reply_failed)
    controller.streaming_changed.connect(replies.on_controller_streaming_changed)
    controller.storage_failed.connect(replies.show_storage_error)
    controller.conversation_gone.connect(replies.on_controller_conversation_gone)
    window.history.on_failed(replies.show_storage_error)
    window.history.on_draft_conflict(drafts.on_draft_conflict)
    window.history.on_saving(window.on_history_saving)
