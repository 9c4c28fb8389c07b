"""The main window against the wire server: a chat round, stop, regenerate, edit and resend,
and switching conversations while a reply streams. Each test checks what is on screen and
what was stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desktopchat.domain.types import MessageStatus, Role
from desktopchat.ui.transcript.inline_editor import InlineEditor
from tests.wire_server import Fault


def stored(app, conversation_id: int) -> list[tuple[Role, str, MessageStatus]]:
    """The branch shown, as stored."""
    return [(m.role, m.text, m.status) for m in app.store.thread(conversation_id).messages]


def everything_stored(app, conversation_id: int) -> list[str]:
    """Every message's text, all branches."""
    return [m.text for m in app.store.messages(conversation_id)]


def test_composer_has_focus_when_the_window_appears(app):
    assert QApplication.focusWidget() is app.composer


def test_a_chat_round_streams_the_reply_stores_it_and_titles_the_conversation(app):
    app.server.reply.text = "Paris is the capital of France."
    app.send("What is the capital of France?")

    app.wait_text("Paris is the capital of France.")
    app.wait_reply_done()
    conversation_id = app.window.conversation_id
    assert stored(app, conversation_id) == [
        (Role.USER, "What is the capital of France?", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "Paris is the capital of France.", MessageStatus.COMPLETE),
    ]
    assert "What is the capital of France?" in app.view_text()
    assert app.sidebar_titles() == ["What is the capital of France?"]
    assert app.store.get_conversation(conversation_id).title == "What is the capital of France?"
    assert app.composer.toPlainText() == ""
    assert QApplication.focusWidget() is app.composer
    body = app.server.last_request.body
    assert body["model"] == "wire-large"
    assert body["messages"][-1] == {"role": "user", "content": "What is the capital of France?"}


def test_a_second_message_carries_the_history(app):
    app.server.reply.text = "First answer."
    app.send("one")
    app.wait_reply_done()
    app.server.reply.text = "Second answer."
    app.send("two")
    app.wait_text("Second answer.")
    app.wait_reply_done()

    roles_and_text = [(m["role"], m["content"]) for m in app.server.last_request.body["messages"]]
    assert roles_and_text == [("user", "one"), ("assistant", "First answer."), ("user", "two")]
    assert len(app.store.messages(app.window.conversation_id)) == 4


def start_slow_reply(app, text: str = "alpha beta gamma delta epsilon zeta eta theta") -> None:
    app.server.reply.text = text
    app.server.reply.chunks = len(text.split())
    app.server.reply.tokens_per_second = 4
    app.send("Count slowly")
    app.qtbot.waitUntil(lambda: "alpha" in app.view_text(), timeout=5000)


def test_esc_stops_the_reply_keeps_the_part_received_and_marks_it(app):
    start_slow_reply(app)
    assert app.stop_button.isVisible()
    assert not app.send_button.isVisible()

    app.qtbot.keyClick(app.composer, Qt.Key.Key_Escape)
    app.wait_reply_done()

    reply = app.store.messages(app.window.conversation_id)[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text.startswith("alpha") and "theta" not in reply.text
    assert reply.text.strip() in app.view_text()
    assert "Interrupted" in app.view_text()
    assert app.server.wait_for_disconnect(timeout=5)
    assert app.send_button.isVisible() and not app.stop_button.isVisible()

    app.server.reply.tokens_per_second = None
    app.server.reply.text = "Here again."
    app.send("Go on")
    app.wait_text("Here again.")
    app.wait_reply_done()
    messages = app.store.messages(app.window.conversation_id)
    assert [m.status for m in messages] == [
        MessageStatus.COMPLETE,
        MessageStatus.INTERRUPTED,
        MessageStatus.COMPLETE,
        MessageStatus.COMPLETE,
    ]
    sent = [m["content"] for m in app.server.last_request.body["messages"]]
    assert sent == ["Count slowly", "Go on"], "an interrupted reply is not sent back"


def test_the_send_and_stop_buttons_leave_the_focus_in_the_message_box(app):
    app.qtbot.keyClicks(app.composer, "Count slowly")
    app.server.reply.text = "alpha beta gamma delta epsilon zeta eta theta"
    app.server.reply.chunks = 8
    app.server.reply.tokens_per_second = 4
    app.qtbot.mouseClick(app.send_button, Qt.MouseButton.LeftButton)
    app.qtbot.waitUntil(lambda: "alpha" in app.view_text(), timeout=5000)
    assert QApplication.focusWidget() is app.composer

    app.qtbot.mouseClick(app.stop_button, Qt.MouseButton.LeftButton)
    app.wait_reply_done()
    assert app.store.messages(app.window.conversation_id)[-1].status is MessageStatus.INTERRUPTED
    assert QApplication.focusWidget() is app.composer


def test_esc_belongs_to_the_search_box_when_nothing_streams(app):
    search = app.window.findChild(QLineEdit, "conversationSearch")
    search.setFocus()
    app.qtbot.keyClicks(search, "paris")
    app.qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""


def test_regenerate_shows_the_new_reply_and_keeps_the_first_as_a_branch(app):
    app.server.reply.text = "First try."
    app.send("Tell me a joke")
    app.wait_reply_done()
    app.server.reply.text = "Second try."

    app.click_link("Regenerate")
    app.wait_text("Second try.")
    app.wait_reply_done()

    assert "First try." not in app.view_text()
    assert "Show earlier messages" not in app.view_text()
    assert stored(app, app.window.conversation_id) == [
        (Role.USER, "Tell me a joke", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "Second try.", MessageStatus.COMPLETE),
    ]
    assert "First try." in everything_stored(app, app.window.conversation_id)
    app.qtbot.waitUntil(lambda: "2/2" in app.view_text(), timeout=5000)  # ‹ 2/2 › drawn


def inline_editor(app) -> InlineEditor:
    """The box the Edit icon opens in place over the message."""
    app.qtbot.waitUntil(lambda: app.window.chat_view.inline_editor() is not None)
    return app.window.chat_view.inline_editor()


def test_editing_a_message_resends_it_as_a_new_branch(app):
    for question, answer in (("first question", "first answer"), ("second", "second answer")):
        app.server.reply.text = answer
        app.send(question)
        app.wait_reply_done()
    app.server.reply.text = "answer to the edit"

    app.click_link("Edit", occurrence=0)
    editor = inline_editor(app)
    assert editor.editor.toPlainText() == "first question"
    editor.editor.setPlainText("edited question")
    app.qtbot.keyClick(editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app.wait_text("answer to the edit")
    app.wait_reply_done()

    assert stored(app, app.window.conversation_id) == [
        (Role.USER, "edited question", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "answer to the edit", MessageStatus.COMPLETE),
    ]
    text = app.view_text()
    assert "edited question" in text
    assert "Show earlier messages" not in text
    for other_branch in ("first question", "first answer", "second answer"):
        assert other_branch not in text
        assert other_branch in everything_stored(app, app.window.conversation_id)
    assert [m["content"] for m in app.server.last_request.body["messages"]] == ["edited question"]


def test_cancelling_the_edit_changes_nothing(app):
    app.send("keep me")
    app.wait_reply_done()
    before = stored(app, app.window.conversation_id)
    requests = len(app.server.requests)

    app.click_link("Edit")
    app.qtbot.keyClick(inline_editor(app).editor, Qt.Key.Key_Escape)

    assert stored(app, app.window.conversation_id) == before
    assert len(app.server.requests) == requests
    assert "keep me" in app.view_text()


def test_switching_away_and_back_while_a_reply_streams(app):
    app.server.reply.text = "Other conversation's reply."
    app.send("older conversation")
    app.wait_reply_done()
    first_id = app.window.conversation_id

    app.qtbot.keyClick(app.composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    words = "one two three four five six seven eight nine ten"
    app.server.reply.text = words
    app.server.reply.chunks = 10
    app.server.reply.tokens_per_second = 20
    app.send("count to ten")
    app.qtbot.waitUntil(lambda: "one" in app.view_text(), timeout=5000)
    streaming_id = app.window.conversation_id

    app.open_conversation("older conversation")
    assert app.window.conversation_id == first_id
    assert "Other conversation's reply." in app.view_text()
    assert "count to ten" not in app.view_text()
    app.qtbot.wait(100)
    assert "one two" not in app.view_text(), "the streaming reply stays in its conversation"

    app.open_conversation("count to ten")
    assert app.window.conversation_id == streaming_id
    assert "Show earlier messages" not in app.view_text()
    app.wait_text("one two")
    app.wait_text(words)
    app.wait_reply_done()
    assert app.view_text().count("count to ten") == 1
    assert stored(app, streaming_id)[-1] == (Role.ASSISTANT, words, MessageStatus.COMPLETE)


def test_a_reply_that_finishes_while_away_is_complete_when_back(app):
    app.send("first")
    app.wait_reply_done()
    app.qtbot.keyClick(app.composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    app.server.reply.text = "slow but whole reply"
    app.server.reply.chunks = 4
    app.server.reply.tokens_per_second = 20
    app.send("second")
    app.qtbot.waitUntil(lambda: "slow" in app.view_text(), timeout=5000)
    streaming_id = app.window.conversation_id

    app.open_conversation("first")
    app.wait_reply_done()
    app.open_conversation("second")

    assert "slow but whole reply" in app.view_text()
    assert stored(app, streaming_id)[-1][1:] == ("slow but whole reply", MessageStatus.COMPLETE)


def test_a_second_send_while_streaming_keeps_the_draft(app):
    start_slow_reply(app)
    app.qtbot.keyClicks(app.composer, "next question")
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Return)
    assert app.composer.toPlainText() == "next question"
    app.stop_button.click()
    app.wait_reply_done()
    assert app.composer.toPlainText() == "next question"


def test_a_stream_fault_mid_reply_keeps_the_text(app):
    app.server.reply.text = "abcdef"
    app.server.reply.chunks = 3
    app.server.queue(Fault.cut(after=2))
    app.send("cut me")
    app.wait_reply_done()
    reply = app.store.messages(app.window.conversation_id)[-1]
    assert (reply.text, reply.status) == ("abcd", MessageStatus.FAILED)
    assert "abcd" in app.view_text()


def test_retry_on_an_earlier_failed_reply_starts_a_branch_and_keeps_later_turns(app):
    app.server.queue(Fault.http(500, headers={"retry-after-ms": "5"}), times=4)
    app.send("fails")
    app.wait_reply_done()
    app.server.reply.text = "later answer"
    app.send("later question")
    app.wait_reply_done()
    app.server.reply.text = "retried answer"

    app.click_link("Retry")
    app.wait_text("retried answer")
    app.wait_reply_done()

    assert stored(app, app.window.conversation_id) == [
        (Role.USER, "fails", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "retried answer", MessageStatus.COMPLETE),
    ]
    assert "later answer" not in app.view_text()
    kept = everything_stored(app, app.window.conversation_id)
    assert "later question" in kept and "later answer" in kept
