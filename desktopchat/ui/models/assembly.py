"""The header, the model picker and the side panel built and wired together: the feature's
cross-widget wiring in one place. The window places the widgets (header above the
conversation, panel beside it) and hands over the few collaborators they use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktopchat.services.history import HistoryService
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import Preferences
from desktopchat.ui.models.choice import ImageGate, ModelChoice, Notices
from desktopchat.ui.models.header import Header
from desktopchat.ui.models.lists import ModelLists
from desktopchat.ui.models.options import ConversationPanel
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.models.switches import ConversationSwitches
from desktopchat.ui.support.asyncutils import Tasks


class Composer(ImageGate, Protocol):
    """What the feature needs of the composer: its switches, and the focus back."""

    def show_switches(self, switches: dict[str, bool]) -> None: ...

    def show_tools_unavailable(self, reason: str) -> None: ...

    def focus_input(self) -> None: ...


class ModelsUi(QObject):
    def __init__(
        self,
        prefs: Preferences,
        registry: ProviderRegistry,
        keys: KeyStore,
        history: HistoryService,
        tasks: Tasks,
        *,
        notices: Notices,
        composer: Composer,
        shown: Callable[[], int | None],
        followed: Callable[[], None],
        status: Callable[[str], None],
        saved: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._prefs, self._keys, self._tasks = prefs, keys, tasks
        self._composer, self._saved = composer, saved
        self.picker = ModelPicker(prefs, saved, lambda p, m: self.lists.figures(p, m))
        self.header = Header(self.picker)
        self.panel = ConversationPanel()
        self.panel.setVisible(prefs.side_panel)
        self.header.panel_button.setChecked(prefs.side_panel)
        self.system_prompt = self.panel.system_prompt
        self.lists = ModelLists(self.picker, registry, tasks, self)
        self.choice = ModelChoice(
            self.picker,
            self.lists,
            self.panel,
            prefs,
            history=history,
            notices=notices,
            composer=composer,
            shown=shown,
            followed=followed,
            status=status,
            parent=self,
        )
        self.switches = ConversationSwitches(prefs, (composer, self.panel), saved, self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        picker, choice, panel, lists = self.picker, self.choice, self.panel, self.lists
        picker.chosen.connect(choice.on_picker_chosen)
        picker.refresh_requested.connect(choice.on_picker_refresh_requested)
        picker.retry_requested.connect(choice.on_picker_retry_requested)
        picker.opened.connect(self.on_picker_opened)
        self.header.panel_button.toggled.connect(self.on_panel_button_toggled)
        panel.changed.connect(choice.on_panel_changed)
        panel.switches_changed.connect(self.switches.on_changed)
        self.system_prompt.presence_changed.connect(self.header.mark_system_prompt)
        self.system_prompt.edited.connect(choice.on_system_prompt_edited)
        lists.loaded.connect(choice.on_model_lists_loaded)
        lists.failed.connect(choice.on_model_lists_failed)
        lists.shown.connect(choice.on_model_lists_shown)

    @Slot()
    def on_picker_opened(self) -> None:
        """The popup lists every provider: which have keys, and their lists, are looked at
        now (off the loop), not at start."""
        self._tasks.spawn(self.picker.mark_keys(self._keys))
        self.lists.show_all()

    @Slot(bool)
    def on_panel_button_toggled(self, shown: bool) -> None:
        """The side panel (Ctrl+.), remembered; opened to be typed in, the focus goes to
        the system prompt; closed, back to the message box."""
        self.panel.setVisible(shown)
        self._prefs.side_panel = shown
        self._saved()
        if shown:
            self.system_prompt.setFocus()
        else:
            self._composer.focus_input()
