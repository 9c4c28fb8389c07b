"""The Settings dialog: keys, servers and preferences, one tab each.

One model for every edit: it applies at once, and the dialog has a single Close button.
Keys and custom endpoints act through their own buttons (Save, Remove, Add), because they go
to the keychain and a person expects "Save" to mean saved; removing a key or an endpoint asks
first. Everything else (addresses, theme, language, numbers) is saved APPLY_DELAY_MS after the
last change (an address only once it is a valid one; a wrong one is marked in red and said)
and is then announced with preferences_changed. A settings file that cannot be written is
reported in words and the edits stay, to be saved with the next change, so nothing is lost.

Saving reads the file, merges, writes, fsyncs and renames: disk work, done in a worker
thread (SettingsStore.save), never on the loop. Saves are queued in order and coalesced:
while one is being written, later edits wait as one snapshot, so the last state is the one
written. The writing task is a `finish` task of the dialog's owner (the window adopts it),
so quitting waits for it rather than cancelling it.

The dialog edits the app's live Preferences object: a queued edit is put in it at once (the
window's place and last model stay as the app has them), and what was written, merged with
another running instance's changes, replaces it once saved.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterable
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.presets import PRESETS, ProviderPreset, custom_preset
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keychain_problems import KeychainError
from desktopchat.system.keys import KeySource, KeyStore
from desktopchat.system.settings import (
    PLACE_FIELDS,
    CustomEndpoint,
    Preferences,
    SettingsStore,
)
from desktopchat.ui.settings.endpoints import ServersTab
from desktopchat.ui.settings.keys import KeysTab
from desktopchat.ui.settings.preferences import PreferencesTab
from desktopchat.ui.settings.tools import ToolsTab
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel
from desktopchat.ui.support.translation import keychain_error_words

if TYPE_CHECKING:
    from desktopchat.services.tools import ToolService
    from desktopchat.ui.settings.sync import SyncTab
    from desktopchat.ui.window.sync_link import SyncLink

APPLY_DELAY_MS = 400
"""A change is saved this long after the last keystroke or click: typing an address or a
number saves once, not per character."""


def key_presets(endpoints: Iterable[CustomEndpoint]) -> list[ProviderPreset]:
    """The providers that get a row: built-in services that are not local, then the person's
    own endpoints (whose key is optional, but can only be set here or when adding them)."""
    builtins = [preset for preset in PRESETS if not preset.local]
    customs = [custom_preset(e.id, e.name, e.base_url, has_key=True) for e in endpoints]
    return builtins + customs


class SettingsDialog(QDialog):
    keys_changed = Signal(str)  # provider id whose key was saved or removed
    preferences_changed = Signal(object)  # the new Preferences, after saving them

    def __init__(
        self,
        keys: KeyStore,
        registry: ProviderRegistry,
        settings: SettingsStore,
        prefs: Preferences,
        parent: QWidget | None = None,
        tools: ToolService | None = None,
        sync: SyncLink | None = None,
    ) -> None:
        """`tools`: the MCP servers, shown on a Tools tab (none in a window without them);
        `sync`: the window's sync, shown on a Sync tab (made when first shown: it loads
        sync)."""
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self._keys = keys
        self._registry = registry
        self._settings = settings
        self._prefs = prefs
        self.tasks = Tasks()
        """Its keychain work: reads and tests end when it closes, a key being saved or
        removed is finished (the window adopts it, so quitting drains it)."""

        self.keys_tab = KeysTab(
            keys,
            registry,
            key_presets(prefs.custom_endpoints),
            lambda provider_id: provider_id in self._prefs.key_places,
        )
        self.tasks.adopt(self.keys_tab.tasks)
        self.servers_tab = ServersTab(prefs, lambda: keys.problem is None)
        self.preferences_tab = PreferencesTab(prefs)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.keys_tab, self.tr("&Keys"))
        self.tabs.addTab(self.servers_tab, self.tr("&Servers"))
        self.tabs.addTab(self.preferences_tab, self.tr("&Preferences"))
        self.tools_tab: ToolsTab | None = None
        if tools is not None:
            self.tools_tab = ToolsTab(tools)
            self.tasks.adopt(self.tools_tab.tasks)
            self.tabs.addTab(self.tools_tab, self.tr("&Tools"))
        self._sync = sync
        self.sync_tab: SyncTab | None = None
        self._sync_holder = QWidget()
        if sync is not None:
            QVBoxLayout(self._sync_holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(self._sync_holder, self.tr("S&ync"))

        self.message = PlainLabel()
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d13438;")
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._apply_timer = QTimer(self, singleShot=True, interval=APPLY_DELAY_MS)
        self._queued: Preferences | None = None
        """The newest edits waiting for the save under way (the last state wins)."""
        self._writing: asyncio.Task[None] | None = None
        self._unsaved = False
        """The last save failed: its edits are in the live preferences but not on disk."""
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(760, 560)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self._apply_timer.timeout.connect(self.apply)
        self.keys_tab.key_changed.connect(self.keys_changed)
        self.keys_tab.key_placed.connect(self._on_keys_tab_key_placed)
        self.servers_tab.changed.connect(self._apply_timer.start)
        self.servers_tab.endpoint_saved.connect(self._on_servers_tab_endpoint_saved)
        self.servers_tab.endpoint_removed.connect(self._on_servers_tab_endpoint_removed)
        self.preferences_tab.changed.connect(self._apply_timer.start)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    @property
    def preferences(self) -> Preferences:
        return self._prefs

    def show_keys_for(self, provider_id: str | None) -> None:
        """Switch to the Keys tab and put the cursor in this provider's key field."""
        self.tabs.setCurrentWidget(self.keys_tab)
        self.keys_tab.focus_row(provider_id)

    def show_tool_server(self, name: str) -> None:
        """Switch to the Tools tab with this MCP server chosen."""
        if self.tools_tab is not None:
            self.tabs.setCurrentWidget(self.tools_tab)
            self.tools_tab.choose(name)

    def show_sync(self) -> None:
        """Switch to the Sync tab."""
        if self._sync is not None:
            self.tabs.setCurrentWidget(self._sync_holder)

    def _on_tabs_current_changed(self, _index: int) -> None:
        """The Sync tab is made when first shown: it loads sync, which a history that never
        syncs does not need."""
        if self._sync is None or self.sync_tab is not None:
            return
        if self.tabs.currentWidget() is self._sync_holder:
            from desktopchat.ui.settings.sync import SyncTab

            self.sync_tab = SyncTab(self._sync)
            self.tasks.adopt(self.sync_tab.tasks)
            layout = self._sync_holder.layout()
            assert layout is not None
            layout.addWidget(self.sync_tab)

    def apply(self) -> bool:
        """Save the edits made so far; False (and the reason shown) if they could not be,
        with every edit still in the dialog."""
        self._apply_timer.stop()
        prefs = self._edited()
        if prefs is None:
            self._show_message(
                self.tr("The server address marked in red is not used until it is corrected.")
            )
            return False
        if prefs == self._prefs and not self._unsaved:
            self._show_message("")
            return True
        old_urls, new_urls = self._prefs.base_url_overrides, prefs.base_url_overrides
        moved = {pid for pid in {*old_urls, *new_urls} if old_urls.get(pid) != new_urls.get(pid)}
        self._save(prefs)
        for provider_id in sorted(moved):
            self._registry.invalidate(provider_id)
        return True

    @property
    def saving(self) -> bool:
        """Whether a save is queued or being written."""
        return self._writing is not None

    def done(self, result: int) -> None:
        """Closing (Close, Esc) saves what waits for its delay, then forgets typed keys and
        a wrong address: the dialog is kept for next time and must not hold a key or show
        an edit that was never used."""
        if self._apply_timer.isActive():
            self.apply()
        self.keys_tab.forget_typed_keys()
        self.servers_tab.show_preferences(self._prefs)
        self.preferences_tab.show_preferences(self._prefs)
        self._show_message("")
        self.tasks.cancel()
        super().done(result)

    def _edited(self) -> Preferences | None:
        """The saved preferences with every pending edit; None while an address is wrong."""
        overrides = self.servers_tab.base_url_overrides(self._prefs.base_url_overrides)
        if overrides is None:
            return None
        prefs = replace(
            self._prefs,
            base_url_overrides=overrides,
            custom_endpoints=self.servers_tab.endpoints(),
        )
        return self.preferences_tab.applied_to(prefs)

    def _save(self, prefs: Preferences) -> None:
        """Queue `prefs` to be written; the live preferences take the edits now."""
        self._take(prefs)
        self._queued = copy.deepcopy(prefs)
        if self._writing is not None:
            return  # the task under way writes it next
        if self.tasks.closed:  # quitting: what is left is written before the app ends
            self._write_now()
            return
        self._writing = self.tasks.spawn(self._write_queued(), finish=True)

    async def _write_queued(self) -> None:
        try:
            while self._queued is not None:
                prefs, self._queued = self._queued, None
                try:
                    saved = await asyncio.to_thread(self._settings.save, prefs, PLACE_FIELDS)
                except OSError as error:
                    self._failed(error)
                    continue
                if self._queued is None:
                    self._saved(prefs, saved)
        finally:
            self._writing = None

    def _write_now(self) -> None:
        prefs, self._queued = self._queued, None
        if prefs is None:
            return
        try:
            self._saved(prefs, self._settings.save(prefs, PLACE_FIELDS))
        except OSError as error:
            self._failed(error)

    def _take(self, prefs: Preferences) -> None:
        for field in fields(Preferences):
            if field.name not in PLACE_FIELDS:
                setattr(self._prefs, field.name, getattr(prefs, field.name))

    def _saved(self, prefs: Preferences, saved: Preferences) -> None:
        """Written: what the merge brought in from another running instance (an endpoint
        it added) goes into the live preferences, and the lists show it. A field the merge
        left alone keeps its live value: the app may have changed it (the last model) while
        the worker wrote."""
        self._unsaved = False
        for field in fields(Preferences):
            name = field.name
            if name not in PLACE_FIELDS and getattr(saved, name) != getattr(prefs, name):
                setattr(self._prefs, name, getattr(saved, name))
        if saved.custom_endpoints != prefs.custom_endpoints:
            self.servers_tab.show_endpoints(saved.custom_endpoints)
            self.keys_tab.set_providers(key_presets(saved.custom_endpoints))
        self._show_message("")
        self.preferences_changed.emit(copy.deepcopy(self._prefs))

    def _failed(self, error: OSError) -> None:
        self._unsaved = True
        self._show_message(
            self.tr(
                "The settings could not be saved ({reason}). Your changes are still here; "
                "free some disk space or check the folder's permissions, then try again."
            ).format(reason=error.strerror or error)
        )

    def _save_endpoints(self, endpoints: list[CustomEndpoint]) -> None:
        """Endpoint edits are saved at once, without the other pending edits; if the file
        cannot be written they stay pending for OK/Apply."""
        self.keys_tab.set_providers(key_presets(endpoints))
        self._save(replace(self._prefs, custom_endpoints=endpoints))

    def _on_servers_tab_endpoint_saved(self, endpoint: CustomEndpoint, key: str) -> None:
        self._save_endpoints(self.servers_tab.endpoints())
        self._registry.invalidate(endpoint.id)
        if key:
            self.keys_tab.save_key(endpoint.id, key)

    def _on_keys_tab_key_placed(self, provider_id: str, source: KeySource) -> None:
        """Remember where the person put the key (never the key): a session key gone at the
        next start is said, and a custom endpoint whose key is gone says so."""
        places = dict(self._prefs.key_places)
        if source is KeySource.KEYCHAIN:
            places[provider_id] = "keychain"
        elif source is KeySource.SESSION:
            places[provider_id] = "session"
        else:
            places.pop(provider_id, None)
        if places != self._prefs.key_places:
            self._save(replace(self._prefs, key_places=places))

    def _on_servers_tab_endpoint_removed(self, endpoint_id: str) -> None:
        self._save_endpoints(self.servers_tab.endpoints())
        self.tasks.spawn(self._delete_endpoint_key(endpoint_id), finish=True)

    async def _delete_endpoint_key(self, endpoint_id: str) -> None:
        try:
            await self._keys.adelete(endpoint_id)
        except KeychainError as error:
            self._show_message(
                self.tr("The removed endpoint's key could not be deleted: {reason}").format(
                    reason=keychain_error_words(error)
                )
            )
            return
        self._registry.invalidate(endpoint_id)
        self._on_keys_tab_key_placed(endpoint_id, KeySource.NONE)
        self.keys_changed.emit(endpoint_id)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
