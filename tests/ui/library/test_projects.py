"""Projects from the window: create one with its defaults and a file, start a chat in it
whose request carries them (the wire server sees it), see which files the reply used,
move conversations by the menu and by a drop, and delete a project keeping its chats."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QToolButton,
)

from desktopchat.ui.library.project_dialog import ProjectDialog
from desktopchat.ui.sidebar.conversation_model import CONVERSATION_ID_ROLE


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


def _listed(app) -> list[int]:
    """The conversations in the sidebar's list, in its order (headers left out)."""
    model = app.conversation_list.model()
    ids = [model.index(row, 0).data(CONVERSATION_ID_ROLE) for row in range(model.rowCount())]
    return [cid for cid in ids if cid is not None]


def _choose(app, project_id: int | None) -> None:
    app.window.projects.panel.choose(project_id)
    app.qtbot.waitUntil(lambda: app.window.sidebar.project() == project_id)
    app.settle()


def _move_item(menu: QMenu, name: str):
    (move,) = [a.menu() for a in menu.actions() if a.menu() is not None]
    return next(a for a in move.actions() if a.text() == name)


def test_moving_by_menu_and_by_drop_and_the_project_filter(app, tmp_path):
    app.send("loose one")
    app.wait_reply_done()
    loose_id = app.window.conversation_id
    project_id = _create_project(app, tmp_path, "Work")
    link = app.window.projects
    assert _listed(app) == []  # the new project, chosen, has none yet
    _choose(app, None)
    assert _listed(app) == [loose_id]

    menu = QMenu()
    link.extend_menu(menu, [loose_id])
    _move_item(menu, "Work").trigger()
    app.settle()
    assert app.store.get_conversation(loose_id).project_id == project_id

    _choose(app, project_id)
    assert _listed(app) == [loose_id]
    menu = QMenu()
    link.extend_menu(menu, [loose_id])
    assert not _move_item(menu, "Work").isEnabled()  # already there
    (remove,) = [a for a in menu.actions() if a.text() == "Remove from project"]
    remove.trigger()
    app.settle()
    assert app.store.get_conversation(loose_id).project_id is None
    assert _listed(app) == []  # not in the chosen project any more

    # Dragged from the whole list and dropped onto the project.
    _choose(app, None)
    model = app.conversation_list.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(CONVERSATION_ID_ROLE))
    mime: QMimeData = model.mimeData([model.index(row, 0)])
    target = link.panel.list
    work_row = next(r for r in range(target.count()) if target.item(r).text() == "Work")
    point = target.visualItemRect(target.item(work_row)).center()
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
    _choose(app, project_id)
    assert _listed(app) == [loose_id]


def test_a_selection_moves_to_a_project_from_the_lists_menu(app, tmp_path):
    ids = []
    for text in ("first", "second", "third"):
        app.window.show_new_chat()
        app.send(text)
        app.wait_reply_done()
        ids.append(app.window.conversation_id)
    project_id = _create_project(app, tmp_path, "Bulk")
    _choose(app, None)

    menu = app.window.sidebar.list_actions.menu_for(ids[:2])
    _move_item(menu, "Bulk").trigger()
    app.settle()
    assert [app.store.get_conversation(cid).project_id for cid in ids] == [
        project_id,
        project_id,
        None,
    ]
    _choose(app, project_id)
    assert sorted(_listed(app)) == sorted(ids[:2])


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


def test_a_plain_new_chat_with_a_project_chosen_starts_in_it(app, tmp_path):
    project_id = _create_project(app, tmp_path, "Garden")  # chosen once created
    app.window.show_new_chat()
    assert app.window.system_prompt.toPlainText() == "You are the greenhouse assistant."
    app.send("How warm at night?")
    app.wait_reply_done()

    stored = app.store.get_conversation(app.window.conversation_id)
    assert stored.project_id == project_id
    body = app.server.last_request.body
    assert body["temperature"] == 0.4
    assert "=== File: notes.md ===" in body["messages"][0]["content"]
    assert _listed(app) == [stored.id]

    _choose(app, None)
    app.window.show_new_chat()
    assert app.window.system_prompt.toPlainText() == ""
    app.send("Nothing to do with the garden")
    app.wait_reply_done()
    assert app.store.get_conversation(app.window.conversation_id).project_id is None
    assert "temperature" not in app.server.last_request.body


def test_search_looks_in_the_chosen_project(app, tmp_path):
    app.send("zebra outside")
    app.wait_reply_done()
    outside_id = app.window.conversation_id
    project_id = _create_project(app, tmp_path, "Stripes")
    app.window.show_new_chat()
    app.send("zebra inside")
    app.wait_reply_done()
    inside_id = app.window.conversation_id
    assert app.store.get_conversation(inside_id).project_id == project_id

    search = app.window.findChild(QLineEdit, "conversationSearch")
    assert "Stripes" in search.placeholderText()
    results = app.window.findChild(QListView, "searchResultsList")

    def found() -> set[int]:
        model = results.model()
        return {model.index(r, 0).data(CONVERSATION_ID_ROLE) for r in range(model.rowCount())}

    search.setText("zebra")
    app.qtbot.waitUntil(lambda: results.isVisible() and found() == {inside_id})
    _choose(app, None)  # the search on show runs again, everywhere
    app.qtbot.waitUntil(lambda: found() == {inside_id, outside_id})
    assert "Stripes" not in search.placeholderText()
