"""The model picker: one button in the header, "LM Studio · smollm2-135m ▾", that opens a
searchable popup over every provider's models (ui/models/picker_popup.py).

It holds the choice (provider and model) and what it knows of each provider's list; it
only reports what the person did. The window decides what a choice changes
(ui/models/choice.py) and loads the lists (ui/models/lists.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from desktopchat.domain.presets import ProviderPreset
from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import ModelList
from desktopchat.system.keys import KeyStore
from desktopchat.ui.models.picker_popup import PickerPopup
from desktopchat.ui.models.picker_rows import (
    MAX_RECENT,
    Key,
    ModelFacts,
    ProviderState,
    Row,
    RowCache,
    RowKind,
    build_rows,
    remember,
)
from desktopchat.ui.support.plain import plain_tooltip

MAX_FAVOURITES = 50
BUTTON_MAX_WIDTH = 380
BUTTON_MIN_WIDTH = 110


class Remembered(Protocol):
    """Where favourites and recent models are kept between runs (the preferences)."""

    favourite_models: list[list[str]]
    recent_models: list[list[str]]


class ModelPicker(QToolButton):
    chosen = Signal(str, str)
    """Provider id, model id: the person picked a model (of this or another provider)."""
    opened = Signal()
    """The popup opened: the lists and the keys are looked at then."""
    refresh_requested = Signal()
    add_key_requested = Signal(str)
    retry_requested = Signal(str)

    def __init__(
        self,
        remembered: Remembered,
        saved: Callable[[], None],
        figures: Callable[[str, str], ModelFacts | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelPicker")
        self.setAccessibleName(self.tr("Model"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._remembered, self._saved, self._figures = remembered, saved, figures
        self._states: dict[str, ProviderState] = {}
        self._provider = ""
        self._model = ""
        self._full_text = ""
        self._rows_cache = RowCache()
        self.popup = PickerPopup(self)
        self.popup.filter_changed.connect(self._fill)
        self.popup.activated.connect(self.on_popup_activated)
        self.popup.favourite_toggled.connect(self.on_popup_favourite_toggled)
        self.popup.refresh_requested.connect(self.refresh_requested)
        self.clicked.connect(self.open_popup)
        self._show_choice()

    # What the person chose.

    def provider_id(self) -> str:
        return self._provider

    def current_model_id(self) -> str:
        return self._model

    def preset(self) -> ProviderPreset | None:
        state = self._states.get(self._provider)
        return state.preset if state else None

    def models(self, provider_id: str | None = None) -> ModelList:
        state = self._states.get(provider_id or self._provider)
        return state.models if state and state.models else ModelList()

    def current_model_info(self) -> ModelInfo | None:
        """What the service listed about the chosen model; None for a typed id."""
        return next((m for m in self.models().models if m.id == self._model), None)

    def missing_choice(self) -> str | None:
        """Why nothing can be sent yet (no provider, no model), or None."""
        if not self._provider:
            return self.tr("Pick a provider first")
        if not self._model:
            return self.tr("Pick or type a model first")
        return None

    def count_text(self, models: ModelList) -> str:
        """How many models there are, and when the service listed more than are kept,
        "Showing the first N of M models"."""
        if models.capped:
            return (
                self.tr("Showing the first %1 of %2 models")
                .replace("%1", QLocale().toString(len(models.models)))
                .replace("%2", QLocale().toString(models.total))
            )
        count = len(models.models)
        if count == 1:
            return self.tr("1 model available")
        return self.tr("%n models available", "", count)

    # What the window tells it.

    def set_presets(self, presets: Sequence[ProviderPreset], current: str | None) -> None:
        old = self._states
        self._states = {
            p.id: ProviderState(p, old[p.id].models, old[p.id].error, old[p.id].keyed)
            if p.id in old
            else ProviderState(p)
            for p in presets
        }
        if current not in self._states:
            current = presets[0].id if presets else ""
        if current != self._provider:
            self._provider, self._model = current or "", ""
        self._changed()

    def set_models(self, models: ModelList, current: str | None) -> None:
        """The current provider's list; a current model it does not list is kept as typed."""
        self.set_provider_list(self._provider, models)
        if current is not None:
            self._model = current
        self._show_choice()

    def set_provider_list(
        self, provider_id: str, models: ModelList | None, error: str = ""
    ) -> None:
        """A provider's list arrived (None: loading), or it failed with `error`."""
        state = self._states.get(provider_id)
        if state is None:
            return
        if models is not None and models is not state.models:
            self._rows_cache.forget(provider_id)
        state.loading = models is None
        if models is not None or state.models is None:
            state.models = models
        state.error = error
        self._changed()

    def set_selection(self, provider_id: str | None, model: str | None) -> None:
        """Show a conversation's choice without reporting it back as a change."""
        if provider_id in self._states:
            self._provider = provider_id or ""
        self._model = model or ""
        self._show_choice()

    def set_refreshing(self, refreshing: bool) -> None:
        self.popup.refresh_button.setEnabled(not refreshing)

    async def mark_keys(self, keys: KeyStore) -> None:
        """Learn which providers have no key yet (their rows say "add key"). Asked off the
        loop (keychain calls can block), and only when the popup opens or a key changed."""
        for state in list(self._states.values()):
            preset = state.preset
            state.keyed = (
                preset.local or not preset.needs_key or await keys.ahas(preset.id, preset.env_var)
            )
        self._changed()

    # The button and the popup.

    def _show_choice(self) -> None:
        preset = self.preset()
        model = self._model or self.tr("pick a model")
        self._full_text = f"{preset.name if preset else '…'} · {model} ▾"
        self.setToolTip(  # a model id is outside text: never rich text
            plain_tooltip(
                self.tr("Model: %1 (%2). Click to pick another.")
                .replace("%1", preset.name if preset else "")
                .replace("%2", self._model)
            )
        )
        self._elide()
        self.updateGeometry()
        self._changed()

    def _elide(self) -> None:
        room = self.width() - 16
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._full_text, Qt.TextElideMode.ElideMiddle, room))

    def sizeHint(self) -> QSize:
        """As wide as the full text up to BUTTON_MAX_WIDTH; the text is cut in the middle
        when the header gives less (the height never changes)."""
        base = super().sizeHint()
        wanted = self.fontMetrics().horizontalAdvance(self._full_text) + 20
        return QSize(max(BUTTON_MIN_WIDTH, min(BUTTON_MAX_WIDTH, wanted)), base.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(BUTTON_MIN_WIDTH, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def open_popup(self) -> None:
        """Open the popup under the button, the search field empty and focused."""
        self.opened.emit()
        popup = self.popup
        popup.search.clear()
        below = self.mapToGlobal(self.rect().bottomRight())
        screen = self.screen().availableGeometry()
        x = max(screen.left(), below.x() - popup.width())  # right edges aligned
        popup.move(x, below.y() + 2)
        popup.show()
        self._fill()  # shown first: the chosen row is scrolled to in a laid-out list
        popup.search.setFocus(Qt.FocusReason.PopupFocusReason)

    def _changed(self) -> None:
        if self.popup.isVisible():
            self._fill()

    def _keys(self, name: str) -> list[Key]:
        kept = getattr(self._remembered, name)
        return [(p, m) for p, m in kept if p in self._states]

    def _fill(self, *_args: object) -> None:
        rows = build_rows(
            list(self._states.values()),
            self._keys("favourite_models"),
            self._keys("recent_models"),
            self.popup.search.text(),
            self._provider,
            self._figures,
            self._rows_cache,
        )
        self.popup.set_rows(rows, (self._provider, self._model))

    def on_popup_activated(self, row: Row) -> None:
        if row.kind is RowKind.ADD_KEY:
            self.popup.close()
            self.add_key_requested.emit(row.provider_id)
        elif row.kind is RowKind.FAILED:
            self.retry_requested.emit(row.provider_id)
        elif row.model is not None:
            self.popup.close()
            self.choose(row.provider_id, row.model.id)

    def choose(self, provider_id: str, model: str) -> None:
        """Pick a model as the person would (it becomes the most recent one)."""
        recent = remember(self._keys("recent_models"), (provider_id, model), MAX_RECENT)
        self._remembered.recent_models = [list(k) for k in recent]
        self._saved()
        self._provider, self._model = provider_id, model
        self._show_choice()
        self.chosen.emit(provider_id, model)

    def on_popup_favourite_toggled(self, row: Row) -> None:
        if row.model is None:
            return
        key = (row.provider_id, row.model.id)
        favourites = self._keys("favourite_models")
        if key in favourites:
            favourites.remove(key)
        else:
            favourites = remember(favourites, key, MAX_FAVOURITES)
        self._remembered.favourite_models = [list(k) for k in favourites]
        self._saved()
        self._fill()
