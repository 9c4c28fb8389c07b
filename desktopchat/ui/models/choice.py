"""What a choice in the header or the side panel changes: the conversation's settings
(saved with it), the defaults remembered for the next new chat, the model list shown,
whether the composer may attach images, and what the window says when a list arrives or
fails. It works with the few collaborators it is given, never the window itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Slot

from desktopchat.domain.errors import ChatError
from desktopchat.domain.presets import accepts_temperature
from desktopchat.services.attachments import model_reads_images
from desktopchat.services.model_list import ModelList
from desktopchat.system.settings import Preferences
from desktopchat.ui.models.lists import ModelLists
from desktopchat.ui.models.options import ConversationPanel
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.support.translation import describe_error

MODEL_LIST_TOPIC = "model list"
"""The notice saying the selected provider's model list failed."""


class Notices(Protocol):
    def show_error(self, text: str, *, topic: str | None = None) -> None: ...

    def withdraw(self, topic: str) -> None: ...


class ImageGate(Protocol):
    def set_model_reads_images(self, reads: bool | None) -> None: ...


class SettingsStore(Protocol):
    def change_conversation(self, conversation_id: int, **fields: Any) -> None: ...


class ModelChoice(QObject):
    """`shown` says which conversation is on screen; `followed` updates what depends on the
    choice (the first-run page, whether Send may go); `status` says a short message."""

    def __init__(
        self,
        picker: ModelPicker,
        lists: ModelLists,
        panel: ConversationPanel,
        prefs: Preferences,
        *,
        history: SettingsStore,
        notices: Notices,
        composer: ImageGate,
        shown: Callable[[], int | None],
        followed: Callable[[], None],
        status: Callable[[str], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._picker, self._lists, self._panel, self._prefs = picker, lists, panel, prefs
        self._history, self._notices, self._composer = history, notices, composer
        self._shown, self._followed, self._status = shown, followed, status

    def save_conversation_settings(self, **fields: Any) -> None:
        """Queue the change (a failure to save is said through the history service)."""
        conversation_id = self._shown()
        if conversation_id is not None:
            self._history.change_conversation(conversation_id, **fields)

    def select_provider(self, provider_id: str, models: ModelList) -> None:
        """Switch to a provider and its first model (a local server found)."""
        first = models.models[0].id if models.models else ""
        self._picker.set_selection(provider_id, first)
        self._picker.set_models(models, first)
        self.on_picker_chosen(provider_id, first)

    @Slot(str, str)
    def on_picker_chosen(self, provider_id: str, model: str) -> None:
        self._notices.withdraw(MODEL_LIST_TOPIC)  # about the list before this choice
        self._prefs.last_provider = provider_id
        self._lists.show(provider_id, model)
        self.save_conversation_settings(provider=provider_id, model=model)
        self.on_model_changed()

    def on_model_changed(self) -> None:
        """The model shown changed (picked, a list arrived, a conversation opened): it is
        remembered for the next new chat, the composer learns whether it reads images, and
        the temperature takes the provider's range (lowered to it, and saved so)."""
        picker = self._picker
        self._prefs.last_model = picker.current_model_id()
        info = picker.current_model_info()
        modalities = info.input_modalities if info is not None else None
        self._composer.set_model_reads_images(model_reads_images(modalities))
        preset = picker.preset()
        usable = preset is None or accepts_temperature(preset, picker.current_model_id())
        if self._panel.set_temperature_range(preset, usable=usable):
            self.save_conversation_settings(temperature=self._panel.temperature())
        self._followed()

    @Slot(dict)
    def on_panel_changed(self, fields: dict) -> None:
        self.save_conversation_settings(**fields)

    @Slot(str)
    def on_system_prompt_edited(self, text: str) -> None:
        self.save_conversation_settings(system_prompt=text)

    @Slot()
    def on_picker_refresh_requested(self) -> None:
        self._lists.refresh_all()

    @Slot(str)
    def on_picker_retry_requested(self, provider_id: str) -> None:
        self._lists.refresh(provider_id)

    @Slot(str, object)
    def on_model_lists_loaded(self, _provider_id: str, models: ModelList) -> None:
        self.on_model_changed()
        self.save_conversation_settings(model=self._picker.current_model_id())
        self._status(self._picker.count_text(models))

    @Slot(str)
    def on_model_lists_shown(self, _provider_id: str) -> None:
        """A list read from the cache (or the well-known ids) put a model in the picker
        after the switch: it is the conversation's model now, and Send may go."""
        self.on_model_changed()
        self.save_conversation_settings(model=self._picker.current_model_id())

    @Slot(str, object)
    def on_model_lists_failed(self, _provider_id: str, error: ChatError) -> None:
        """Said in the notice bar, which wraps: the reason says what to do, in full. It is
        about this provider: switching to another withdraws it."""
        self._notices.show_error(
            self.tr("Could not load the model list: %1").replace("%1", describe_error(error)),
            topic=MODEL_LIST_TOPIC,
        )
