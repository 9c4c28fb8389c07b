"""The side panel of the conversation on screen: temperature (its real range for the
provider, a slider and a number), the longest answer, reasoning effort or thinking budget
where the model takes them, whether replies may use tools and web search, and the system
prompt. Changes apply to the next message.

It only shows and reports: `changed` carries Conversation fields (stored by the window
through HistoryService.change_conversation), `switches_changed` the tools and web search
switches (kept in the preferences per conversation), the system prompt editor its text.
The panel sits under the header and has a set width, so nothing in the header moves when
it opens or changes.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSignalBlocker, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.answer_allowance import REASONING_ROOM
from desktopchat.domain.presets import ProviderPreset
from desktopchat.domain.types import Conversation
from desktopchat.ui.models.system_prompt import SystemPromptEditor
from desktopchat.ui.support.plain import PlainLabel, plain_tooltip

PANEL_WIDTH = 290
PANEL_MIN_WIDTH = 210
"""At 640 px with the sidebar beside it, the panel gives way down to this; its width never
follows its content, so nothing in it moves the conversation."""
STEPS_PER_UNIT = 100
TEMPERATURE_STEP = 0.05
EFFORTS = (None, "low", "medium", "high")
THINKING_STEP = 1024
THINKING_MAX = 64_000
MAX_TOKENS_MAX = 1_000_000


class ConversationPanel(QFrame):
    changed = Signal(dict)  # Conversation fields → new values
    switches_changed = Signal(dict)  # {"tools": bool, "web_search": bool}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationPanel")
        self.setAccessibleName(self.tr("Conversation settings"))
        self.setMinimumWidth(PANEL_MIN_WIDTH)
        self.setMaximumWidth(PANEL_WIDTH)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._temperature: float | None = None
        self._maximum = 2.0
        self._setting = False

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("temperatureSlider")
        self.slider.setAccessibleName(self.tr("Temperature"))
        self.slider.setSingleStep(5)
        self.slider.setPageStep(10)
        self.number = QDoubleSpinBox(self)
        self.number.setObjectName("temperatureNumber")
        self.number.setAccessibleName(self.tr("Temperature"))
        self.number.setDecimals(2)
        self.number.setSingleStep(TEMPERATURE_STEP)
        self.number.setSpecialValueText(self.tr("Default"))
        self.reset = QToolButton(self)
        self.reset.setObjectName("temperatureReset")
        self.reset.setText("↺")
        self.reset.setAutoRaise(True)
        self.reset.setToolTip(self.tr("Use the provider's default temperature"))
        self.reset.setAccessibleName(self.tr("Default temperature"))
        temperature = QHBoxLayout()
        temperature.addWidget(self.slider, 1)
        temperature.addWidget(self.number)
        temperature.addWidget(self.reset)

        self.max_tokens = QSpinBox(self)
        self.max_tokens.setObjectName("maxTokens")
        self.max_tokens.setRange(0, MAX_TOKENS_MAX)
        self.max_tokens.setSingleStep(1024)
        self.max_tokens.setSuffix(self.tr(" tokens"))
        self.effort = QComboBox(self)
        self.effort.setObjectName("reasoningEffort")
        for label, value in zip(
            (self.tr("Default"), self.tr("Low"), self.tr("Medium"), self.tr("High")),
            EFFORTS,
            strict=True,
        ):
            self.effort.addItem(label, value)
        self.thinking = QSpinBox(self)
        self.thinking.setObjectName("thinkingBudget")
        self.thinking.setRange(0, THINKING_MAX)
        self.thinking.setSingleStep(THINKING_STEP)
        self.thinking.setSpecialValueText(self.tr("Off"))
        self.thinking.setSuffix(self.tr(" tokens"))
        self.tools = QCheckBox(self.tr("Tools"), self)
        self.tools.setObjectName("toolsSwitch")
        self.show_tools_unavailable("")
        self.web_search = QCheckBox(self.tr("Web search"), self)
        self.web_search.setObjectName("webSearchSwitch")
        self.web_search.setToolTip(self.tr("Let the model search the web where it can"))
        self.system_prompt = SystemPromptEditor(self)

        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self._form.addRow(self.tr("Temperature"), temperature)
        self._form.addRow(self.tr("Longest answer"), self.max_tokens)
        self._form.addRow(self.tr("Reasoning effort"), self.effort)
        self._form.addRow(self.tr("Thinking budget"), self.thinking)
        switches = QHBoxLayout()
        switches.addWidget(self.tools)
        switches.addWidget(self.web_search)
        switches.addStretch(1)
        self._form.addRow(switches)
        title = PlainLabel(self.tr("Conversation settings"), self)
        title.setObjectName("panelTitle")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(title)
        layout.addLayout(self._form)
        layout.addWidget(PlainLabel(self.tr("System prompt"), self))
        layout.addWidget(self.system_prompt, 1)
        note = PlainLabel(self.tr("Changes apply to the next message."), self)
        note.setWordWrap(True)
        note.setEnabled(False)
        layout.addWidget(note)

        self.slider.valueChanged.connect(self.on_slider_moved)
        self.number.valueChanged.connect(self.on_number_changed)
        self.reset.clicked.connect(self.on_reset_clicked)
        self.effort.currentIndexChanged.connect(self.on_effort_changed)
        self.thinking.editingFinished.connect(self.on_thinking_edited)
        self.max_tokens.editingFinished.connect(self.on_max_tokens_edited)
        self.tools.toggled.connect(self._report_switches)
        self.web_search.toggled.connect(self._report_switches)
        self.show_for(None, effort=False, thinking=False, default_max_tokens=4096)
        self.set_temperature_range(None, usable=True)

    def sizeHint(self) -> QSize:
        return QSize(PANEL_WIDTH, super().sizeHint().height())

    # What the window tells it.

    def temperature(self) -> float | None:
        return self._temperature

    def set_temperature(self, temperature: float | None) -> None:
        """Show a conversation's temperature (None: the provider's default); not reported."""
        self._temperature = temperature
        self._show_temperature()

    def set_temperature_range(self, preset: ProviderPreset | None, *, usable: bool) -> bool:
        """The provider's range (OpenAI 0–2, Anthropic 0–1…); a temperature above it is
        lowered to its maximum, so what is shown and what is sent agree. True when it was
        lowered (the window stores the new value)."""
        self._maximum = preset.temperature_max if preset else 2.0
        lowered = self._temperature is not None and self._temperature > self._maximum
        if lowered:
            self._temperature = self._maximum
        if usable:
            tip = (
                self.tr("Randomness of the answers. %1 takes 0–%2; lower is more focused.")
                .replace("%1", preset.name if preset else self.tr("The provider"))
                .replace("%2", f"{self._maximum:g}")
            )
        else:
            tip = self.tr("This model ignores the temperature: reasoning models use a fixed one.")
        for widget in (self.slider, self.number, self.reset):
            widget.setEnabled(usable)
            widget.setToolTip(plain_tooltip(tip))  # a custom endpoint's name is the person's
        self._show_temperature()
        return lowered

    def _show_temperature(self) -> None:
        self._setting = True
        try:
            with QSignalBlocker(self.slider), QSignalBlocker(self.number):
                self.slider.setRange(0, round(self._maximum * STEPS_PER_UNIT))
                self.number.setRange(-TEMPERATURE_STEP, self._maximum)
                shown = self._temperature
                self.slider.setValue(round((shown if shown is not None else 1.0) * STEPS_PER_UNIT))
                self.number.setValue(shown if shown is not None else -TEMPERATURE_STEP)
        finally:
            self._setting = False

    def show_for(
        self,
        conversation: Conversation | None,
        *,
        effort: bool,
        thinking: bool,
        default_max_tokens: int,
    ) -> None:
        """Show a conversation's options, only those its model takes (None: the new chat,
        whose options stay as the person set them until it is sent)."""
        self._setting = True
        try:
            self._form.setRowVisible(self.effort, effort)
            self._form.setRowVisible(self.thinking, thinking)
            self.max_tokens.setSpecialValueText(
                self.tr("Model default (%1)").replace("%1", str(default_max_tokens))
            )
            thinks = self.tr(
                "This model reasons before it answers: its default includes %1 tokens to think."
            )
            self.max_tokens.setToolTip(
                thinks.replace("%1", QLocale().toString(REASONING_ROOM)) if effort else ""
            )
            if conversation is not None:
                chosen = conversation.reasoning_effort
                self.effort.setCurrentIndex(max(0, self.effort.findData(chosen)))
                self.thinking.setValue(conversation.thinking_budget or 0)
                self.max_tokens.setValue(conversation.max_tokens or 0)
        finally:
            self._setting = False

    def clear_options(self) -> None:
        """A new chat: the service's defaults, not the last conversation's options."""
        self._setting = True
        try:
            self.effort.setCurrentIndex(0)
            self.thinking.setValue(0)
            self.max_tokens.setValue(0)
        finally:
            self._setting = False

    def generation_fields(self) -> dict:
        """The options set in the new chat, for its conversation once it is created."""
        fields = {
            "max_tokens": self.max_tokens.value() or None,
            "reasoning_effort": self.effort.currentData() if self.offers(self.effort) else None,
            "thinking_budget": (self.thinking.value() or None)
            if self.offers(self.thinking)
            else None,
        }
        return {k: v for k, v in fields.items() if v is not None}

    def show_switches(self, switches: dict[str, bool]) -> None:
        """Show a conversation's tools and web search switches; not reported."""
        with QSignalBlocker(self.tools), QSignalBlocker(self.web_search):
            self.tools.setChecked(switches.get("tools", True))
            self.web_search.setChecked(switches.get("web_search", False))

    def show_tools_unavailable(self, reason: str) -> None:
        """No tool server to use: the box is disabled and its tooltip says why."""
        self.tools.setEnabled(not reason)
        self.tools.setToolTip(
            reason or self.tr("Let the model call the tools of your tool servers")
        )

    def offers(self, option: QWidget) -> bool:
        """Whether the option (effort, thinking, max_tokens) is offered for this model."""
        return self._form.isRowVisible(option)

    # What the person changes.

    @Slot(int)
    def on_slider_moved(self, value: int) -> None:
        self._set(value / STEPS_PER_UNIT)

    @Slot(float)
    def on_number_changed(self, value: float) -> None:
        if not self._setting:
            self._set(None if value < 0 else round(value, 2))

    @Slot()
    def on_reset_clicked(self) -> None:
        self._set(None)

    def _set(self, temperature: float | None) -> None:
        self._temperature = temperature
        self._show_temperature()
        self.changed.emit({"temperature": temperature})

    @Slot(int)
    def on_effort_changed(self, _index: int) -> None:
        if not self._setting:
            self.changed.emit({"reasoning_effort": self.effort.currentData()})

    @Slot()
    def on_thinking_edited(self) -> None:
        value = self.thinking.value()
        if value and value < THINKING_STEP:
            self.thinking.setValue(THINKING_STEP)  # the smallest budget the API takes
        self.changed.emit({"thinking_budget": self.thinking.value() or None})

    @Slot()
    def on_max_tokens_edited(self) -> None:
        self.changed.emit({"max_tokens": self.max_tokens.value() or None})

    def switches(self) -> dict[str, bool]:
        return {"tools": self.tools.isChecked(), "web_search": self.web_search.isChecked()}

    @Slot()
    def _report_switches(self) -> None:
        self.switches_changed.emit(self.switches())
