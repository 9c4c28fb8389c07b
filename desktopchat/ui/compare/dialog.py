"""Compare models: one question, 2–4 models from any providers, answers side by side.

The person picks the models (a local server and a cloud service mixed is fine), sends, and
watches every reply stream at once in its own column, each with its own Stop and its own
error: one failing never stops the others (each stream is its own task). Every reply is
stored as a sibling of the others under the one question (DESIGN.md §3), so nothing is
lost whichever is picked; "Continue with this" makes that branch the conversation's and its
model the conversation's model. The dialog is not modal: the main window stays usable.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktopchat.services.chat import ChatService
from desktopchat.services.chat_events import (
    ChatEvent,
    CompareRefused,
    ReplyDelta,
    ReplyFailed,
    ReplyFinished,
    ReplyStarted,
    ResendRefused,
)
from desktopchat.services.history import ConversationGone, HistoryService, StorageError
from desktopchat.services.registry import ProviderRegistry
from desktopchat.ui.compare.column import CompareColumn
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel

MIN_MODELS = 2
MAX_MODELS = 4


class TargetPicker(QWidget):
    """A provider and one of its models (the list is filled off the loop; any id can be
    typed)."""

    removed = Signal()

    def __init__(
        self, registry: ProviderRegistry, tasks: Tasks, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._registry = registry
        self._owner = tasks
        self.provider = QComboBox(self)
        self.provider.setAccessibleName(self.tr("Provider"))
        for preset in registry.presets():
            self.provider.addItem(preset.name, preset.id)
        self.model = QComboBox(self)
        self.model.setEditable(True)
        self.model.setAccessibleName(self.tr("Model"))
        self.model.setMinimumContentsLength(18)
        self.remove = QPushButton(self.tr("Remove"), self)
        self.remove.clicked.connect(self.removed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.provider)
        layout.addWidget(self.model, 1)
        layout.addWidget(self.remove)
        self.provider.currentIndexChanged.connect(lambda _index: self._fill_models(""))

    def choose(self, provider_id: str, model: str) -> None:
        index = self.provider.findData(provider_id)
        if index >= 0:
            self.provider.setCurrentIndex(index)
        self._fill_models(model)

    def target(self) -> tuple[str, str] | None:
        model = self.model.currentText().strip()
        provider_id = self.provider.currentData()
        return (provider_id, model) if provider_id and model else None

    def label(self) -> str:
        return f"{self.provider.currentText()} · {self.model.currentText().strip()}"

    def _fill_models(self, wanted: str) -> None:
        self.model.clear()
        self.model.setEditText(wanted)
        self._owner.spawn(self._load_models(self.provider.currentData(), wanted))

    async def _load_models(self, provider_id: str, wanted: str) -> None:
        models = await self._registry.cached_models(provider_id)
        if self.provider.currentData() != provider_id or not models.models:
            return
        typed = self.model.currentText()
        self.model.clear()
        self.model.addItems([m.id for m in models.models])
        self.model.setEditText(typed or wanted or models.models[0].id)


class CompareDialog(QDialog):
    """Send one question to several models and keep the answer the person prefers."""

    continued = Signal(object)  # conversation id: show it, on the branch picked

    def __init__(
        self,
        chat: ChatService,
        history: HistoryService,
        registry: ProviderRegistry,
        conversation: Callable[[str, str], Awaitable[int | None]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle(self.tr("Compare models"))
        self.setModal(False)
        self._chat = chat
        self._history = history
        self._registry = registry
        self._conversation = conversation
        self._conversation_id: int | None = None
        self.chose = False
        self._tasks: dict[CompareColumn, asyncio.Task] = {}
        self.tasks = Tasks()
        """Its streams and reads: they end when it closes (the window adopts it)."""
        self.finished.connect(self._on_finished)
        self.question = QPlainTextEdit(self)
        self.question.setAccessibleName(self.tr("Question"))
        self.question.setPlaceholderText(self.tr("Ask every model the same question…"))
        self.question.setMaximumHeight(90)
        self.question.setTabChangesFocus(True)  # Tab goes on to the models
        self._pickers: list[TargetPicker] = []
        self._picker_box = QVBoxLayout()
        self.add_button = QPushButton(self.tr("Add a model"), self)
        self.add_button.clicked.connect(lambda: self.add_target("", ""))
        self.send_button = QPushButton(self.tr("Send to all"), self)
        self.send_button.setDefault(True)
        self.send_button.setToolTip(self.tr("Send to every model (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.send)
        self.problem = PlainLabel("", self)
        self.problem.setObjectName("compareProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addStretch(1)
        actions.addWidget(self.send_button)
        self.columns = QSplitter(Qt.Orientation.Horizontal, self)
        self.columns.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel(self.tr("Question"), self))
        layout.addWidget(self.question)
        layout.addWidget(PlainLabel(self.tr("Models (2 to 4, from any providers)"), self))
        layout.addLayout(self._picker_box)
        layout.addLayout(actions)
        layout.addWidget(self.problem)
        layout.addWidget(self.columns, 1)
        self.resize(1100, 720)

    @property
    def conversation_id(self) -> int | None:
        """The conversation the question went to, once sent."""
        return self._conversation_id

    # Setting up.

    def add_target(self, provider_id: str, model: str) -> TargetPicker | None:
        if len(self._pickers) >= MAX_MODELS:
            return None
        picker = TargetPicker(self._registry, self.tasks, self)
        if provider_id:
            picker.choose(provider_id, model)
        else:
            picker.choose(picker.provider.currentData(), "")
        picker.removed.connect(lambda: self._remove_target(picker))
        self._pickers.append(picker)
        self._picker_box.addWidget(picker)
        self._update_buttons()
        return picker

    def _remove_target(self, picker: TargetPicker) -> None:
        if len(self._pickers) > MIN_MODELS:
            self._pickers.remove(picker)
            picker.deleteLater()
            self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(len(self._pickers) < MAX_MODELS)
        for picker in self._pickers:
            picker.remove.setEnabled(len(self._pickers) > MIN_MODELS)

    # Running.

    def send(self) -> None:
        text = self.question.toPlainText().strip()
        targets = [picker.target() for picker in self._pickers]
        if not text:
            self._say(self.tr("Write the question first."))
            return
        if any(target is None for target in targets) or len(targets) < MIN_MODELS:
            self._say(self.tr("Pick a provider and a model in every row (at least two)."))
            return
        if self._tasks:
            self._say(self.tr("Wait for the replies to finish, or stop them."))
            return
        self.problem.hide()
        labels = [picker.label() for picker in self._pickers]
        self.tasks.spawn(self._start(text, [t for t in targets if t is not None], labels))

    async def _start(self, text: str, targets: list[tuple[str, str]], labels: list[str]) -> None:
        self.send_button.setEnabled(False)
        try:
            conversation_id = await self._conversation(*targets[0])
            if conversation_id is None:  # the window has said why
                self.send_button.setEnabled(True)
                return
            comparison = await self._chat.compare(conversation_id, text, targets)
        except StorageError as error:
            self._say(self.tr("Your question could not be saved: %1").replace("%1", error.detail))
            self.send_button.setEnabled(True)
            return
        except ConversationGone:
            self._say(self.tr("This conversation was deleted, perhaps by another window."))
            self.send_button.setEnabled(True)
            return
        except CompareRefused:
            self._say(
                self.tr(
                    "Not sent: the conversation does not fit the context of %1. Leave out the "
                    "oldest turns or summarise and continue in the conversation, or pick "
                    "models with larger windows."
                ).replace("%1", ", ".join(labels))  # last: names are outside text
            )
            self.send_button.setEnabled(True)
            return
        self._conversation_id = conversation_id
        self.question.setReadOnly(True)
        for old in self.columns.findChildren(CompareColumn):
            old.deleteLater()
        for label, stream in zip(labels, comparison.replies, strict=True):
            column = CompareColumn(label, self.columns)
            self.columns.addWidget(column)
            column.stop_requested.connect(lambda c=column: self._stop(c))
            column.chosen.connect(lambda c=column: self.tasks.spawn(self._choose(c)))
            self._tasks[column] = self.tasks.spawn(self._run(column, stream))

    async def _run(self, column: CompareColumn, stream: AsyncIterator[ChatEvent]) -> None:
        try:
            async with aclosing(stream):
                async for event in stream:
                    self._show(column, event)
        except asyncio.CancelledError:
            column.stopped()
        finally:
            self._tasks.pop(column, None)
            if not self._tasks:
                self.send_button.setEnabled(True)
                self.question.setReadOnly(False)

    @staticmethod
    def _show(column: CompareColumn, event: ChatEvent) -> None:
        match event:
            case ReplyStarted(message):
                column.begin(message)
            case ReplyDelta(_, text):
                column.append(text)
            case ReplyFinished(message):
                column.finish(message)
            case ReplyFailed(message, error):
                column.fail(message, error)
            case ResendRefused(estimate=estimate):
                column.refuse(estimate)

    def _stop(self, column: CompareColumn) -> None:
        task = self._tasks.get(column)
        if task is not None:
            task.cancel()

    def stop_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()

    async def _choose(self, column: CompareColumn) -> None:
        """Go on with this reply: its branch is shown, its model becomes the
        conversation's."""
        reply, conversation_id = column.reply, self._conversation_id
        if reply is None or conversation_id is None:
            return
        self.stop_all()
        self.chose = True
        self._history.change_conversation(
            conversation_id, provider=reply.provider, model=reply.model
        )
        await self._history.show_branch_of(conversation_id, reply.id)
        self.continued.emit(conversation_id)
        self.close()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing stops what still streams; what arrived is kept, interrupted."""
        self.stop_all()
        self.tasks.cancel()
        super().closeEvent(event)

    def _on_finished(self, _result: int) -> None:
        """Closed (Esc too, which does not go through closeEvent): its work ends with it."""
        self.tasks.cancel()
