"""The top bar: provider, model and temperature for the conversation on screen.

It only shows and reports choices; the main window decides what a choice changes (the
conversation's settings, the remembered defaults, a model-list refresh).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLocale, QRectF, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPalette, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.presets import ProviderPreset, accepts_temperature
from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import ModelList
from desktopchat.system.keys import KeyStore
from desktopchat.ui.support.plain import PlainLabel, plain_tooltip

SLIDER_STEPS_PER_UNIT = 100
PROVIDER_MIN_CHARS = 8
MODEL_MIN_CHARS = 12


class ModelBar(QWidget):
    provider_changed = Signal(str)
    model_changed = Signal(str)
    temperature_changed = Signal(object)  # float, or None for the provider's default
    refresh_requested = Signal()
    system_prompt_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._presets: dict[str, ProviderPreset] = {}
        self._temperature: float | None = None
        self._shown = ModelList()
        self._row_of: dict[str, int] = {}

        self.provider_combo = QComboBox(objectName="providerCombo")
        self.provider_combo.setAccessibleName(self.tr("Provider"))
        self.provider_combo.setToolTip(self.tr("The service that answers"))
        # A fixed minimum rather than "adjust to contents": the bar must fit a narrow window,
        # and its width must not jump when the style or the list changes.
        self.provider_combo.setMinimumContentsLength(PROVIDER_MIN_CHARS)
        self.provider_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )

        self.model_combo = QComboBox(objectName="modelCombo")
        self.model_combo.setAccessibleName(self.tr("Model"))
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setMinimumContentsLength(MODEL_MIN_CHARS)
        self.model_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.model_combo.lineEdit().setPlaceholderText(self.tr("Type or pick a model"))
        self._show_model_count(ModelList())
        completer = QCompleter(self.model_combo.model(), self.model_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        # Thousands of rows: one row height for all, not one measure per row.
        completer.popup().setUniformItemSizes(True)
        self.model_combo.view().setUniformItemSizes(True)
        self.model_combo.setCompleter(completer)

        self.refresh_button = QToolButton(objectName="refreshModelsButton")
        self.refresh_button.setText("⟳")
        self.refresh_button.setAccessibleName(self.tr("Refresh the model list"))
        self.refresh_button.setToolTip(self.tr("Refresh the model list"))

        self.temperature_label = PlainLabel(self.tr("Temperature"))
        self.temperature_slider = QSlider(Qt.Orientation.Horizontal, objectName="temperatureSlider")
        self.temperature_slider.setAccessibleName(self.tr("Temperature"))
        self.temperature_slider.setMinimumWidth(70)
        self.temperature_slider.setMaximumWidth(140)
        self.temperature_slider.setSingleStep(5)
        self.temperature_slider.setPageStep(10)
        self.temperature_label.setBuddy(self.temperature_slider)
        self.temperature_value = PlainLabel(objectName="temperatureValue")
        metrics = self.temperature_value.fontMetrics()
        widest = max(metrics.horizontalAdvance(t) for t in (self.tr("default"), "0.00"))
        self.temperature_value.setMinimumWidth(widest + 4)
        self.temperature_reset = QToolButton(objectName="temperatureReset")
        self.temperature_reset.setText("↺")
        self.temperature_reset.setToolTip(self.tr("Use the provider's default temperature"))
        self.temperature_reset.setAccessibleName(self.tr("Default temperature"))

        self.system_prompt_button = QToolButton(objectName="systemPromptButton")
        self.system_prompt_button.setText(self.tr("System prompt"))
        self.system_prompt_button.setCheckable(True)
        self.system_prompt_button.setToolTip(self.tr("Show the system prompt of this conversation"))

        # The temperature and the system prompt button follow the model on one row, or go
        # to a second row when the window is too narrow for one (it is usable at 640 px).
        self._tuning = QWidget(objectName="modelBarTuning")
        tuning = QHBoxLayout(self._tuning)
        tuning.setContentsMargins(0, 0, 0, 0)
        tuning.addWidget(self.temperature_label)
        tuning.addWidget(self.temperature_slider, 1)
        tuning.addWidget(self.temperature_value)
        tuning.addWidget(self.temperature_reset)
        tuning.addSpacing(8)
        tuning.addWidget(self.system_prompt_button)
        self._first_row = QHBoxLayout()
        self._first_row.addWidget(self.provider_combo)
        self._first_row.addWidget(self.model_combo, 1)
        self._first_row.addWidget(self.refresh_button)
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(8, 6, 8, 6)
        self._rows.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self._rows.addLayout(self._first_row)
        self._one_row = False
        self._place_tuning(one_row=True)

        self.provider_combo.currentIndexChanged.connect(self._on_provider_index_changed)
        self.model_combo.activated.connect(self._on_model_chosen)
        self.model_combo.lineEdit().editingFinished.connect(self._on_model_chosen)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.temperature_slider.valueChanged.connect(self._on_slider_moved)
        self.temperature_reset.clicked.connect(self._on_reset_clicked)
        self.system_prompt_button.toggled.connect(self.system_prompt_toggled)
        self._show_temperature()

    # Width.

    def _model_part_width(self) -> int:
        spacing = self._first_row.spacing()
        widgets = (self.provider_combo, self.model_combo, self.refresh_button)
        return sum(w.minimumSizeHint().width() + spacing for w in widgets)

    def minimumSizeHint(self) -> QSize:
        """As narrow as the wider of the two rows: the bar wraps rather than widening the
        window."""
        margins = self._rows.contentsMargins()
        width = max(self._model_part_width(), self._tuning.minimumSizeHint().width())
        height = super().minimumSizeHint().height()
        return QSize(width + margins.left() + margins.right(), height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        margins = self._rows.contentsMargins()
        room = event.size().width() - margins.left() - margins.right()
        needed = self._model_part_width() + 8 + self._tuning.minimumSizeHint().width()
        self._place_tuning(one_row=room >= needed)

    def _place_tuning(self, *, one_row: bool) -> None:
        if one_row == self._one_row:
            return
        self._one_row = one_row
        if one_row:
            self._rows.removeWidget(self._tuning)
            self._first_row.addSpacing(8)
            self._first_row.addWidget(self._tuning, 1)
        else:
            self._first_row.removeWidget(self._tuning)
            self._first_row.takeAt(self._first_row.count() - 1)  # the spacing before it
            self._rows.addWidget(self._tuning)

    # What the person chose.

    def provider_id(self) -> str:
        return self.provider_combo.currentData() or ""

    def model(self) -> str:
        return self.model_combo.currentText().strip()

    def temperature(self) -> float | None:
        return self._temperature

    def preset(self) -> ProviderPreset | None:
        return self._presets.get(self.provider_id())

    # What the window tells it.

    def set_presets(self, presets: Sequence[ProviderPreset], current: str | None) -> None:
        with QSignalBlocker(self.provider_combo):
            self.provider_combo.clear()
            self._presets = {p.id: p for p in presets}
            for preset in presets:
                self.provider_combo.addItem(preset.name, preset.id)
            index = self.provider_combo.findData(current) if current else -1
            self.provider_combo.setCurrentIndex(max(index, 0))
        self._apply_temperature_range()

    def set_models(self, models: ModelList, current: str | None) -> None:
        """Fill the list; a current model the service does not list is kept as typed.

        The labels go in as one batch (thousands of single insertions would each tell the
        view and the completer); ids stay here, looked up by row. The same list again only
        selects `current`.
        """
        with QSignalBlocker(self.model_combo):
            typed = current if current is not None else self.model()
            if models is not self._shown:
                self._shown = models
                self._fill(models)
            self._select_model(typed)
        self._apply_temperature_range()

    def _fill(self, models: ModelList) -> None:
        self._row_of = {info.id: row for row, info in enumerate(models.models)}
        self.model_combo.clear()
        self.model_combo.addItems([info.label for info in models.models])
        for row, info in enumerate(models.models):
            if info.name and info.name != info.id:
                self.model_combo.setItemData(
                    row, plain_tooltip(info.id), Qt.ItemDataRole.ToolTipRole
                )
        self._show_model_count(models)

    def _show_model_count(self, models: ModelList) -> None:
        """Say in the model box's tooltip when the service listed more than is shown."""
        hint = self.tr("Pick a model from the list, or type any model id")
        if models.capped:
            hint += "\n" + self.count_text(models)
        self.model_combo.setToolTip(hint)

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

    async def mark_keys(self, keys: KeyStore) -> None:
        """Mark in the provider list which providers are ready: a filled dot for a key
        saved (or a local server, which needs none), a hollow one for no key yet. Asked
        off the loop (keychain calls can block)."""
        for preset in list(self._presets.values()):
            if preset.local:
                ready, tip = True, self.tr("%1 runs on this computer: no key needed")
            elif not preset.needs_key or await keys.ahas(preset.id, preset.env_var):
                ready, tip = True, self.tr("%1: a key is saved")
            else:
                ready, tip = False, self.tr("%1: no key yet (add one in Settings)")
            row = self.provider_combo.findData(preset.id)
            if row >= 0:
                self.provider_combo.setItemIcon(row, _dot(self.palette(), filled=ready))
                self.provider_combo.setItemData(
                    row, plain_tooltip(tip.replace("%1", preset.name)), Qt.ItemDataRole.ToolTipRole
                )

    def set_selection(
        self, provider_id: str | None, model: str | None, temperature: float | None
    ) -> None:
        """Show a conversation's settings without reporting them back as changes."""
        with QSignalBlocker(self.provider_combo):
            index = self.provider_combo.findData(provider_id) if provider_id else -1
            if index >= 0:
                self.provider_combo.setCurrentIndex(index)
        with QSignalBlocker(self.model_combo):
            self._select_model(model or "")
        self._temperature = temperature
        self._apply_temperature_range()

    def mark_system_prompt(self, present: bool) -> None:
        """Say on the button whether the conversation has a system prompt (the panel may
        be closed)."""
        button = self.system_prompt_button
        button.setText(self.tr("System prompt ●") if present else self.tr("System prompt"))
        button.setToolTip(
            self.tr("This conversation has a system prompt: show it")
            if present
            else self.tr("Show the system prompt of this conversation")
        )

    def set_refreshing(self, refreshing: bool) -> None:
        self.refresh_button.setEnabled(not refreshing)
        self.refresh_button.setToolTip(
            self.tr("Loading the model list…") if refreshing else self.tr("Refresh the model list")
        )

    def _select_model(self, model: str) -> None:
        row = self._row_of.get(model, -1)
        if row >= 0:
            self.model_combo.setCurrentIndex(row)
        else:
            self.model_combo.setCurrentIndex(-1)
            self.model_combo.setEditText(model)

    def missing_choice(self) -> str | None:
        """Why nothing can be sent yet (no provider, no model), or None."""
        if not self.provider_id():
            return self.tr("Pick a provider first")
        if not self.current_model_id():
            return self.tr("Pick or type a model first")
        return None

    def current_model_info(self) -> ModelInfo | None:
        """What the service listed about the chosen model; None for a typed id."""
        row = self.model_combo.findText(self.model_combo.currentText())
        shown = self._shown.models
        return shown[row] if 0 <= row < len(shown) else None

    def current_model_id(self) -> str:
        """The id behind the shown label (labels can be friendly names)."""
        row = self.model_combo.findText(self.model_combo.currentText())
        shown = self._shown.models
        return shown[row].id if 0 <= row < len(shown) else self.model()

    # Reactions.

    def _on_provider_index_changed(self, _index: int) -> None:
        before = self._temperature
        self._apply_temperature_range()
        self.provider_changed.emit(self.provider_id())
        if self._temperature != before:  # lowered to the new provider's maximum
            self.temperature_changed.emit(self._temperature)

    def _on_model_chosen(self, *_args) -> None:
        self._apply_temperature_range()
        self.model_changed.emit(self.current_model_id())

    def _on_slider_moved(self, value: int) -> None:
        self._temperature = value / SLIDER_STEPS_PER_UNIT
        self._show_temperature()
        self.temperature_changed.emit(self._temperature)

    def _on_reset_clicked(self) -> None:
        self._temperature = None
        self._apply_temperature_range()
        self.temperature_changed.emit(None)

    def _apply_temperature_range(self) -> None:
        """The slider's range is the provider's; a temperature above it is lowered to its
        maximum, so the number shown, the slider and what is sent always agree."""
        preset = self.preset()
        maximum = preset.temperature_max if preset else 2.0
        if self._temperature is not None and self._temperature > maximum:
            self._temperature = maximum
        with QSignalBlocker(self.temperature_slider):
            self.temperature_slider.setRange(0, round(maximum * SLIDER_STEPS_PER_UNIT))
            shown = self._temperature if self._temperature is not None else min(1.0, maximum)
            self.temperature_slider.setValue(round(shown * SLIDER_STEPS_PER_UNIT))
        usable = preset is None or accepts_temperature(preset, self.current_model_id())
        for widget in (self.temperature_slider, self.temperature_reset, self.temperature_value):
            widget.setEnabled(usable)
        if usable:
            self.temperature_slider.setToolTip(
                self.tr("Randomness of the answers. %1 takes 0–%2; lower is more focused.")
                .replace("%1", preset.name if preset else self.tr("The provider"))
                .replace("%2", f"{maximum:g}")
            )
        else:
            self.temperature_slider.setToolTip(
                self.tr("This model ignores the temperature: reasoning models use a fixed one.")
            )
        for widget in (self.temperature_label, self.temperature_value):
            widget.setToolTip(self.temperature_slider.toolTip())
        self._show_temperature()

    def _show_temperature(self) -> None:
        if self._temperature is None:
            self.temperature_value.setText(self.tr("default"))
        else:
            self.temperature_value.setText(f"{self._temperature:.2f}")


def _dot(palette: QPalette, *, filled: bool) -> QIcon:
    """A small round mark in the palette's highlight colour: filled or hollow."""
    size = 10
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = palette.color(QPalette.ColorRole.Highlight)
    painter.setPen(QPen(colour, 1.5))
    painter.setBrush(colour if filled else Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3))
    painter.end()
    return QIcon(pixmap)
