"""The main window's side of Compare models: opening the dialog with the message box's
text and the model in use, giving it the conversation on screen (a new chat becomes one
first), and showing the branch the person picked. It works with the collaborators it is
given, never the window itself."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktopchat.services.chat import ChatService
from desktopchat.services.history import HistoryService
from desktopchat.services.registry import ProviderRegistry
from desktopchat.ui.compare.dialog import CompareDialog
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.support.asyncutils import Tasks


class Draft(Protocol):
    """The message box: the question starts from its text, which goes once continued."""

    def draft(self) -> str: ...

    def set_draft(self, text: str) -> None: ...


class CompareLink(QObject):
    """`shown` says which conversation is on screen; `start_conversation` makes the new
    chat's conversation (None when it could not be saved); `parent` is the dialog's."""

    def __init__(
        self,
        chat: ChatService,
        history: HistoryService,
        registry: ProviderRegistry,
        picker: ModelPicker,
        composer: Draft,
        tasks: Tasks,
        *,
        shown: Callable[[], int | None],
        start_conversation: Callable[[], Awaitable[Any]],
        open_conversation: Callable[[int], asyncio.Task],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._chat, self._history, self._registry = chat, history, registry
        self._picker, self._composer, self._tasks = picker, composer, tasks
        self._shown, self._start, self._open = shown, start_conversation, open_conversation
        self._parent = parent
        self.dialog: CompareDialog | None = None

    def open(self) -> None:
        """Compare models, starting from what the person has typed and the model in use."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = CompareDialog(
            self._chat, self._history, self._registry, self._conversation, self._parent
        )
        dialog.question.setPlainText(self._composer.draft())
        provider, model = self._picker.provider_id(), self._picker.current_model_id()
        dialog.add_target(provider, model)
        known = self._registry.known_models(provider)
        others = [m.id for m in (known.models if known else ()) if m.id != model]
        dialog.add_target(provider, others[0] if others else "")
        self._tasks.adopt(dialog.tasks)
        dialog.continued.connect(self.on_dialog_continued)
        dialog.finished.connect(self.on_dialog_finished)
        self.dialog = dialog
        dialog.show()
        dialog.question.setFocus()

    async def _conversation(self, _provider: str, _model: str) -> int | None:
        """The conversation the question goes to: the one on screen, or a new one (None
        when it could not be saved; the window says why)."""
        if self._shown() is None and await self._start() is None:
            return None
        return self._shown()

    @Slot(object)
    def on_dialog_continued(self, conversation_id: int) -> None:
        """The picked reply's branch is the conversation's now: show it."""
        self._composer.set_draft("")
        self._open(conversation_id)

    @Slot(int)
    def on_dialog_finished(self, _result: int) -> None:
        """Closed without picking: the conversation on screen shows the new question and
        the replies kept (the last one's branch)."""
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        asked = dialog.conversation_id
        dialog.deleteLater()
        if asked is not None and self._shown() == asked and not dialog.chose:
            self._open(asked)
