"""Managing conversations from the window: the system prompt, search, rename, delete, and
what happens to the history when saving fails or the window closes mid-reply."""

from __future__ import annotations

from unittest import mock

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QPlainTextEdit, QToolButton

from desktopchat.domain.types import MessageStatus
from desktopchat.storage.db import StorageError
from tests.ui.window.test_main_window_chat import start_slow_reply


def type_system_prompt(app, text: str) -> None:
    app.window.findChild(QToolButton, "sidePanelButton").click()
    editor = app.window.system_prompt
    assert editor.isVisible()
    editor.setFocus()
    app.qtbot.keyClicks(editor, text)


def test_the_system_prompt_is_sent_and_kept_with_the_conversation(app):
    type_system_prompt(app, "Answer in French.")
    app.send("Hello")
    app.wait_reply_done()

    messages = app.server.last_request.body["messages"]
    assert messages[0] == {"role": "system", "content": "Answer in French."}
    conversation_id = app.window.conversation_id
    assert app.store.get_conversation(conversation_id).system_prompt == "Answer in French."

    app.window.show_new_chat()
    assert app.window.system_prompt.toPlainText() == ""
    app.open_conversation("Hello")
    assert app.window.system_prompt.toPlainText() == "Answer in French."


def test_the_system_prompt_panel_takes_the_focus_and_a_closed_one_shows_a_prompt_is_set(app):
    button = app.window.findChild(QToolButton, "sidePanelButton")
    button.click()
    assert app.window.system_prompt.hasFocus()
    app.qtbot.keyClicks(app.window.system_prompt, "Be brief.")
    button.click()
    assert not app.window.system_prompt.isVisible()
    assert app.window.composer.findChild(QPlainTextEdit, "composer").hasFocus()
    assert "has a system prompt" in button.toolTip()
    app.send("Hello")
    app.wait_reply_done()

    app.window.show_new_chat()
    assert "has a system prompt" not in button.toolTip()
    app.open_conversation("Hello")
    assert "has a system prompt" in button.toolTip()


def test_a_system_prompt_edit_lands_in_its_conversation_when_switching_at_once(app):
    app.send("first")
    app.wait_reply_done()
    first_id = app.window.conversation_id
    app.window.show_new_chat()
    app.send("second")
    app.wait_reply_done()
    second_id = app.window.conversation_id

    type_system_prompt(app, "Be brief.")
    app.open_conversation("first")  # before the edit's save delay has passed

    assert app.store.get_conversation(second_id).system_prompt == "Be brief."
    assert app.store.get_conversation(first_id).system_prompt == ""
    app.qtbot.wait(700)
    assert app.store.get_conversation(first_id).system_prompt == ""


def test_search_finds_a_message_and_opens_its_conversation(app):
    app.server.reply.text = "The aurora borealis appears near the poles."
    app.send("Tell me about northern lights")
    app.wait_reply_done()
    app.window.show_new_chat()
    app.server.reply.text = "Bread needs flour."
    app.send("Baking question")
    app.wait_reply_done()

    search = app.window.findChild(QLineEdit, "conversationSearch")
    app.qtbot.keyClick(app.composer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert search.hasFocus()
    app.qtbot.keyClicks(search, "borealis")
    results = app.window.findChild(QListView, "searchResultsList")
    app.qtbot.waitUntil(lambda: results.isVisible() and results.model().rowCount() > 0)
    index = results.model().index(0, 0)
    app.qtbot.mouseClick(
        results.viewport(), Qt.MouseButton.LeftButton, pos=results.visualRect(index).center()
    )

    app.wait_text("The aurora borealis appears near the poles.")
    title = app.store.get_conversation(app.window.conversation_id).title
    assert title == "Tell me about northern lights"


def test_deleting_the_conversation_that_streams_stops_it(app):
    start_slow_reply(app)
    conversation_id = app.window.conversation_id

    app.window.sidebar.delete_requested.emit([conversation_id])
    app.wait_reply_done()

    assert app.store.get_conversation(conversation_id) is None
    assert app.sidebar_titles() == []
    assert app.window.conversation_id is None
    assert app.view_text().strip() == ""


def test_renaming_shows_the_new_title(app):
    app.send("Hello")
    app.wait_reply_done()
    app.window.sidebar.rename_requested.emit(app.window.conversation_id, "Greetings")
    app.qtbot.waitUntil(lambda: app.sidebar_titles() == ["Greetings"])
    assert app.store.get_conversation(app.window.conversation_id).title == "Greetings"


def notice(app) -> str:
    label = app.window.findChild(QLabel, "noticeText")
    return label.text() if label.isVisible() else ""


def test_a_message_that_cannot_be_saved_goes_back_to_the_message_box(app):
    app.send("first")
    app.wait_reply_done()
    full = StorageError("disk_full", "database or disk is full")
    with mock.patch.object(app.store, "add_message", side_effect=full):
        app.send("this must not be lost")
        app.wait_reply_done()

    assert app.composer.toPlainText() == "this must not be lost"
    assert "Your history could not be saved: database or disk is full" in notice(app)
    assert len(app.store.messages(app.window.conversation_id)) == 2


def test_a_new_conversation_that_cannot_be_created_keeps_the_draft(app):
    database = app.store._db  # SQLite's page limit fails the write as a full disk does
    (pages,) = database.query("PRAGMA page_count")[0]
    database.query(f"PRAGMA max_page_count = {pages}")
    app.window.system_prompt.setPlainText("a system prompt too long for the disk " * 500)
    app.send("keep me")
    app.qtbot.waitUntil(lambda: notice(app) != "")
    assert app.composer.toPlainText() == "keep me"
    assert "database or disk is full" in notice(app)
    assert app.sidebar_titles() == []


def test_closing_the_window_mid_reply_saves_what_arrived_as_interrupted(app):
    start_slow_reply(app)
    conversation_id = app.window.conversation_id

    app.window.close()
    app.run(app.controller.wait_stopped())  # the first step of shut_down()

    reply = app.store.messages(conversation_id)[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text.startswith("alpha")


def test_a_damaged_window_layout_in_the_settings_is_ignored(make_app):
    app = make_app(window_geometry="not base64 at all!", splitter_state="%%%")
    assert (app.window.width(), app.window.height()) == (1100, 720)
    assert app.window.splitter.sizes()[0] >= 180


def test_the_window_layout_is_saved_and_restored(make_app):
    first = make_app()
    first.window.resize(1000, 640)
    first.window.close()
    saved = first.window.prefs
    assert saved.window_geometry and saved.splitter_state

    second = make_app(window_geometry=saved.window_geometry, splitter_state=saved.splitter_state)
    # The offscreen screen is 800 px wide: Qt fits a restored width to it (and the sidebar
    # with it), so the height is what shows the geometry came back.
    assert second.window.height() == 640


def test_a_message_sent_into_a_conversation_deleted_elsewhere_is_kept(app):
    app.send("Hello")
    app.wait_reply_done()
    deleted = app.window.conversation_id
    app.store.delete_conversation(deleted).result()  # as another instance would
    requests = len(app.server.requests)

    app.send("still here?")
    app.qtbot.waitUntil(lambda: "was deleted" in notice(app))

    assert app.composer.toPlainText() == "still here?"
    assert app.window.conversation_id is None, "Send now starts a new conversation"
    assert len(app.server.requests) == requests
    assert app.sidebar_titles() == []
