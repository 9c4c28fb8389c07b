"""The per-conversation generation options, in a small popover beside the model picker:
reasoning effort and thinking budget where the model takes them, and the longest answer.

What the model takes is decided in domain/model_catalog.py; this only shows it and says
what changed, as the fields of Conversation it changes (stored by the window through
HistoryService.change_conversation).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QMenu,
    QSpinBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from desktopchat.domain.types import Conversation

EFFORTS = (None, "low", "medium", "high")
THINKING_STEP = 1024
THINKING_MAX = 64_000
MAX_TOKENS_MAX = 1_000_000


class GenerationOptions(QToolButton):
    changed = Signal(dict)  # Conversation fields → new values

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generationOptions")
        self.setText(self.tr("Options"))
        self.setToolTip(self.tr("Reasoning and answer length for this conversation"))
        self.setAccessibleName(self.tr("Generation options"))
        self._setting = False
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.effort = QComboBox(form_widget)
        self.effort.setObjectName("reasoningEffort")
        for label, value in zip(
            (self.tr("Default"), self.tr("Low"), self.tr("Medium"), self.tr("High")),
            EFFORTS,
            strict=True,
        ):
            self.effort.addItem(label, value)
        self.thinking = QSpinBox(form_widget)
        self.thinking.setObjectName("thinkingBudget")
        self.thinking.setRange(0, THINKING_MAX)
        self.thinking.setSingleStep(THINKING_STEP)
        self.thinking.setSpecialValueText(self.tr("Off"))
        self.thinking.setSuffix(self.tr(" tokens"))
        self.max_tokens = QSpinBox(form_widget)
        self.max_tokens.setObjectName("maxTokens")
        self.max_tokens.setRange(0, MAX_TOKENS_MAX)
        self.max_tokens.setSingleStep(1024)
        self.max_tokens.setSuffix(self.tr(" tokens"))
        form.addRow(self.tr("Reasoning effort"), self.effort)
        form.addRow(self.tr("Thinking budget"), self.thinking)
        form.addRow(self.tr("Longest answer"), self.max_tokens)
        self._form = form
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(form_widget)
        menu.addAction(action)
        self.setMenu(menu)
        self.effort.currentIndexChanged.connect(self.on_effort_changed)
        self.thinking.editingFinished.connect(self.on_thinking_edited)
        self.max_tokens.editingFinished.connect(self.on_max_tokens_edited)
        self.show_for(None, effort=False, thinking=False, default_max_tokens=4096)

    def show_for(
        self,
        conversation: Conversation | None,
        *,
        effort: bool,
        thinking: bool,
        default_max_tokens: int,
    ) -> None:
        """Show a conversation's options, only those its model takes."""
        self._setting = True
        try:
            self._form.setRowVisible(self.effort, effort)
            self._form.setRowVisible(self.thinking, thinking)
            chosen = conversation.reasoning_effort if conversation else None
            self.effort.setCurrentIndex(max(0, self.effort.findData(chosen)))
            self.thinking.setValue((conversation.thinking_budget or 0) if conversation else 0)
            self.max_tokens.setSpecialValueText(
                self.tr("Model default (%1)").replace("%1", str(default_max_tokens))
            )
            self.max_tokens.setValue((conversation.max_tokens or 0) if conversation else 0)
        finally:
            self._setting = False

    def offers(self, option: QWidget) -> bool:
        """Whether the option (effort, thinking, max_tokens) is offered for this model."""
        return self._form.isRowVisible(option)

    def on_effort_changed(self, _index: int) -> None:
        if not self._setting:
            self.changed.emit({"reasoning_effort": self.effort.currentData()})

    def on_thinking_edited(self) -> None:
        value = self.thinking.value()
        if value and value < THINKING_STEP:
            self.thinking.setValue(THINKING_STEP)  # the smallest budget the API takes
        self.changed.emit({"thinking_budget": self.thinking.value() or None})

    def on_max_tokens_edited(self) -> None:
        self.changed.emit({"max_tokens": self.max_tokens.value() or None})
