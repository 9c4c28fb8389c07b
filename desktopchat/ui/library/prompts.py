"""Edit → Prompts… (Ctrl+Shift+P): the prompt library. A searchable list on the left, the
chosen prompt's name and text on the right with the `{{variables}}` it holds, and the
commands: New, Duplicate, Delete (with Undo), Insert into the message, Import…, Export….

Edits are kept as typed (a moment after the last key, and whenever the person moves on or
closes the window): the library writes them behind (services/prompts.py). Keyboard: Ctrl+F
search, Down from the search to the list, Ctrl+N new, Ctrl+D duplicate, Del delete (in the
list), Enter in the list or Ctrl+Enter inserts, Alt+U undoes a delete, Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.prompt_template import BUILT_INS, variable_names
from desktopchat.domain.prompts import Prompt, free_name
from desktopchat.services.prompts import PromptLibrary
from desktopchat.ui.library.prompt_files import export_prompts, import_prompts
from desktopchat.ui.library.prompt_picker import row_size
from desktopchat.ui.library.variable_marks import VariableMarks
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel

ID_ROLE = Qt.ItemDataRole.UserRole
SAVE_DELAY_MS = 400


class PromptLibraryDialog(QDialog):
    use_requested = Signal(str)
    """A prompt's id: fill its variables and put it in the message box."""

    def __init__(self, library: PromptLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promptLibrary")
        self.setWindowTitle(self.tr("Prompts"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tasks = Tasks()
        self._library = library
        self._shown_id: str | None = None
        self._filling = False
        self._deleted: tuple[Prompt, int] | None = None

        self.search = QLineEdit(self)

        self.search.setObjectName("promptSearch")
        self.search.setPlaceholderText(self.tr("Search prompts (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search prompts"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.list = QListWidget(self)
        self.list.setObjectName("promptList")
        self.list.setAccessibleName(self.tr("Saved prompts"))
        self.list.installEventFilter(self)
        self._empty = PlainLabel(self)
        self._empty.setObjectName("promptLibraryEmpty")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        new = self._button(self.tr("&New"), "newPrompt", self.tr("New prompt (Ctrl+N)"))
        self._duplicate = self._button(
            self.tr("Du&plicate"), "duplicatePrompt", self.tr("Duplicate (Ctrl+D)")
        )
        self._delete = self._button(self.tr("&Delete"), "deletePrompt", self.tr("Delete (Del)"))
        self._undo_bar = QWidget(self)
        self._undo_text = PlainLabel(self._undo_bar)
        self._undo_text.setWordWrap(True)
        undo = self._button(self.tr("&Undo"), "undoDelete", "", parent=self._undo_bar)
        undo_row = QHBoxLayout(self._undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self._undo_text, 1)
        undo_row.addWidget(undo)
        self._undo_bar.hide()

        self.name = QLineEdit(self)

        self.name.setObjectName("promptName")
        self.name.setAccessibleName(self.tr("Name"))
        self.name.setPlaceholderText(self.tr("Name"))
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("promptBody")
        self.body.setAccessibleName(self.tr("Prompt text"))
        self.body.setTabChangesFocus(True)
        self._marks = VariableMarks(self.body.document(), self.palette())
        self.body.setPlaceholderText(
            self.tr(
                "The prompt's text. {{name}} makes a field to fill in each time; built in: "
                "{{date}}, {{time}}, {{clipboard}}, {{selection}} (the text selected in the "
                "conversation)."
            )
        )
        self._variables = PlainLabel(self)
        self._variables.setObjectName("promptVariables")
        self._variables.setWordWrap(True)
        self._use = self._button(
            self.tr("&Insert into message"), "usePrompt", self.tr("Ctrl+Enter")
        )
        self._use.setDefault(True)
        import_button = self._button(self.tr("I&mport…"), "importPrompts", "")
        export_button = self._button(self.tr("E&xport…"), "exportPrompts", "")
        close = self._button(self.tr("Close"), "closePrompts", "")

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self._empty, 1)
        commands = QHBoxLayout()
        for button in (new, self._duplicate, self._delete):
            commands.addWidget(button)
        left_layout.addLayout(commands)
        left_layout.addWidget(self._undo_bar)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.name)
        right_layout.addWidget(self.body, 1)
        right_layout.addWidget(self._variables)
        right_layout.addWidget(self._use, 0, Qt.AlignmentFlag.AlignRight)
        self._editor = right
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 420])
        bottom = QHBoxLayout()
        bottom.addWidget(import_button)
        bottom.addWidget(export_button)
        self._note = PlainLabel(self)
        self._note.setObjectName("promptLibraryNote")
        bottom.addWidget(self._note, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.resize(760, 520)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.commit)
        self.search.textChanged.connect(self.refresh)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemActivated.connect(lambda _item: self.use())
        self.name.textEdited.connect(self._on_edited)
        self.body.textChanged.connect(self._on_edited)
        new.clicked.connect(self.new_prompt)
        self._duplicate.clicked.connect(self.duplicate)
        self._delete.clicked.connect(self.delete)
        undo.clicked.connect(self.undo_delete)
        self._use.clicked.connect(self.use)
        import_button.clicked.connect(lambda: self.tasks.spawn(self._import()))
        export_button.clicked.connect(lambda: self.tasks.spawn(self._export()))
        close.clicked.connect(self.reject)
        self.finished.connect(self._on_finished)
        for keys, slot in (
            ("Ctrl+F", self.focus_search),
            ("Ctrl+N", self.new_prompt),
            ("Ctrl+D", self.duplicate),
            ("Ctrl+Return", self.use),
            ("Ctrl+Enter", self.use),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self._stop_listening = library.on_changed(self.refresh)
        self.refresh()

    def _button(self, text: str, name: str, tip: str, parent: QWidget | None = None) -> QPushButton:
        button = QPushButton(text, parent or self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        if tip:
            button.setToolTip(tip)
        return button

    # --- the list ---------------------------------------------------------------------------

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(ID_ROLE)

    def select(self, prompt_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == prompt_id:
                self.list.setCurrentRow(row)
                return

    def refresh(self) -> None:
        """The list from the library and the search, keeping the prompt shown if it is
        still listed (else the one in its place); called at every change."""
        keep, row = self.current_id(), max(self.list.currentRow(), 0)
        words = self.search.text()
        prompts = [p for p in self._library.prompts() if p.matches(words)]
        self.list.blockSignals(True)
        self.list.clear()
        size = row_size(self.list)
        for prompt in prompts:
            item = QListWidgetItem(prompt.name, self.list)
            item.setData(ID_ROLE, prompt.id)
            item.setSizeHint(size)
        ids = [p.id for p in prompts]
        if keep in ids:
            self.list.setCurrentRow(ids.index(keep))
        elif prompts:
            self.list.setCurrentRow(min(row, len(prompts) - 1))
        self.list.blockSignals(False)
        everything = bool(self._library.prompts())
        self._empty.setText(
            self.tr("No prompt matches your search.")
            if everything
            else self.tr(
                "No saved prompts yet.\nNew (Ctrl+N) starts one; Import… brings a file of them."
            )
        )
        self.list.setVisible(bool(prompts))
        self._empty.setVisible(not prompts)
        self._show(self.current_id())

    def _on_current_changed(self, *_items: object) -> None:
        self.commit()
        self._show(self.current_id())

    def _show(self, prompt_id: str | None) -> None:
        """Put a prompt in the editor, unless it is there already with the person's edits."""
        prompt = None if prompt_id is None else self._library.get(prompt_id)
        for widget in (self._editor, self._duplicate, self._delete):
            widget.setEnabled(prompt is not None)
        if prompt is None:
            self._shown_id = None
            self._fill_editor("", "")
            return
        if prompt.id == self._shown_id and (self._save_timer.isActive() or self._unchanged(prompt)):
            return
        self._shown_id = prompt.id
        self._fill_editor(prompt.name, prompt.body)

    def _unchanged(self, prompt: Prompt) -> bool:
        return self.name.text() == prompt.name and self.body.toPlainText() == prompt.body

    def _fill_editor(self, name: str, body: str) -> None:
        self._filling = True
        self.name.setText(name)
        self.body.setPlainText(body)
        self._filling = False
        self._show_variables()

    def _show_variables(self) -> None:
        names = variable_names(self.body.toPlainText())
        asked = [n for n in names if n not in BUILT_INS]
        built = [n for n in names if n in BUILT_INS]
        parts = []
        if asked:
            parts.append(self.tr("Fields to fill in: %1").replace("%1", ", ".join(asked)))
        if built:
            parts.append(self.tr("Filled by the app: %1").replace("%1", ", ".join(built)))
        self._variables.setText(" · ".join(parts) or self.tr("No {{variables}}: used as written."))

    # --- commands ---------------------------------------------------------------------------

    def _on_edited(self) -> None:
        if not self._filling and self._shown_id is not None:
            self._save_timer.start()
            self._show_variables()

    def commit(self) -> None:
        """Keep what is typed in the editor (an empty name keeps the old one)."""
        self._save_timer.stop()
        if self._shown_id is not None:
            self._library.update(
                self._shown_id, name=self.name.text(), body=self.body.toPlainText()
            )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_prompt(self) -> None:
        self.commit()
        self.search.clear()
        taken = [p.name for p in self._library.prompts()]
        name = self.tr("New prompt")
        if name.casefold() in {n.casefold() for n in taken}:
            name = free_name(name, taken)
        self.select(self._library.add(name).id)
        self.name.setFocus()
        self.name.selectAll()

    def duplicate(self) -> None:
        prompt_id = self.current_id()
        if prompt_id is None:
            return
        self.commit()
        copy = self._library.duplicate(prompt_id, self.tr("copy"))
        if copy is not None:
            self.search.clear()
            self.select(copy.id)
            self.name.setFocus()
            self.name.selectAll()

    def delete(self) -> None:
        prompt_id = self.current_id()
        if prompt_id is None:
            return
        self.commit()
        self._deleted = self._library.delete(prompt_id)
        if self._deleted is not None:
            self._undo_text.setText(self.tr("Deleted “%1”.").replace("%1", self._deleted[0].name))
            self._undo_bar.show()
        self.list.setFocus()

    def undo_delete(self) -> None:
        if self._deleted is not None:
            prompt, index = self._deleted
            self._deleted = None
            self._library.restore(prompt, index)
            self.search.clear()
            self.select(prompt.id)
        self._undo_bar.hide()
        self.list.setFocus()

    def use(self) -> None:
        prompt_id = self.current_id()
        if prompt_id is not None:
            self.commit()
            self.use_requested.emit(prompt_id)
            self.accept()

    async def _import(self) -> None:
        self.commit()
        report = await import_prompts(self, self._library)
        if report is not None and report.added:
            self.search.clear()
            for prompt in self._library.prompts():
                if prompt.name == report.added[0]:
                    self.select(prompt.id)

    async def _export(self) -> None:
        self.commit()
        path = await export_prompts(self, self._library)
        if path is not None:
            self._note.setText(
                self.tr("%Ln prompt(s) exported to %1", "", len(self._library.prompts())).replace(
                    "%1", str(path)
                )
            )

    # --- keys and closing -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down from the search goes to the list; Del in the list deletes."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if watched is self.search and event.key() == Qt.Key.Key_Down and self.list.count():
            self.list.setFocus()
            return True
        if watched is self.list and event.key() == Qt.Key.Key_Delete:
            self.delete()
            return True
        return False

    def _on_finished(self) -> None:
        """Closed (Esc, Close, the window's ×, Insert): what is typed is kept."""
        self.commit()
        self._stop_listening()
        self.tasks.cancel()
