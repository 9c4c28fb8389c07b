"""Saved prompts and the message box: the one place the library window, the `/` popup and
the variables form meet the composer.

Using a prompt never sends anything: its text, variables filled, is put in the message box
(replacing the `/` that opened the popup, or at the cursor), where the person reads it and
sends it, or changes it first. Ctrl+Z in the box takes it out again.

Gets only what it uses: the window (parent of its dialogs), the library service, the
composer's text box, a way to read the conversation's selection, a task owner and a way to
say a short line in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox, QWidget

from desktopchat.domain.prompt_template import fields_to_ask, fill
from desktopchat.services.prompts import LoadProblem, PromptLibrary
from desktopchat.ui.composer.message_edit import MessageEdit
from desktopchat.ui.library.built_ins import CLIPBOARD_LIMIT, BuiltIns, read_built_ins
from desktopchat.ui.library.slash_trigger import SlashTrigger
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import tell

if TYPE_CHECKING:
    from desktopchat.ui.library.prompts import PromptLibraryDialog

PICKER_WIDTH = 520


class MessageBox(Protocol):
    def message_edit(self) -> MessageEdit: ...

    def focus_input(self) -> None: ...


class PromptLink(QObject):
    def __init__(
        self,
        window: QWidget,
        library: PromptLibrary,
        composer: MessageBox,
        selection: Callable[[], str],
        tasks: Tasks,
        say: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._library = library
        self._composer = composer
        self._selection = selection
        self._tasks = tasks
        self._say = say
        self._dialog: PromptLibraryDialog | None = None
        self._trigger = SlashTrigger(composer.message_edit())
        self._trigger.triggered.connect(self.open_picker)
        library.on_failed(self._on_library_failed)

    # --- opening ----------------------------------------------------------------------------

    def open_library(self) -> None:
        """Edit → Prompts…: the library window, raised if it is open already."""
        if self._dialog is not None:
            self._dialog.raise_()
            self._dialog.activateWindow()
            return
        self._tasks.spawn(self._open_library())

    async def _open_library(self) -> None:
        await self._loaded()
        if self._dialog is not None:
            return
        from desktopchat.ui.library.prompts import PromptLibraryDialog

        dialog = PromptLibraryDialog(self._library, self._window)
        self._tasks.adopt(dialog.tasks)
        dialog.use_requested.connect(lambda prompt_id: self.use(prompt_id, replace_slash=False))
        dialog.destroyed.connect(self._on_dialog_destroyed)
        self._dialog = dialog
        dialog.show()
        dialog.search.setFocus()

    def flush(self) -> None:
        """At quit: what is typed in the library window is kept, though the window stays."""
        if self._dialog is not None:
            self._dialog.commit()

    def _on_dialog_destroyed(self) -> None:
        self._dialog = None

    def open_picker(self) -> None:
        """`/` in an empty message box: the popup of saved prompts above it."""
        self._tasks.spawn(self._open_picker())

    async def _open_picker(self) -> None:
        await self._loaded()
        edit = self._composer.message_edit()
        if edit.toPlainText() != "/" or not edit.isVisible():
            return  # typed on meanwhile, or the window went
        from desktopchat.ui.library.prompt_picker import PromptPicker

        picker = PromptPicker(self._window)
        picker.chosen.connect(lambda prompt_id: self.use(prompt_id, replace_slash=True))
        picker.manage_requested.connect(self.open_library)
        picker.dismissed.connect(self._composer.focus_input)
        width = min(PICKER_WIDTH, edit.width())
        picker.show_prompts(self._library.prompts(), edit, width)

    async def _loaded(self) -> None:
        problem = await self._library.load()
        if problem is not None:
            self._tell_problem(problem)

    # --- using a prompt ---------------------------------------------------------------------

    def use(self, prompt_id: str, *, replace_slash: bool) -> None:
        """Fill the prompt's variables (through the form when it has fields) and put the text
        in the message box."""
        prompt = self._library.get(prompt_id)
        if prompt is None:
            return
        built_ins = read_built_ins(prompt.body, self._selection)
        if not fields_to_ask(prompt.body):
            self._insert(fill(prompt.body, built_ins.values), replace_slash)
            self._say_what_built_ins_gave(built_ins)
            return
        from desktopchat.ui.library.variables_form import VariablesForm

        form = VariablesForm(prompt, built_ins, self._window)

        def filled(text: str, values: dict[str, str]) -> None:
            self._library.remember(prompt_id, values)
            self._insert(text, replace_slash)
            self._say_what_built_ins_gave(built_ins)

        form.filled.connect(filled)
        form.rejected.connect(self._composer.focus_input)
        form.open()

    def _insert(self, text: str, replace_slash: bool) -> None:
        """At the cursor, or over the lone `/` that opened the popup; one undo step."""
        edit = self._composer.message_edit()
        cursor = edit.textCursor()
        if replace_slash and edit.toPlainText() == "/":
            cursor.select(QTextCursor.SelectionType.Document)
        edit.adapt_wrapping(text)
        cursor.insertText(text)
        edit.setTextCursor(cursor)
        edit.ensureCursorVisible()
        self._composer.focus_input()

    def _say_what_built_ins_gave(self, built_ins: BuiltIns) -> None:
        if "selection" in built_ins.empty:
            self._say(
                self.tr(
                    "Nothing was selected in the conversation: {{selection}} was left as typed."
                )
            )
        elif "clipboard" in built_ins.empty:
            self._say(self.tr("The clipboard holds no text: {{clipboard}} was left as typed."))
        elif built_ins.cut:
            self._say(
                self.tr(
                    "Only the first %1 characters of the clipboard or selection were used."
                ).replace("%1", QLocale().toString(CLIPBOARD_LIMIT))
            )

    # --- problems ---------------------------------------------------------------------------

    def _tell_problem(self, problem: LoadProblem) -> None:
        if problem.moved_to is not None:
            where = self.tr("It was kept as %1.").replace("%1", str(problem.moved_to))
        else:
            where = self.tr(
                "It could not be moved aside (%1), so new prompts will not be saved until "
                "it is moved or deleted."
            ).replace("%1", problem.move_failed or "")
        if problem.kind == "repaired":
            text = self.tr(
                "Some saved prompts could not be read and were left out (%Ln).",
                "",
                problem.left_out,
            )
        else:
            text = self.tr("Your saved prompts could not be read.")
        tell(self._window, QMessageBox.Icon.Warning, self.tr("Prompts"), f"{text} {where}")

    def _on_library_failed(self, reason: str) -> None:
        self._say(self.tr("Your prompts could not be saved: %1").replace("%1", reason))
