"""The main window's side of Compare models: opening the dialog with the message box's
text and the model in use, giving it the conversation on screen (a new chat becomes one
first), and showing the branch the person picked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktopchat.ui.compare.dialog import CompareDialog

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow


class CompareLink(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: CompareDialog | None = None

    def open(self) -> None:
        """Compare models, starting from what the person has typed and the model in use."""
        window = self._window
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = CompareDialog(
            window.controller.service, window.history, window.registry, self._conversation, window
        )
        dialog.question.setPlainText(window.composer.draft())
        provider, model = window.picker.provider_id(), window.picker.current_model_id()
        dialog.add_target(provider, model)
        known = window.registry.known_models(provider)
        others = [m.id for m in (known.models if known else ()) if m.id != model]
        dialog.add_target(provider, others[0] if others else "")
        window.tasks.adopt(dialog.tasks)
        dialog.continued.connect(self.on_dialog_continued)
        dialog.finished.connect(self.on_dialog_finished)
        self.dialog = dialog
        dialog.show()
        dialog.question.setFocus()

    async def _conversation(self, _provider: str, _model: str) -> int | None:
        """The conversation the question goes to: the one on screen, or a new one (None
        when it could not be saved; the window says why)."""
        switch = self._window.switch
        if switch.conversation_id is None and await switch.start_conversation() is None:
            return None
        return switch.conversation_id

    def on_dialog_continued(self, conversation_id: int) -> None:
        """The picked reply's branch is the conversation's now: show it."""
        window = self._window
        window.composer.set_draft("")
        window.open_conversation(conversation_id)

    def on_dialog_finished(self, _result: int) -> None:
        """Closed without picking: the conversation on screen shows the new question and
        the replies kept (the last one's branch)."""
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        asked = dialog.conversation_id
        dialog.deleteLater()
        window = self._window
        if asked is not None and window.conversation_id == asked and not dialog.chose:
            window.open_conversation(asked)
