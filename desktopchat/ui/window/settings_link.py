"""The main window's side of Settings: opening the dialog (once, kept for next time), and
what a saved key or changed preference changes in the window (the registry, the model
picker and its lists, the message box's Enter, the theme). It works with the
collaborators it is given, never the window itself."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import PLACE_FIELDS, Preferences, SettingsStore
from desktopchat.ui.models.lists import ModelLists
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.theme import apply_theme

if TYPE_CHECKING:
    from desktopchat.services.lazy import Lazy
    from desktopchat.services.tools import ToolService
    from desktopchat.ui.settings.dialog import SettingsDialog
    from desktopchat.ui.window.sync_link import SyncLink


class EnterSends(Protocol):
    def set_send_on_enter(self, on: bool) -> None: ...


class SettingsLink(QObject):
    """`check_keys` learns again whether any provider has a key (the first-run page
    follows); `parent` is the window the dialog belongs to."""

    def __init__(
        self,
        store: SettingsStore,
        prefs: Preferences,
        keys: KeyStore,
        registry: ProviderRegistry,
        tasks: Tasks,
        *,
        picker: ModelPicker,
        lists: ModelLists,
        composer: EnterSends,
        sync: SyncLink,
        tools: Lazy[ToolService] | None,
        check_keys: Callable[[], Coroutine[Any, Any, None]],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._store, self._prefs, self._keys, self._registry = store, prefs, keys, registry
        self._tasks, self._picker, self._lists, self._composer = tasks, picker, lists, composer
        self._sync, self._tools, self._check_keys = sync, tools, check_keys
        self._parent = parent
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

        if self.dialog is None:
            tools = self._tools() if self._tools is not None else None
            if tools is not None:
                tools.begin()  # mcp.json read, if app.run has not yet
            self.dialog = SettingsDialog(
                self._keys,
                self._registry,
                self._store,
                self._prefs,
                self._parent,
                tools,
                self._sync if self._sync.available else None,
            )
            self._tasks.adopt(self.dialog.tasks)
            self.dialog.keys_changed.connect(self.on_dialog_keys_changed)
            self.dialog.preferences_changed.connect(self.on_dialog_preferences_changed)
        return self.dialog

    def _present(self, dialog: SettingsDialog) -> None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    async def any_key(self) -> bool:
        """Whether any provider has a key (keychain, session or environment)."""
        for preset in self._registry.presets():
            if preset.needs_key and await self._keys.ahas(preset.id, preset.env_var):
                return True
        return False

    @Slot(str)
    def on_dialog_keys_changed(self, provider_id: str) -> None:
        self._registry.invalidate(provider_id)
        self._tasks.spawn(self._check_keys())
        self._tasks.spawn(self._picker.mark_keys(self._keys))
        if provider_id == self._picker.provider_id():
            self._lists.refresh(provider_id)

    @Slot(object)
    def on_dialog_preferences_changed(self, prefs: Preferences) -> None:
        """Apply new preferences; a provider whose address changed lists its models anew.
        The window's own place (geometry, open conversation…) is the window's to say."""
        picker = self._picker
        current = picker.preset()
        for field in fields(Preferences):
            if field.name not in PLACE_FIELDS:
                setattr(self._prefs, field.name, getattr(prefs, field.name))
        self._registry.invalidate()
        self._composer.set_send_on_enter(self._prefs.send_on_enter)
        apply_theme(QGuiApplication.instance(), self._prefs.theme)
        picker.set_presets(self._registry.presets(), current.id if current else None)
        self._tasks.spawn(picker.mark_keys(self._keys))
        moved = picker.preset()
        if current is not None and moved is not None and moved.base_url != current.base_url:
            self._lists.refresh(moved.id, asked=False)
