"""One column of a comparison: which model, its reply as it streams, Stop, what it cost in
tokens and time, and "Continue with this".

The reply is drawn by the same ChatView as the conversation (inert Markdown, code blocks,
throttled repaints), so a model's answer looks the same here as in the chat. The column
only shows what it is told; the dialog runs the streams.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Message
from desktopchat.services.context import ContextEstimate
from desktopchat.ui.support.plain import PlainLabel
from desktopchat.ui.support.units import duration
from desktopchat.ui.transcript.chat_view import ChatView


class CompareColumn(QWidget):
    """A model's reply in a comparison."""

    stop_requested = Signal()
    chosen = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareColumn")
        self.label = label
        self.reply: Message | None = None
        self.heading = PlainLabel(label, self)
        self.heading.setObjectName("compareHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.view = ChatView(self, copy_only=True)
        self.view.setAccessibleName(self.tr("Reply from %1").replace("%1", label))
        self.status = PlainLabel(self.tr("Waiting for the first words…"), self)
        self.status.setObjectName("compareStatus")
        self.status.setWordWrap(True)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("compareStop")
        self.stop_button.clicked.connect(self.stop_requested)
        self.choose_button = QPushButton(self.tr("Continue with this"), self)
        self.choose_button.setObjectName("compareChoose")
        self.choose_button.setEnabled(False)
        self.choose_button.clicked.connect(self.chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def begin(self, reply: Message) -> None:
        self.reply = reply
        self.view.begin_reply(reply)

    def append(self, text: str) -> None:
        if self.reply is not None:
            self.view.append_delta(self.reply.id, text)

    def finish(self, reply: Message) -> None:
        self.reply = reply
        self.view.finish_reply(reply)
        self._ended(self._summary(reply))

    def fail(self, reply: Message, error: ChatError) -> None:
        self.reply = reply
        self.view.fail_reply(reply, error)
        self._ended(self.tr("Failed: see the reply."))

    def refuse(self, estimate: ContextEstimate) -> None:
        """Not asked: the conversation cannot fit this model's window (the others go on;
        a small model cannot be judged on a question it never saw whole)."""
        locale = QLocale()
        self._ended(
            self.tr(
                "Not sent: the conversation (~%1 tokens) does not fit this model's %2-token "
                "context. Leave out the oldest turns or summarise and continue in the "
                "conversation, or compare with a larger model."
            )
            .replace("%1", locale.toString(estimate.tokens))
            .replace("%2", locale.toString(estimate.window or 0))
        )

    def stopped(self) -> None:
        """The stream was stopped before it ended (the dialog closes it)."""
        self._ended(self.tr("Stopped."))

    def is_running(self) -> bool:
        return self.stop_button.isEnabled()

    def _ended(self, status: str) -> None:
        self.status.setText(status)
        self.stop_button.setEnabled(False)
        self.choose_button.setEnabled(self.reply is not None)

    def _summary(self, reply: Message) -> str:
        """Tokens and time, where the service said them; "≈" where the app estimated the
        tokens (the server reported none)."""
        parts = []
        usage = reply.usage
        locale = QLocale()
        about = "≈" if usage is not None and usage.estimated else ""
        if usage is not None and usage.input_tokens is not None:
            counted = about + locale.toString(usage.input_tokens)
            parts.append(self.tr("%1 tokens in").replace("%1", counted))
        if usage is not None and usage.output_tokens is not None:
            counted = about + locale.toString(usage.output_tokens)
            parts.append(self.tr("%1 tokens out").replace("%1", counted))
        if reply.duration:
            parts.append(duration(reply.duration))
        return " · ".join(parts) if parts else self.tr("Done.")
