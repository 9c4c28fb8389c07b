"""A reply's tool calls in the view: folded lines where the model stopped, unfolding to
plain arguments and results, pictures decoded within limits, the step-limit note; and the
same while the reply streams (written again at each tool event, the text going on after)."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage

from desktopchat.domain.tool_calls import (
    LoopEnd,
    ToolCall,
    ToolCallStatus,
    ToolStep,
    ToolSteps,
)
from desktopchat.domain.tools import ToolOutput, ToolPart
from desktopchat.domain.types import MessageStatus
from desktopchat.services.tool_loop import ToolApprovalRequested
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.transcript.tool_blocks import SHOWN_CHARS, decode_picture
from tests.ui.transcript.test_chat_view import anchors, click_link, reply, stream, user

HOSTILE = '<b>bold</b> <img src="file:///etc/passwd"> <a href="http://evil">x</a>'


@pytest.fixture
def view(qtbot):
    widget = ChatView(open_url=lambda url: None)
    widget.resize(800, 600)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def done(call_id="c1", server="echo", tool="echo", text="héllo", **fields) -> ToolCall:
    return ToolCall(
        call_id,
        f"{server}__{tool}",
        server,
        tool,
        '{"text": "héllo"}',
        status=ToolCallStatus.DONE,
        duration=1.234,
        output=ToolOutput((ToolPart("text", text=text),)),
        **fields,
    )


def with_steps(text: str, *steps: ToolStep, end: LoopEnd | None = None):
    return reply(2, text, tool_steps=ToolSteps(steps, end))


def png(width: int, height: int) -> str:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return base64.b64encode(bytes(data)).decode()


def test_a_call_is_a_folded_line_where_the_model_stopped(view):
    message = with_steps("Checking. Done.", ToolStep(len("Checking."), (done(),)))
    view.show_conversation([user(1, "Q"), message])
    text = view.toPlainText()
    assert text.index("Checking.") < text.index("⚙ echo · echo — 1.2 s ✓") < text.index("Done.")
    assert "héllo" not in text, "folded"


def test_unfolded_it_shows_the_arguments_and_result_as_plain_text(qtbot, view):
    call = done(server="<i>srv</i>", tool="<b>t</b>", text=HOSTILE)
    view.show_conversation([user(1, "Q"), with_steps("", ToolStep(0, (call,)))])
    click_link(qtbot, view, "dc-action:tool/2/0")
    text = view.toPlainText()
    assert "⚙ <i>srv</i> · <b>t</b>" in text
    assert HOSTILE in text and '"text": "héllo"' in text
    assert not [h for _, h in anchors(view) if "evil" in h or h.startswith("file:")]
    click_link(qtbot, view, "dc-action:tool/2/0")
    assert HOSTILE not in view.toPlainText()


def test_a_long_result_is_capped_with_show_all(qtbot, view):
    call = done(text="z" * (SHOWN_CHARS + 500))
    view.show_conversation([user(1, "Q"), with_steps("", ToolStep(0, (call,)))])
    click_link(qtbot, view, "dc-action:tool/2/0")
    assert "500 more characters, kept in the history" in view.toPlainText()
    click_link(qtbot, view, "dc-action:tool_all/2/0")
    assert "more characters" not in view.toPlainText()
    assert view.toPlainText().replace("\u200b", "").count("z") == SHOWN_CHARS + 500


def test_states_are_said_in_words_and_the_step_limit_is_a_note(view):
    calls = (
        done("a"),
        ToolCall("b", "x__y", "x", "y", "{}", status=ToolCallStatus.DENIED, reason="no"),
        ToolCall("c", "x__z", "x", "z", "{}", status=ToolCallStatus.FAILED, error_message="boom"),
        ToolCall("d", "x__w", "x", "w", "{}", status=ToolCallStatus.CANCELLED),
    )
    message = with_steps("", ToolStep(0, calls), end=LoopEnd.STEP_LIMIT)
    view.show_conversation([user(1, "Q"), message])
    text = view.toPlainText()
    for words in ("x · y — denied", "x · z — failed", "x · w — stopped"):
        assert words in text
    assert "stopped at the limit of tool call rounds (1). Send a message" in text


def test_pictures_are_decoded_within_limits_and_scaled(qtbot, view):
    assert decode_picture(png(2000, 1000), "image/png").width() == 480
    assert decode_picture(png(10, 10), "image/png").size().width() == 10
    assert decode_picture("not base64!", "image/png") is None
    assert decode_picture(png(10, 10), "text/html") is None
    assert decode_picture(base64.b64encode(b"\x89PNG broken").decode(), "image/png") is None
    picture = ToolPart("image", mime_type="image/png", data=png(40, 20))
    call = replace(done(), output=ToolOutput((picture,)))
    view.show_conversation([user(1, "Q"), with_steps("", ToolStep(0, (call,)))])
    click_link(qtbot, view, "dc-action:tool/2/0")
    assert "\ufffc" in view.toPlainText().split("Result")[1]


def test_a_streaming_reply_shows_its_step_then_goes_on_after_it(qtbot, view):
    view.show_conversation([user(1, "Q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    stream(view, 2, "Let me look.")
    asking = ToolCall("c1", "echo__echo", "echo", "echo", '{"text": "hi"}')
    view.show_tool_step(2, ToolStep(len("Let me look."), (asking,)))
    assert "echo · echo — waiting for your answer" in view.toPlainText()
    view.ask_tool(
        ToolApprovalRequested(2, 7, asking, '{\n  "text": "hi"\n}', "<b>desc</b>", {}),
        take_focus=False,
    )
    (card,) = view.tool_cards().values()
    qtbot.waitUntil(card.isVisible)
    assert card.description.text() == "<b>desc</b>"
    assert card.description.textFormat() == Qt.TextFormat.PlainText
    decided = []
    view.tool_decided.connect(lambda *args: decided.append(args))
    card.deny.click()
    qtbot.keyClicks(card.reason, "nope")
    qtbot.keyClick(card.reason, Qt.Key.Key_Return)
    assert decided and decided[0][2] == "nope"
    assert not view.tool_cards()
    running = replace(asking, status=ToolCallStatus.DENIED, reason="nope")
    view.show_tool_call(2, running)
    stream(view, 2, " It was denied.")
    qtbot.waitUntil(lambda: "It was denied." in view.toPlainText())
    text = view.toPlainText()
    assert text.index("Let me look.") < text.index("— denied") < text.index("It was denied.")
    assert view.message_text(2) == "Let me look. It was denied."
    final = with_steps("Let me look. It was denied.", ToolStep(len("Let me look."), (running,)))
    view.finish_reply(final)
    assert view.toPlainText().count("— denied") == 1
