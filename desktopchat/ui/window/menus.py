"""The menu bar and its shortcuts, and the menu commands that only read the conversation on
screen (export, copy, about). Commands that change it, or belong to another part of the
window, are given as callables (`commands`), one per `MenuAction`; the menus hold no
reference to the window itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenuBar, QStatusBar, QWidget

from desktopchat import __version__
from desktopchat.domain.types import Role
from desktopchat.services.history import HistoryService
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.window.notice_bar import NoticeBar

if TYPE_CHECKING:
    from desktopchat.ui.window.sync_link import SyncLink


class MenuAction(StrEnum):
    """Every menu command; the value is its action's object name (tests and the end-to-end
    runs find the actions by it)."""

    NEW_CHAT = "newChat"
    EXPORT = "export"
    EXPORT_ALL = "exportAll"
    COPY_MARKDOWN = "copyMarkdown"
    IMPORT = "import"
    RESTORE = "restore"
    SYNC_NOW = "syncNow"
    SETTINGS = "settings"
    QUIT = "quit"
    REGENERATE_LAST = "regenerateLast"
    COPY_LAST = "copyLast"
    COMPARE_MODELS = "compareModels"
    PROMPTS = "prompts"
    SEARCH = "search"
    STOP = "stop"
    USAGE = "usage"
    SHORTCUTS = "shortcuts"
    ABOUT = "about"


class WindowMenus(QObject):
    """`commands` runs the actions that belong to the window or another part of it (new
    chat, import, restore, settings, quit, compare, prompts, search, stop, usage);
    `host` is the widget whose shortcuts the actions are (and the dialogs' parent);
    `shown` says which conversation is on screen; `regenerate(message_id,
    conversation_id)` regenerates a reply as its Regenerate link does; `open_sync_settings`
    opens Settings → Sync."""

    def __init__(
        self,
        menu_bar: QMenuBar,
        host: QWidget,
        commands: Mapping[MenuAction, Callable[[], object]],
        *,
        history: HistoryService,
        tasks: Tasks,
        notices: NoticeBar,
        status_bar: QStatusBar,
        sync: SyncLink,
        web_search: QAction,
        shown: Callable[[], int | None],
        regenerate: Callable[[int, int], None],
        open_sync_settings: Callable[[], None],
    ) -> None:
        super().__init__(host)
        self._host, self._commands = host, commands
        self._history, self._tasks, self._notices = history, tasks, notices
        self._status_bar, self._sync, self._shown = status_bar, sync, shown
        self._regenerate, self._open_sync_settings = regenerate, open_sync_settings
        file_menu = menu_bar.addMenu(self.tr("&File"))
        file_menu.addAction(self._action(self.tr("&New chat"), ["Ctrl+N"], MenuAction.NEW_CHAT))
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                self.tr("&Export conversation…"),
                ["Ctrl+E"],
                MenuAction.EXPORT,
                self.export_conversation,
            )
        )
        file_menu.addAction(
            self._action(self.tr("Export &all…"), [], MenuAction.EXPORT_ALL, self.export_all)
        )
        file_menu.addAction(
            self._action(
                self.tr("&Copy conversation as Markdown"),
                [],
                MenuAction.COPY_MARKDOWN,
                self.copy_as_markdown,
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Import…"), [], MenuAction.IMPORT))
        file_menu.addAction(self._action(self.tr("&Restore from backup…"), [], MenuAction.RESTORE))
        file_menu.addAction(
            self._action(self.tr("S&ync now"), ["F5"], MenuAction.SYNC_NOW, self.sync_now)
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Settings…"), ["Ctrl+,"], MenuAction.SETTINGS))
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Quit"), ["Ctrl+Q"], MenuAction.QUIT))

        edit_menu = menu_bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(
            self._action(
                self.tr("&Regenerate the last reply"),
                ["Ctrl+R"],
                MenuAction.REGENERATE_LAST,
                self.regenerate_last_reply,
            )
        )
        edit_menu.addAction(
            self._action(
                self.tr("Copy &last reply"),
                ["Ctrl+Shift+C"],
                MenuAction.COPY_LAST,
                self.copy_last_reply,
            )
        )
        edit_menu.addAction(
            self._action(
                self.tr("Send to se&veral models…"), ["Ctrl+Shift+M"], MenuAction.COMPARE_MODELS
            )
        )
        edit_menu.addAction(web_search)
        edit_menu.addAction(
            self._action(self.tr("&Prompts…"), ["Ctrl+Shift+P"], MenuAction.PROMPTS)
        )
        edit_menu.addAction(
            self._action(self.tr("&Search conversations"), ["Ctrl+K", "Ctrl+F"], MenuAction.SEARCH)
        )
        # Enabled only while a reply streams, so Esc keeps its usual meaning elsewhere
        # (clearing the search box, closing a popup).
        self.stop_action = self._action(self.tr("S&top the reply"), ["Esc"], MenuAction.STOP)
        self.stop_action.setEnabled(False)
        edit_menu.addAction(self.stop_action)
        view_menu = menu_bar.addMenu(self.tr("&View"))
        view_menu.addAction(self._action(self.tr("&Usage…"), [], MenuAction.USAGE))
        help_menu = menu_bar.addMenu(self.tr("&Help"))
        help_menu.addAction(
            self._action(
                self.tr("&Keyboard shortcuts"), ["F1"], MenuAction.SHORTCUTS, self.show_shortcuts
            )
        )
        help_menu.addAction(
            self._action(self.tr("&About DesktopChat"), [], MenuAction.ABOUT, self.about)
        )

    def _action(
        self,
        text: str,
        shortcuts: list[str],
        name: MenuAction,
        slot: Callable[[], object] | None = None,
    ) -> QAction:
        """An action of the window (its shortcut works anywhere in it); without `slot`,
        it runs the window's command of that name."""
        run = slot if slot is not None else self._commands[name]
        action = QAction(text, self._host, objectName=name.value)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: run())
        self._host.addAction(action)
        return action

    def _status(self, text: str, ms: int = 3000) -> None:
        self._status_bar.showMessage(text, ms)

    @Slot()
    def export_conversation(self) -> None:
        conversation_id = self._shown()
        if conversation_id is None:
            self._status(self.tr("Open a conversation to export it."), 4000)
            return
        self._tasks.spawn(
            _export_actions().export_one(self._host, self._notices, self._history, conversation_id)
        )

    @Slot()
    def export_all(self) -> None:
        self._tasks.spawn(
            _export_actions().export_everything(self._host, self._notices, self._history)
        )

    @Slot()
    def sync_now(self) -> None:
        """Sync now, or Settings → Sync when there is nothing set up to sync with."""
        link = self._sync
        if link.setup is not None and link.setup.target is not None:
            link.sync_now()
            self._status(self.tr("Syncing…"))
        else:
            self._open_sync_settings()

    @Slot()
    def copy_as_markdown(self) -> None:
        conversation_id = self._shown()
        if conversation_id is not None:
            self._tasks.spawn(self._copy_as_markdown(conversation_id))

    async def _copy_as_markdown(self, conversation_id: int) -> None:
        if await _export_actions().copy_as_markdown(self._history, conversation_id):
            self._status(self.tr("Conversation copied as Markdown"))

    @Slot()
    def copy_last_reply(self) -> None:
        conversation_id = self._shown()
        if conversation_id is not None:
            self._tasks.spawn(self._copy_last_reply(conversation_id))

    async def _copy_last_reply(self, conversation_id: int) -> None:
        reply = await self._history.last_reply(conversation_id)
        if reply is not None:
            QGuiApplication.clipboard().setText(reply.text)
            self._status(self.tr("Last reply copied"), 2000)

    @Slot()
    def regenerate_last_reply(self) -> None:
        conversation_id = self._shown()
        if conversation_id is not None:
            self._tasks.spawn(self._regenerate_last_reply(conversation_id))

    async def _regenerate_last_reply(self, conversation_id: int) -> None:
        """The same path as the Regenerate (or Retry) link under the last reply."""
        page = await self._history.last_page(conversation_id, 1)
        last = page.messages[-1] if page.messages else None
        if self._shown() != conversation_id:
            return
        if last is None or last.role is not Role.ASSISTANT:
            self._status(self.tr("There is no reply to regenerate yet."), 4000)
            return
        self._regenerate(last.id, conversation_id)

    @Slot()
    def show_shortcuts(self) -> None:
        from desktopchat.ui.window.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self._host)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def about(self) -> None:
        """Opened, not run: QMessageBox.about would spin a nested event loop."""
        from PySide6.QtWidgets import QMessageBox

        from desktopchat.ui.support.plain import tell

        tell(
            self._host,
            QMessageBox.Icon.Information,
            self.tr("About DesktopChat"),
            self.tr(
                "DesktopChat %1\nA native desktop chat client for large language models."
            ).replace("%1", __version__),
        )


def _export_actions():
    """The export commands, imported when first used: the window's first paint needs neither
    them nor the Markdown writer and file dialogs they bring (DESIGN.md P1)."""
    from desktopchat.ui.library import export_actions

    return export_actions
