"""Attachments through the whole window: dropped on the window, sent with the message to
the wire server, stored, and refused before sending for a text-only model."""

from __future__ import annotations

import base64

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QColor, QImage

from desktopchat.domain.types import AttachmentKind
from tests.ui.composer.test_attachment_tray import drop
from tests.wire_server import ModelSpec


def test_a_file_dropped_on_the_window_goes_with_the_message(app, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("The meeting moved to Thursday.")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    drop(app.window.chat_view.viewport(), mime)
    composer = app.window.composer
    app.qtbot.waitUntil(lambda: len(composer.attachments()) == 1, timeout=10000)
    image = QImage(20, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    composer.tray.add_image(image, "orange.png")
    app.qtbot.waitUntil(lambda: len(composer.attachments()) == 2, timeout=10000)

    app.send("When is it?")
    app.wait_reply_done()

    content = app.server.last_request.body["messages"][-1]["content"]
    assert content[0] == {
        "type": "text",
        "text": '<file name="notes.md">\nThe meeting moved to Thursday.\n</file>',
    }
    assert content[1]["image_url"]["url"].startswith("data:image/png;base64,")
    png = base64.b64decode(content[1]["image_url"]["url"].split(",", 1)[1])
    assert QImage.fromData(png).size().width() == 20
    assert content[2] == {"type": "text", "text": "When is it?"}
    assert composer.tray.is_empty()
    question = app.store.thread(app.window.conversation_id).messages[0]
    assert [(a.name, a.kind) for a in question.attachments] == [
        ("notes.md", AttachmentKind.DOCUMENT),
        ("orange.png", AttachmentKind.IMAGE),
    ]


def test_images_are_refused_before_sending_to_a_text_only_model(make_app, wire_server):
    wire_server.models = [ModelSpec("gpt-3.5-turbo")]  # an OpenAI family that reads text only
    app = make_app(last_model="gpt-3.5-turbo")
    assert app.window.picker.current_model_id() == "gpt-3.5-turbo"
    image = QImage(20, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    app.window.composer.tray.add_image(image, "orange.png")
    app.qtbot.waitUntil(lambda: "pick a vision model" in app.send_button.toolTip(), timeout=5000)
    assert not app.send_button.isEnabled()
    requests = len(app.server.requests)
    app.send("What is this?")
    assert len(app.server.requests) == requests, "nothing was sent"
