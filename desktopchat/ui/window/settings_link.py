"""The main window's side of Settings: opening the dialog (once, kept for next time), and
what a saved key or changed preference changes in the window."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from desktopchat.system.settings import PLACE_FIELDS, Preferences, SettingsStore
from desktopchat.ui.support.theme import apply_theme

if TYPE_CHECKING:
    from desktopchat.ui.settings.dialog import SettingsDialog
    from desktopchat.ui.window.main_window import MainWindow


class SettingsLink(QObject):
    def __init__(self, window: MainWindow, store: SettingsStore) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self.dialog: SettingsDialog | None = None

    def open(self, provider_id: str | None = None) -> None:
        """Show Settings on the Keys tab, at this provider's key when given."""
        dialog = self._dialog()
        dialog.show_keys_for(provider_id or None)
        self._present(dialog)

    def open_tool_server(self, name: str) -> None:
        """Show Settings on the Tools tab with this MCP server chosen."""
        dialog = self._dialog()
        dialog.show_tool_server(name)
        self._present(dialog)

    def open_sync(self) -> None:
        """Show Settings on the Sync tab (a sync failure's notice leads there)."""
        dialog = self._dialog()
        dialog.show_sync()
        self._present(dialog)

    def _dialog(self) -> SettingsDialog:
        from desktopchat.ui.settings.dialog import SettingsDialog

        window = self._window
        if self.dialog is None:
            tools = window.tools() if window.tools is not None else None
            if tools is not None:
                tools.begin()  # mcp.json read, if app.run has not yet
            link = window.sync_link
            self.dialog = SettingsDialog(
                window.keys,
                window.registry,
                self._store,
                window.prefs,
                window,
                tools,
                link if link.available else None,
            )
            window.tasks.adopt(self.dialog.tasks)
            self.dialog.keys_changed.connect(self.on_dialog_keys_changed)
            self.dialog.preferences_changed.connect(self.on_dialog_preferences_changed)
        return self.dialog

    def _present(self, dialog: SettingsDialog) -> None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    async def any_key(self) -> bool:
        """Whether any provider has a key (keychain, session or environment)."""
        window = self._window
        for preset in window.registry.presets():
            if preset.needs_key and await window.keys.ahas(preset.id, preset.env_var):
                return True
        return False

    def on_dialog_keys_changed(self, provider_id: str) -> None:
        window = self._window
        window.registry.invalidate(provider_id)
        window.tasks.spawn(window.check_keys())
        window.tasks.spawn(window.picker.mark_keys(window.keys))
        if provider_id == window.picker.provider_id():
            window.model_lists.refresh(provider_id)

    def on_dialog_preferences_changed(self, prefs: Preferences) -> None:
        """Apply new preferences; a provider whose address changed lists its models anew.
        The window's own place (geometry, open conversation…) is the window's to say."""
        window = self._window
        current = window.picker.preset()
        for field in fields(Preferences):
            if field.name not in PLACE_FIELDS:
                setattr(window.prefs, field.name, getattr(prefs, field.name))
        window.registry.invalidate()
        window.composer.set_send_on_enter(window.prefs.send_on_enter)
        apply_theme(QGuiApplication.instance(), window.prefs.theme)
        window.picker.set_presets(window.registry.presets(), current.id if current else None)
        window.tasks.spawn(window.picker.mark_keys(window.keys))
        moved = window.picker.preset()
        if current is not None and moved is not None and moved.base_url != current.base_url:
            window.model_lists.refresh(moved.id, asked=False)
