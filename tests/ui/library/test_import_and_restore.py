"""File → Import… and File → Restore from backup… as a person uses them: a preview before
anything is written, the conversations in the sidebar after, titles shown as plain text."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktopchat.ui.library.restore_dialog import RestoreDialog
from tests.file_dialogs import answering_file_dialogs
from tests.services.importers.archives import chatgpt_branching, chatgpt_linear, zipped

HOSTILE = '<img src="file:///dev/zero"><b>bold</b>'


def visible_box(app, name: str) -> QMessageBox:
    found = []

    def shown() -> bool:
        found[:] = [b for b in app.window.findChildren(QMessageBox, name) if b.isVisible()]
        return bool(found)

    app.qtbot.waitUntil(shown, timeout=10000)
    return found[0]


def test_import_previews_then_adds_the_conversations(app, tmp_path):
    archive = tmp_path / "export.zip"
    conversations = [chatgpt_branching(title=HOSTILE), chatgpt_linear("x", 4)]
    archive.write_bytes(zipped({"conversations.json": conversations}))
    with answering_file_dialogs(archive):
        app.window.findChild(QAction, "import").trigger()
        preview = visible_box(app, "importPreview")
    assert preview.textFormat() == Qt.TextFormat.PlainText
    assert "Import 2 conversations (7 messages)" in preview.text()
    assert app.store.list_conversations() == []  # nothing written before the answer
    preview.button(QMessageBox.StandardButton.Ok).click()
    app.qtbot.waitUntil(lambda: len(app.sidebar_titles()) == 2, timeout=10000)
    app.settle()
    assert HOSTILE in app.sidebar_titles()
    [(icon, _title, text)] = app.take_message_boxes()
    assert icon == QMessageBox.Icon.Information and "Imported 2 conversations" in text


def test_an_unreadable_file_is_said_and_nothing_written(app, tmp_path):
    bad = tmp_path / "conversations.json"
    bad.write_text("[{")
    with answering_file_dialogs(bad):
        app.window.findChild(QAction, "import").trigger()
        app.qtbot.waitUntil(
            lambda: any(b.isVisible() for b in app.window.findChildren(QMessageBox)), timeout=10000
        )
    [(icon, _title, text)] = app.take_message_boxes()
    assert icon == QMessageBox.Icon.Warning and "not valid JSON" in text
    assert app.store.list_conversations() == []


def test_restore_merges_a_deleted_conversation_back(app):
    app.server.reply.text = "Kept answer."
    app.send("Keep this")
    app.wait_reply_done()
    from desktopchat.services.backups import BackupService

    assert BackupService(app.store).back_up_if_due() is not None
    conversation_id = app.window.conversation_id
    app.store.delete_conversation(conversation_id).result()
    app.run(app.window.load_conversations())
    assert app.sidebar_titles() == []

    app.window.findChild(QAction, "restore").trigger()
    dialog = app.window.findChild(RestoreDialog)
    app.qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10000)
    app.qtbot.waitUntil(lambda: "Merging adds 1" in dialog.preview.toPlainText(), timeout=10000)
    dialog.findChild(QPushButton, "mergeBackup").click()
    app.qtbot.waitUntil(lambda: len(app.sidebar_titles()) == 1, timeout=10000)
    assert [m.text for m in app.store.thread(conversation_id).messages] == [
        "Keep this",
        "Kept answer.",
    ]
    dialog.close()


def test_one_conversation_is_counted_as_one(english, app, tmp_path):
    archive = tmp_path / "conversations.json"
    archive.write_text(json.dumps([chatgpt_linear("x", 1)]))
    with answering_file_dialogs(archive):
        app.window.findChild(QAction, "import").trigger()
        preview = visible_box(app, "importPreview")
    assert "Import 1 conversation (" in preview.text()
    preview.button(QMessageBox.StandardButton.Ok).click()
    app.qtbot.waitUntil(lambda: len(app.sidebar_titles()) == 1, timeout=10000)
    app.settle()
    [(_icon, _title, text)] = app.take_message_boxes()
    assert text.startswith("Imported 1 conversation (") and "1 conversations" not in text
