"""Projects from the window: create one with its defaults and a file, start a chat in it
whose request carries them (the wire server sees it), see which files the reply used,
move conversations by the menu and by a drop, and delete a project keeping its chats."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox, QMenu, QMessageBox, QToolButton

from desktopchat.ui.library.project_dialog import ProjectDialog


def _create_project(app, tmp_path, name: str = "Greenhouse") -> int:
    link = app.window.projects
    app.window.findChild(QToolButton, "newProjectButton").click()
    app.qtbot.waitUntil(lambda: link.dialog is not None and link.dialog.isVisible())
    dialog: ProjectDialog = link.dialog
    dialog.name.setText(name)
    dialog.prompt.setPlainText("You are the greenhouse assistant.")
    dialog.temperature.setValue(0.4)
    notes = tmp_path / "notes.md"
    notes.write_text("The heater runs at night.")
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    dialog.add_paths([notes, photo])
    app.qtbot.waitUntil(
        lambda: dialog.files.topLevelItemCount() == 1 and bool(dialog.status.text())
    )
    assert dialog.files.topLevelItem(0).text(0) == "notes.md"
    assert "photo.png" in dialog.status.text()  # refused, and said why
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    app.qtbot.waitUntil(lambda: link.dialog is None or not link.dialog.isVisible())
    app.settle()
    (project,) = [p for p in link._projects.values() if p.name == name]
    return project.id


def _panel_names(app) -> list[str]:
    panel = app.window.projects.panel.list
    return [panel.item(row).text() for row in range(panel.count())]


def test_a_new_chat_in_a_project_sends_its_defaults_and_files(app, tmp_path):
    project_id = _create_project(app, tmp_path)
    assert _panel_names(app) == ["All conversations", "Greenhouse"]

    new_chat = app.window.findChild(QToolButton, "newChatInProjectButton")
    assert new_chat.isEnabled()  # the new project is the one chosen
    new_chat.click()
    app.settle()
    app.send("When does the heater run?")
    app.wait_reply_done()

    body = app.server.last_request.body
    system = body["messages"][0]
    assert system["role"] == "system"
    assert system["content"].startswith("You are the greenhouse assistant.")
    assert "=== File: notes.md ===\nThe heater runs at night." in system["content"]
    assert body["temperature"] == 0.4
    app.wait_text("Project files used: notes.md")
    stored = app.store.get_conversation(app.window.conversation_id)
    assert stored.project_id == project_id


def test_moving_by_menu_and_by_drop_and_the_project_filter(app, tmp_path):
    app.send("loose one")
    app.wait_reply_done()
    loose_id = app.window.conversation_id
    project_id = _create_project(app, tmp_path, "Work")
    link = app.window.projects

    menu = QMenu()
    link.extend_menu(menu, loose_id)
    (move,) = [a.menu() for a in menu.actions() if a.menu() is not None]
    (work,) = [a for a in move.actions() if a.text() == "Work"]
    work.trigger()
    app.settle()
    assert app.store.get_conversation(loose_id).project_id == project_id

    link.panel.choose(project_id)
    view = app.conversation_list
    assert not view.isRowHidden(0)
    menu = QMenu()
    view.setCurrentIndex(view.model().index(0, 0))
    link.extend_menu(menu, loose_id)
    (remove,) = [a for a in menu.actions() if a.text() == "Remove from project"]
    remove.trigger()
    app.settle()
    assert app.store.get_conversation(loose_id).project_id is None
    assert view.isRowHidden(0)  # not in the chosen project any more

    # Dropped from the conversation list onto the project.
    mime: QMimeData = view.model().mimeData([view.model().index(0, 0)])
    target = link.panel.list
    row = next(r for r in range(target.count()) if target.item(r).text() == "Work")
    point = target.visualItemRect(target.item(row)).center()
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    target.dropEvent(drop)
    app.settle()
    assert app.store.get_conversation(loose_id).project_id == project_id
    assert not view.isRowHidden(0)


def test_deleting_a_project_asks_and_keeps_its_conversations(app, tmp_path):
    project_id = _create_project(app, tmp_path, "Gone")
    app.window.projects.panel.new_chat_requested.emit(project_id)
    app.settle()
    conversation_id = app.window.conversation_id

    panel = app.window.projects.panel
    panel.choose(project_id)
    app.window.activateWindow()  # back from the settings dialog
    app.qtbot.waitUntil(app.window.isActiveWindow)
    panel.list.setFocus()
    app.qtbot.waitUntil(panel.list.hasFocus)
    app.qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    (box,) = [b for b in app.window.findChildren(QMessageBox) if b.isVisible()]
    assert "Gone" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    app.qtbot.waitUntil(lambda: _panel_names(app) == ["All conversations"])
    app.settle()
    assert app.store.get_conversation(conversation_id).project_id is None
