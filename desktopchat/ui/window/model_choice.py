"""What a choice in the model bar changes: the conversation's settings (saved with it), the
defaults remembered for the next new chat, the model list shown, whether the composer may
attach images, and what the window says when a list arrives or fails. Kept apart from the
main window, which wires the bar's signals to these slots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from desktopchat.domain.errors import ChatError
from desktopchat.services.attachments import model_reads_images
from desktopchat.services.model_list import ModelList
from desktopchat.ui.support.translation import describe_error

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow

MODEL_LIST_TOPIC = "model list"
"""The notice saying the selected provider's model list failed."""


class ModelChoice(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def select_provider(self, provider_id: str, models: ModelList) -> None:
        """Switch the bar to a provider and its first model (a local server found)."""
        bar = self._window.model_bar
        first = models.models[0].id if models.models else ""
        bar.set_selection(provider_id, first, None)
        bar.set_models(models, first)
        self.on_model_bar_provider_changed(provider_id)

    def save_conversation_settings(self, **fields: Any) -> None:
        """Queue the change (a failure to save is said through the history service)."""
        window = self._window
        if window.conversation_id is not None:
            window.history.change_conversation(window.conversation_id, **fields)

    def on_model_bar_provider_changed(self, provider_id: str) -> None:
        window = self._window
        window.prefs.last_provider = provider_id
        window.notices.withdraw(MODEL_LIST_TOPIC)
        window.model_lists.show(provider_id, None)
        self.save_conversation_settings(
            provider=provider_id, model=window.model_bar.current_model_id()
        )
        window.update_placeholder()
        window.update_send_state()

    def on_model_bar_model_changed(self, model: str) -> None:
        window = self._window
        window.prefs.last_model = model
        self.save_conversation_settings(model=model)
        info = window.model_bar.current_model_info()
        reads = model_reads_images(info and info.input_modalities)
        window.composer.set_model_reads_images(reads)
        window.update_send_state()

    def on_model_bar_temperature_changed(self, temperature: float | None) -> None:
        self.save_conversation_settings(temperature=temperature)

    def on_model_bar_refresh_requested(self) -> None:
        self._window.model_lists.refresh(self._window.model_bar.provider_id())

    def on_system_prompt_edited(self, text: str) -> None:
        self.save_conversation_settings(system_prompt=text)

    def on_model_lists_loaded(self, _provider_id: str, models: ModelList) -> None:
        bar = self._window.model_bar
        self.on_model_bar_model_changed(bar.current_model_id())
        self._window.statusBar().showMessage(bar.count_text(models), 4000)

    def on_model_lists_shown(self, _provider_id: str) -> None:
        """A list read from the cache (or the well-known ids) put a model in the bar after
        the switch: it is the conversation's model now, and Send may go."""
        self.on_model_bar_model_changed(self._window.model_bar.current_model_id())

    def on_model_lists_failed(self, _provider_id: str, error: ChatError) -> None:
        """Said in the notice bar, which wraps: the reason says what to do, in full. It is
        about this provider: switching to another withdraws it."""
        self._window.notices.show_error(
            self.tr("Could not load the model list: %1").replace("%1", describe_error(error)),
            topic=MODEL_LIST_TOPIC,
        )
