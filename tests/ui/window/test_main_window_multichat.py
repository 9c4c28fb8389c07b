"""Several chats at once: each conversation streams its own reply while others do, the
window shows each one's live text when it is on screen, Stop and Esc act on the one on
screen, the sidebar marks those replying, and quitting saves every reply as interrupted."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktopchat.app.lifetime import shut_down
from desktopchat.domain.types import MessageStatus, Role
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.system.paths import app_paths

FIRST = "alpha beta gamma delta epsilon zeta eta theta"
SECOND = "one two three four five six seven eight"


def start_stream(app, question: str, text: str, *, tokens_per_second: float | None = 6) -> int:
    """Send `question` in a new chat, the wire server answering `text` a word per delta, and
    wait until its first word is on screen; returns the conversation's id."""
    app.window.show_new_chat()
    app.server.reply.text = text
    app.server.reply.chunks = len(text.split())
    app.server.reply.tokens_per_second = tokens_per_second
    app.send(question)
    first_word = text.split()[0]
    app.qtbot.waitUntil(lambda: first_word in app.view_text(), timeout=5000)
    return app.window.conversation_id


def start_two(app) -> tuple[int, int]:
    first = start_stream(app, "First question", FIRST)
    second = start_stream(app, "Second question", SECOND)
    assert app.controller.is_streaming(first) and app.controller.is_streaming(second)
    return first, second


def stored_reply(app, conversation_id: int):
    reply = app.store.messages(conversation_id)[-1]
    assert reply.role is Role.ASSISTANT
    return reply


def test_two_conversations_stream_at_once_and_both_replies_are_stored_whole(app):
    first, second = start_two(app)

    app.wait_reply_done(timeout=15_000)

    for conversation_id, text in ((first, FIRST), (second, SECOND)):
        reply = stored_reply(app, conversation_id)
        assert reply.status is MessageStatus.COMPLETE
        assert reply.text.split() == text.split()
    assert SECOND.split()[-1] in app.view_text() and "alpha" not in app.view_text()


def test_switching_between_two_streaming_conversations_shows_each_ones_live_text(app):
    first, second = start_two(app)
    assert "alpha" not in app.view_text()

    app.open_conversation("First question")
    app.wait_text("alpha")  # what arrived so far, painted with the next batch
    assert app.view_text().count("alpha") == 1
    assert "one" not in app.view_text()
    assert app.stop_button.isVisible()
    app.wait_text("theta", timeout=15_000)  # the rest arrives here, on screen

    app.open_conversation("Second question")
    app.wait_text("eight", timeout=15_000)
    assert "alpha" not in app.view_text()
    assert app.view_text().count("one") == 1
    app.wait_reply_done(timeout=15_000)
    assert stored_reply(app, first).status is MessageStatus.COMPLETE
    assert stored_reply(app, second).status is MessageStatus.COMPLETE


def test_esc_stops_only_the_reply_on_screen_and_the_other_streams_on(app):
    first, second = start_two(app)

    app.qtbot.keyClick(app.composer, Qt.Key.Key_Escape)
    app.qtbot.waitUntil(lambda: not app.controller.is_streaming(second), timeout=5000)

    assert app.controller.is_streaming(first)
    assert stored_reply(app, second).status is MessageStatus.INTERRUPTED
    assert "Interrupted" in app.view_text()
    assert app.send_button.isVisible() and not app.stop_button.isVisible()

    app.open_conversation("First question")
    assert app.stop_button.isVisible() and not app.send_button.isVisible()
    app.wait_reply_done(timeout=15_000)
    reply = stored_reply(app, first)
    assert reply.status is MessageStatus.COMPLETE and reply.text.split() == FIRST.split()
    assert app.send_button.isVisible()


def test_a_conversation_can_send_while_another_streams_but_not_twice_at_once(app):
    first = start_stream(app, "First question", FIRST)
    assert not app.controller.send(first, "again")  # its own reply still streams

    app.window.show_new_chat()
    assert app.send_button.isVisible()  # a new chat is not the one replying
    app.server.reply.tokens_per_second = None
    app.server.reply.text = "Quick answer."
    app.send("Meanwhile")
    app.wait_text("Quick answer.")
    assert app.controller.is_streaming(first)
    app.wait_reply_done(timeout=15_000)


def sidebar_row(app, title: str):
    model = app.conversation_list.model()
    return model.index(app.sidebar_titles().index(title), 0)


def test_the_sidebar_marks_the_conversations_replying_until_they_end(app):
    first, second = start_two(app)
    sidebar = app.window.sidebar
    assert sidebar.is_marked_streaming(first) and sidebar.is_marked_streaming(second)
    row = sidebar_row(app, "First question")
    assert row.data(Qt.ItemDataRole.AccessibleDescriptionRole) == "replying"
    app.conversation_list.viewport().repaint()  # the marker paints

    app.window.stop_reply()  # the second, on screen
    app.qtbot.waitUntil(lambda: not sidebar.is_marked_streaming(second), timeout=5000)
    assert sidebar.is_marked_streaming(first)

    app.wait_reply_done(timeout=15_000)
    assert not sidebar.is_marked_streaming(first)
    assert not sidebar_row(app, "First question").data(Qt.ItemDataRole.AccessibleDescriptionRole)


def test_quitting_with_two_replies_streaming_saves_both_as_interrupted(app):
    first, second = start_two(app)

    app.window.close()
    app.run(app.controller.wait_stopped())  # the first step of shut_down()

    for conversation_id, text in ((first, FIRST), (second, SECOND)):
        reply = stored_reply(app, conversation_id)
        assert reply.status is MessageStatus.INTERRUPTED
        assert reply.text.startswith(text.split()[0])
        assert not reply.text.endswith(text.split()[-1])


def test_quitting_during_a_reply_at_full_speed_leaves_it_interrupted_never_streaming(make_app):
    """The whole shut-down, history closed, while deltas pour in as fast as they are read."""
    app = make_app()
    flood = "word " * 200_000
    first = start_stream(app, "First question", flood, tokens_per_second=None)
    second = start_stream(app, "Second question", flood, tokens_per_second=None)
    assert app.controller.is_streaming(first) and app.controller.is_streaming(second)

    app.window.close()
    app.run(shut_down(app.services), timeout=15_000)

    db, problem = open_database(app_paths().database)
    try:
        assert problem is None
        for conversation_id in (first, second):
            reply = ConversationStore(db).messages(conversation_id)[-1]
            assert reply.status is MessageStatus.INTERRUPTED
            assert reply.text.startswith("word")
    finally:
        db.close()
