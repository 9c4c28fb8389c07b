"""Keyboard: Help → Keyboard shortcuts lists them all, Ctrl+R regenerates the last reply,
Up in an empty box asks to edit the last message, Enter without a model says why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from desktopchat.domain.types import MessageStatus, Role
from desktopchat.ui.window.shortcuts import SHORTCUTS, ShortcutsDialog, shortcut_list


def test_f1_lists_every_shortcut(app):
    app.qtbot.keyClick(app.window, Qt.Key.Key_F1)
    dialog = app.window.findChild(ShortcutsDialog)
    app.qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    shown = {table.item(row, 0).text() for row in range(table.rowCount())}
    for keys in ("Ctrl+N", "Ctrl+K, Ctrl+F", "Ctrl+R", "Ctrl+Q", "Ctrl+,", "Esc"):
        assert keys in shown
    meanings = [meaning for _keys, meaning in shortcut_list()]
    assert "Edit your last message" in meanings
    dialog.close()


def test_ctrl_r_regenerates_the_last_reply(app):
    app.server.reply.text = "First answer."
    app.send("Question")
    app.wait_reply_done()
    app.server.reply.text = "Second answer."
    app.qtbot.keyClick(app.composer, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    app.settle()
    app.wait_text("Second answer.")
    app.wait_reply_done()
    replies = [
        m.text
        for m in app.store.messages(app.window.conversation_id)
        if m.role is Role.ASSISTANT and m.status is MessageStatus.COMPLETE
    ]
    assert replies[-1] == "Second answer."


def test_up_in_an_empty_box_asks_to_edit_the_last_message(app):
    asked = []
    app.window.composer.edit_last_requested.connect(lambda: asked.append(True))
    app.composer.setFocus()
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Up)
    assert asked == [True]
    app.qtbot.keyClicks(app.composer, "not empty")
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Up)
    assert asked == [True]  # Up moves the cursor in text, as always


def test_up_in_an_empty_box_opens_the_last_message_for_editing(app):
    app.send("Edit me later")
    app.wait_reply_done()
    assert app.window.chat_view.inline_editor() is None
    app.composer.setFocus()
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Up)
    editor = app.window.chat_view.inline_editor()
    assert editor is not None


def test_enter_without_a_model_says_so(app):
    app.window.picker.set_selection("openai", "")
    app.window.update_send_state()
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, "Hello")
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Return)
    assert app.window.statusBar().currentMessage() == "Pick or type a model first"
    assert app.composer.toPlainText() == "Hello"


def test_readme_lists_the_same_shortcuts():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Keyboard", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")]
    written = {"Enter": "Enter", "Shift+Enter": "Shift+Enter", "Ctrl+Enter": "Ctrl+Enter"}
    expected = [
        "Up (in an empty message box)"
        if keys == ("Up",)
        else ", ".join(written.get(k, k) for k in keys)
        for keys, _meaning in SHORTCUTS
    ]
    assert rows[1:] == expected  # the first row is the table's header
