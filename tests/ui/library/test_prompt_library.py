"""Edit → Prompts… (ui/library/prompts.py, prompt_files.py): add, edit, duplicate, delete
with Undo, search, insert, and import and export through the file dialogs, by keyboard."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktopchat.system.prompt_file import read_prompts
from desktopchat.ui.library.prompts import PromptLibraryDialog
from tests.file_dialogs import answering_file_dialogs


def open_library(app) -> PromptLibraryDialog:
    app.window.activateWindow()
    app.qtbot.keyClick(
        app.window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    app.qtbot.waitUntil(lambda: app.window.prompts._dialog is not None)
    dialog = app.window.prompts._dialog
    app.qtbot.waitUntil(dialog.search.hasFocus)
    return dialog


def names(dialog: PromptLibraryDialog) -> list[str]:
    return [dialog.list.item(row).text() for row in range(dialog.list.count())]


def stored(app) -> list[tuple[str, str]]:
    app.run(app.services.prompts.aclose())
    return [(p.name, p.body) for p in read_prompts(app.services.prompts._file.path)[0]]


def test_add_edit_duplicate_delete_undo_and_search_by_keyboard(make_app):
    app = make_app()
    dialog = open_library(app)
    qtbot = app.qtbot
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialog.name.hasFocus() and dialog.name.selectedText() == "New prompt"
    qtbot.keyClicks(dialog.name, "Summarise")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.body, "Summarise {{text}} in {{n}} lines, {{date}}")
    assert "text, n" in dialog.findChild(type(dialog._note), "promptVariables").text()
    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert names(dialog) == ["Summarise", "Summarise (copy)"]
    assert dialog.body.toPlainText() == "Summarise {{text}} in {{n}} lines, {{date}}"
    qtbot.keyClicks(dialog.name, "Translate")
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert names(dialog) == ["Summarise"]
    assert stored(app) == [("Summarise", "Summarise {{text}} in {{n}} lines, {{date}}")]
    qtbot.keyClick(dialog, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # &Undo
    qtbot.waitUntil(lambda: names(dialog) == ["Summarise", "Translate"])  # an animated click
    assert dialog.current_id() == app.services.prompts.prompts()[1].id
    qtbot.keyClick(dialog, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.search, "transl")
    assert names(dialog) == ["Translate"]
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.list.hasFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # insert: it has fields, so the form
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [name for name, _ in stored(app)] == ["Summarise", "Translate"]


def test_typed_edits_are_kept_when_the_window_closes(make_app):
    app = make_app()
    dialog = open_library(app)
    app.qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.keyClicks(dialog.name, "Quick")
    dialog.body.setFocus()
    app.qtbot.keyClicks(dialog.body, "No variables here.")
    app.qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # before the save delay ends
    app.qtbot.waitUntil(lambda: app.window.prompts._dialog is None)
    assert stored(app) == [("Quick", "No variables here.")]


def test_export_then_import_round_trip_renames_clashes_and_says_so(make_app, tmp_path):
    app = make_app()
    library = app.services.prompts
    app.run(library.load())
    library.add("Summarise", "S {{text}}")
    library.add("Translate", "T")
    dialog = open_library(app)
    exported = tmp_path / "prompts export.json"
    with answering_file_dialogs(exported):
        dialog.findChild(type(dialog._use), "exportPrompts").click()
        app.qtbot.waitUntil(lambda: "exported" in dialog._note.text())
    assert json.loads(exported.read_text())["prompts"] == [
        {"name": "Summarise", "body": "S {{text}}"},
        {"name": "Translate", "body": "T"},
    ]
    library.update(library.prompts()[1].id, body="T, changed since")
    with answering_file_dialogs(exported):
        dialog.findChild(type(dialog._use), "importPrompts").click()
        app.qtbot.waitUntil(lambda: bool(dialog.findChildren(QMessageBox)))
    [(icon, title, text)] = boxes(dialog)
    assert icon is QMessageBox.Icon.Information and title == "Prompts imported"
    assert "Translate → Translate (2)" in text and "Summarise" in text
    assert names(dialog) == ["Summarise", "Translate", "Translate (2)"]
    dialog.reject()


def test_a_hostile_file_is_refused_and_nothing_changes(make_app, tmp_path):
    app = make_app()
    library = app.services.prompts
    app.run(library.load())
    library.add("Mine", "kept")
    dialog = open_library(app)
    hostile = tmp_path / "hostile.json"
    hostile.write_text("[" * 50_000)
    with answering_file_dialogs(hostile):
        dialog.findChild(type(dialog._use), "importPrompts").click()
        app.qtbot.waitUntil(lambda: bool(dialog.findChildren(QMessageBox)))
    [(icon, title, text)] = boxes(dialog)
    assert icon is QMessageBox.Icon.Warning and title == "Nothing was imported"
    assert "not valid JSON" in text and "Your prompts are unchanged." in text
    assert names(dialog) == ["Mine"]
    dialog.reject()


def boxes(dialog):
    found = [box for box in dialog.findChildren(QMessageBox) if box.isVisible()]
    for box in found:
        box.close()
    return [(box.icon(), box.windowTitle(), box.text()) for box in found]


def test_variables_are_marked_in_the_text_and_stray_braces_are_not(make_app):
    app = make_app()
    dialog = open_library(app)
    app.qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog.body.setPlainText("{{topic}} and {{{raw}}} on {{date}}")
    marks = dialog.body.document().firstBlock().layout().formats()
    assert [(m.start, m.length, m.format.fontItalic()) for m in marks] == [
        (0, 9, False),
        (27, 8, True),
    ]
    dialog.reject()


def test_what_is_typed_in_the_library_is_kept_when_the_app_quits(make_app):
    app = make_app()
    dialog = open_library(app)
    app.qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.keyClicks(dialog.name, "Typed just before Ctrl+Q")
    app.quit()  # the window closes, then the app shuts down in order
    path = app.services.prompts._file.path
    assert [p.name for p in read_prompts(path)[0]] == ["Typed just before Ctrl+Q"]
