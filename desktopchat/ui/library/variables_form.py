"""The small form that fills a prompt's `{{variables}}` before its text goes to the message
box: one field per variable (several lines where a passage is expected), last time's values
filled in, the built-ins shown as they will be, and a preview of the text.

Opened with open() (never exec'd); `filled` carries the text and the values typed, and the
caller puts the text into the composer, where the person can still change it before sending.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.prompt_template import fields_to_ask, fill, wants_long_text
from desktopchat.domain.prompts import Prompt
from desktopchat.ui.library.built_ins import CLIPBOARD_LIMIT, BuiltIns
from desktopchat.ui.support.plain import PlainLabel

PREVIEW_LIMIT = 20_000
"""Characters of the filled text shown in the preview (the whole text is inserted)."""
SHOWN_BUILT_IN = 80
"""Characters of a built-in's value shown beside its name."""


class VariablesForm(QDialog):
    filled = Signal(str, dict)
    """(the prompt's text with every value in, the values typed for its own fields)"""

    def __init__(self, prompt: Prompt, built_ins: BuiltIns, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("variablesForm")
        self.setWindowTitle(self.tr("Fill in “%1”").replace("%1", prompt.name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._prompt = prompt
        self._built_ins = built_ins
        self._fields: dict[str, QLineEdit | QPlainTextEdit] = {}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in fields_to_ask(prompt.body):
            remembered = prompt.values.get(name, "")
            field: QLineEdit | QPlainTextEdit
            if wants_long_text(name, remembered):
                field = QPlainTextEdit(remembered, self)
                field.setTabChangesFocus(True)
                field.setFixedHeight(field.fontMetrics().lineSpacing() * 5 + 12)
                field.textChanged.connect(self._schedule_preview)
            else:
                field = QLineEdit(remembered, self)
                field.textChanged.connect(self._schedule_preview)
            field.setObjectName(f"variable:{name}")
            field.setAccessibleName(name)
            self._fields[name] = field
            form.addRow(PlainLabel(name, self), field)
        for name, value in built_ins.values.items():
            shown = " ".join(value.split())
            shown = shown if len(shown) <= SHOWN_BUILT_IN else shown[:SHOWN_BUILT_IN] + "…"
            if name in built_ins.cut:
                shown += " " + self.tr("(cut to %1 characters)").replace(
                    "%1", self.locale().toString(CLIPBOARD_LIMIT)
                )
            form.addRow(PlainLabel(name, self), self._built_in_label(shown))
        for name in built_ins.empty:
            why = (
                self.tr("nothing is selected in the conversation: left as typed")
                if name == "selection"
                else self.tr("the clipboard holds no text: left as typed")
            )
            form.addRow(PlainLabel(name, self), self._built_in_label(why))
        fields = QWidget(self)
        fields.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizeAdjustPolicy(QScrollArea.SizeAdjustPolicy.AdjustToContents)
        scroll.setWidget(fields)

        self._preview = QPlainTextEdit(self)

        self._preview.setObjectName("variablesPreview")
        self._preview.setReadOnly(True)
        self._preview.setAccessibleName(self.tr("Preview"))
        self._preview.setTabChangesFocus(True)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(150)
        self._preview_timer.timeout.connect(self._show_preview)

        buttons = QDialogButtonBox(self)
        insert = buttons.addButton(self.tr("&Insert"), QDialogButtonBox.ButtonRole.AcceptRole)
        insert.setObjectName("insertPrompt")
        insert.setDefault(True)
        insert.setToolTip(self.tr("Put the text in the message box (Ctrl+Enter)"))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(PlainLabel(self.tr("Preview"), self))
        layout.addWidget(self._preview, 1)
        layout.addWidget(buttons)
        self.resize(520, 420)
        self._show_preview()
        if self._fields:
            next(iter(self._fields.values())).setFocus()

    def _built_in_label(self, text: str) -> PlainLabel:
        """A built-in's value, read only: wrapped, in the palette's quieter colour."""
        label = PlainLabel(text, self)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    def values(self) -> dict[str, str]:
        return {
            name: field.text() if isinstance(field, QLineEdit) else field.toPlainText()
            for name, field in self._fields.items()
        }

    def text(self) -> str:
        return fill(self._prompt.body, {**self.values(), **self._built_ins.values})

    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def _show_preview(self) -> None:
        text = self.text()
        if len(text) > PREVIEW_LIMIT:
            text = text[:PREVIEW_LIMIT] + "\n…"
        self._preview.setPlainText(text)

    def accept(self) -> None:
        self.filled.emit(self.text(), self.values())
        super().accept()
