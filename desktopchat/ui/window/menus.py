"""The menu bar and its shortcuts, and the menu commands that only read the conversation on
screen (export, copy, about). Commands that change it stay in the main window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence

from desktopchat import __version__
from desktopchat.domain.types import Role
from desktopchat.ui.transcript.actions import MessageAction

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow


class WindowMenus(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        file_menu = window.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(
            self._action(self.tr("&New chat"), ["Ctrl+N"], window.show_new_chat, "newChat")
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                self.tr("&Export conversation…"), ["Ctrl+E"], self.export_conversation, "export"
            )
        )
        file_menu.addAction(
            self._action(
                self.tr("Export &all…"),
                [],
                lambda: window.tasks.spawn(
                    _export_actions().export_everything(window, window.notices, window.history)
                ),
                "exportAll",
            )
        )
        file_menu.addAction(
            self._action(
                self.tr("&Copy conversation as Markdown"), [], self.copy_as_markdown, "copyMarkdown"
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(self.tr("&Import…"), [], self.import_conversations, "import")
        )
        file_menu.addAction(
            self._action(self.tr("&Restore from backup…"), [], self.restore_backup, "restore")
        )
        file_menu.addAction(self._action(self.tr("S&ync now"), ["F5"], self.sync_now, "syncNow"))
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                self.tr("&Settings…"), ["Ctrl+,"], lambda: window.open_settings(), "settings"
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Quit"), ["Ctrl+Q"], window.close, "quit"))

        edit_menu = window.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addAction(
            self._action(
                self.tr("&Regenerate the last reply"),
                ["Ctrl+R"],
                self.regenerate_last_reply,
                "regenerateLast",
            )
        )
        edit_menu.addAction(
            self._action(
                self.tr("Copy &last reply"), ["Ctrl+Shift+C"], self.copy_last_reply, "copyLast"
            )
        )
        edit_menu.addAction(
            self._action(
                self.tr("Send to se&veral models…"),
                ["Ctrl+Shift+M"],
                window.compare_link.open,
                "compareModels",
            )
        )
        edit_menu.addAction(window.web_search.action)
        edit_menu.addAction(
            self._action(
                self.tr("&Prompts…"), ["Ctrl+Shift+P"], window.prompts.open_library, "prompts"
            )
        )
        edit_menu.addAction(
            self._action(
                self.tr("&Search conversations"),
                ["Ctrl+K", "Ctrl+F"],
                window.sidebar.focus_search,
                "search",
            )
        )
        # Enabled only while a reply streams, so Esc keeps its usual meaning elsewhere
        # (clearing the search box, closing a popup).
        self.stop_action = self._action(
            self.tr("S&top the reply"), ["Esc"], window.stop_reply, "stop"
        )
        self.stop_action.setEnabled(False)
        edit_menu.addAction(self.stop_action)
        view_menu = window.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(
            self._action(self.tr("&Usage…"), [], window.context_controls.open_usage, "usage")
        )
        help_menu = window.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(
            self._action(self.tr("&Keyboard shortcuts"), ["F1"], self.show_shortcuts, "shortcuts")
        )
        help_menu.addAction(self._action(self.tr("&About DesktopChat"), [], self.about, "about"))

    def _action(
        self, text: str, shortcuts: list[str], slot: Callable[[], object], name: str
    ) -> QAction:
        action = QAction(text, self._window, objectName=name)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self._window.addAction(action)
        return action

    def _status(self, text: str, ms: int = 3000) -> None:
        self._window.statusBar().showMessage(text, ms)

    def export_conversation(self) -> None:
        conversation_id = self._window.conversation_id
        if conversation_id is None:
            self._status(self.tr("Open a conversation to export it."), 4000)
            return
        window = self._window
        window.tasks.spawn(
            _export_actions().export_one(window, window.notices, window.history, conversation_id)
        )

    def import_conversations(self) -> None:
        from desktopchat.ui.library.import_dialog import import_conversations

        self._window.tasks.spawn(import_conversations(self._window))

    def sync_now(self) -> None:
        """Sync now, or Settings → Sync when there is nothing set up to sync with."""
        link = self._window.sync_link
        if link.setup is not None and link.setup.target is not None:
            link.sync_now()
            self._status(self.tr("Syncing…"))
        else:
            self._window.open_sync_settings()

    def restore_backup(self) -> None:
        from desktopchat.ui.library.restore_dialog import open_restore_dialog

        open_restore_dialog(self._window)

    def copy_as_markdown(self) -> None:
        conversation_id = self._window.conversation_id
        if conversation_id is not None:
            self._window.tasks.spawn(self._copy_as_markdown(conversation_id))

    async def _copy_as_markdown(self, conversation_id: int) -> None:
        if await _export_actions().copy_as_markdown(self._window.history, conversation_id):
            self._status(self.tr("Conversation copied as Markdown"))

    def copy_last_reply(self) -> None:
        conversation_id = self._window.conversation_id
        if conversation_id is not None:
            self._window.tasks.spawn(self._copy_last_reply(conversation_id))

    async def _copy_last_reply(self, conversation_id: int) -> None:
        reply = await self._window.history.last_reply(conversation_id)
        if reply is not None:
            QGuiApplication.clipboard().setText(reply.text)
            self._status(self.tr("Last reply copied"), 2000)

    def regenerate_last_reply(self) -> None:
        conversation_id = self._window.conversation_id
        if conversation_id is not None:
            self._window.tasks.spawn(self._regenerate_last_reply(conversation_id))

    async def _regenerate_last_reply(self, conversation_id: int) -> None:
        """The same path as the Regenerate (or Retry) link under the last reply."""
        page = await self._window.history.last_page(conversation_id, 1)
        last = page.messages[-1] if page.messages else None
        if self._window.conversation_id != conversation_id:
            return
        if last is None or last.role is not Role.ASSISTANT:
            self._status(self.tr("There is no reply to regenerate yet."), 4000)
            return
        self._window.message_actions.run(MessageAction.REGENERATE, last.id, conversation_id)

    def show_shortcuts(self) -> None:
        from desktopchat.ui.window.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self._window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def about(self) -> None:
        """Opened, not run: QMessageBox.about would spin a nested event loop."""
        from PySide6.QtWidgets import QMessageBox

        from desktopchat.ui.support.plain import tell

        tell(
            self._window,
            QMessageBox.Icon.Information,
            self.tr("About DesktopChat"),
            self.tr(
                "DesktopChat %1\nA native desktop chat client for large language models."
            ).replace("%1", __version__),
        )


def _export_actions():
    """The export commands, imported when first used: the window's first paint needs neither
    them nor the Markdown writer and file dialogs they bring (DESIGN.md P1)."""
    from desktopchat.ui.window import export_actions

    return export_actions
