"""File → Export and the copy commands: what lands on disk or on the clipboard reads back as
the same conversation (DESIGN.md R7)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from desktopchat.domain import markdown_export
from desktopchat.domain.markdown_import import markdown_to_conversation
from tests.file_dialogs import answering_file_dialogs

REPLY = "Here is code:\n\n```python\nprint('hi')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


def chat(app) -> int:
    app.server.reply.text = REPLY
    app.send("Show me code")
    app.wait_reply_done()
    app.server.reply.text = "Second answer."
    app.send("And again")
    app.wait_reply_done()
    return app.window.conversation_id


def same_conversation(app, conversation_id: int, text: str) -> None:
    imported = markdown_to_conversation(text)
    conversation = app.store.get_conversation(conversation_id)
    assert imported.conversation.title == conversation.title
    assert (imported.conversation.provider, imported.conversation.model) == ("openai", "wire-large")
    stored = app.store.messages(conversation_id)
    assert [(m.role, m.text, m.status) for m in imported.messages] == [
        (m.role, m.text, m.status) for m in stored
    ]


def test_export_then_import_gives_the_same_conversation(app, tmp_path):
    conversation_id = chat(app)
    target = tmp_path / "exported.md"
    with answering_file_dialogs(target) as asked:
        app.qtbot.keyClick(app.composer, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        app.settle()

    suggested = asked[0].offered.name
    assert suggested.endswith(".md") and "Show me code" in suggested
    assert app.take_message_boxes() == []  # said without a box to close
    assert app.window.notices.label.text() == f"Exported to {target}"
    assert app.window.notices.action.text() == "Show in folder"
    same_conversation(app, conversation_id, target.read_text(encoding="utf-8"))


def test_export_failure_is_said(app, tmp_path):
    chat(app)
    target = tmp_path / "missing-folder" / "x.md"
    with answering_file_dialogs(target):
        app.window.findChild(QAction, "export").trigger()
        app.settle()
    [(icon, _title, text)] = app.take_message_boxes()
    assert icon == QMessageBox.Icon.Warning and "could not be written" in text
    assert not target.exists()


def test_export_opens_in_the_home_folder_without_documents(app, tmp_path, monkeypatch):
    """No ~/Documents: the dialog starts at home, not wherever the app was launched."""
    chat(app)
    home = tmp_path / "bare-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    with answering_file_dialogs(None) as asked:
        app.window.findChild(QAction, "export").trigger()
        app.settle()
    assert asked[0].folder == home and asked[0].offered.parent == home


def test_export_without_a_conversation_says_what_to_do(app):
    with answering_file_dialogs(None) as asked:
        app.qtbot.keyClick(app.composer, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        app.qtbot.wait(50)
    assert asked == []
    assert "Open a conversation to export it." in app.window.statusBar().currentMessage()


def test_copy_as_markdown_reads_back_the_same(app):
    conversation_id = chat(app)
    app.window.findChild(QAction, "copyMarkdown").trigger()
    app.settle()
    same_conversation(app, conversation_id, QGuiApplication.clipboard().text())


def test_copy_as_markdown_builds_the_text_off_the_loop(app, monkeypatch):
    """A 2,000-message conversation is ~1 M characters of string work: never on the loop."""
    conversation_id = chat(app)
    builders: list[threading.Thread] = []
    build = markdown_export.conversation_to_markdown

    def recording(*args, **kwargs):
        builders.append(threading.current_thread())
        return build(*args, **kwargs)

    monkeypatch.setattr(markdown_export, "conversation_to_markdown", recording)
    app.window.findChild(QAction, "copyMarkdown").trigger()
    app.settle()
    assert builders and threading.main_thread() not in builders
    same_conversation(app, conversation_id, QGuiApplication.clipboard().text())


def test_copy_last_reply(app):
    chat(app)
    app.qtbot.keyClick(
        app.composer,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    app.settle()
    assert QGuiApplication.clipboard().text() == "Second answer."
