"""A reply's thinking through the whole window: streamed from the wire server into the
conversation on screen, folded, and kept with the stored reply; a picture sent shows as a
thumbnail read from the history."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from desktopchat.ui.transcript.actions import MessageAction
from tests.ui.transcript.test_attachments_shown import thumbnails
from tests.ui.transcript.test_chat_view import click_link
from tests.wire_server import Fault


def test_thinking_streams_into_the_conversation_on_screen(app):
    app.server.reply.reasoning = "Consider the map.\nParis it is."
    app.server.reply.text = "Paris."
    app.server.queue(Fault.stall(3.0, after=1))
    app.send("Capital of France?")
    app.wait_text("Thinking…", timeout=10000)  # only the streamed thinking puts this on screen
    app.wait_reply_done()
    app.wait_text("Paris.")
    reply = app.store.thread(app.window.conversation_id).messages[-1]
    assert reply.reasoning is not None and reply.reasoning.text == "Consider the map.\nParis it is."
    assert "Consider the map." not in app.view_text()  # folded
    click_link(app.qtbot, app.window.chat_view, f"dc-action:{MessageAction.REASONING}/{reply.id}")
    assert "Consider the map.\nParis it is." in app.view_text()


def test_a_picture_sent_shows_as_a_thumbnail(app):
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    app.window.composer.tray.add_image(image, "orange.png")
    app.qtbot.waitUntil(lambda: len(app.window.composer.attachments()) == 1, timeout=10000)
    app.send("What colour?")
    app.wait_reply_done()
    view = app.window.chat_view
    app.qtbot.waitUntil(lambda: len(thumbnails(view)) == 1, timeout=5000)
