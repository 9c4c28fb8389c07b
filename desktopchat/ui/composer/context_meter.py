"""A quiet meter near the message box: how much of the model's context window the next
request will take. It says more only when it matters: past 80 % it turns to a warning and
offers the two ways out (leave out the oldest turns, or summarise and continue in a new
conversation); it says when the next message would not fit, and when the conversation no
longer fits at all (such a request is not sent: services/chat.py)."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from desktopchat.services.context import ContextEstimate
from desktopchat.ui.support.plain import PlainLabel


class ContextMeter(QWidget):
    leave_out_requested = Signal()
    summarise_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextMeter")
        self.setStyleSheet('QLabel[warning="true"] { color: #c2410c; }')
        self._bar = QProgressBar(self)
        self._bar.setObjectName("contextBar")
        self._bar.setAccessibleName(self.tr("Context used"))
        self._bar.setRange(0, 100)
        self._bar.setTextVisible(False)
        self._bar.setFixedHeight(4)
        self._bar.setMaximumWidth(120)
        self._label = PlainLabel(self)
        self._label.setObjectName("contextLabel")
        self._leave_out = QPushButton(self.tr("Leave out the oldest turns"), self)
        self._leave_out.setObjectName("leaveOutButton")
        self._leave_out.setToolTip(
            self.tr("They stay in the history, marked “not sent”, and are no longer sent")
        )
        self._summarise = QPushButton(self.tr("Summarise and continue"), self)
        self._summarise.setObjectName("summariseButton")
        self._summarise.setToolTip(
            self.tr("The same model summarises this conversation; a new one continues from it")
        )
        for button in (self._leave_out, self._summarise):
            button.setFlat(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 2, 12, 0)
        layout.setSpacing(8)
        layout.addWidget(self._bar)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._leave_out)
        layout.addWidget(self._summarise)
        self._leave_out.clicked.connect(self.leave_out_requested)
        self._summarise.clicked.connect(self.summarise_requested)
        self.show_estimate(None)

    def show_estimate(self, estimate: ContextEstimate | None, model: str = "") -> None:
        """Show an estimate for `model` (its name as shown); None or an unknown window
        hides the meter."""
        fraction = estimate.fraction if estimate is not None else None
        self.setVisible(fraction is not None)
        if estimate is None or fraction is None:
            return
        locale = QLocale()
        percent = min(100, round(fraction * 100))
        self._bar.setValue(percent)
        text = (
            self.tr("%1 of %2 tokens (estimate)")
            .replace("%1", locale.toString(estimate.tokens))
            .replace("%2", locale.toString(estimate.window))
        )
        if not estimate.sendable:
            text = (
                self.tr("This conversation (~%1 tokens) no longer fits %2's %3-token context.")
                .replace("%1", locale.toString(estimate.tokens))
                .replace("%3", locale.toString(estimate.window))
                .replace("%2", model or self.tr("the model"))  # last: a name is outside text
            )
        elif not estimate.fits:
            text = self.tr("The next message may not fit in the model's context: %1").replace(
                "%1", text
            )
        elif estimate.warn:
            text = (
                self.tr("%1 % of the model's context used: %2")
                .replace("%1", locale.toString(percent))
                .replace("%2", text)
            )
        self._label.setText(text)
        self._label.setProperty("warning", estimate.warn)
        self._label.style().unpolish(self._label)
        self._label.style().polish(self._label)
        self._leave_out.setVisible(estimate.warn)
        self._summarise.setVisible(estimate.warn)

    def set_busy(self, busy: bool) -> None:
        """While an action runs, its buttons wait."""
        self._leave_out.setEnabled(not busy)
        self._summarise.setEnabled(not busy)

    def text(self) -> str:
        return self._label.text()
