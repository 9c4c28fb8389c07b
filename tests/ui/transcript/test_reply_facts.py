"""What a reply says about itself: the model that answered, where its price came from,
whether it is left out (dimmed), and a copy-only view for replies shown on their own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QToolTip

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import MessageStatus, Usage
from desktopchat.ui.compare.column import CompareColumn
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.transcript.message_footer import cost_source_text
from tests.ui.transcript.test_chat_view import hrefs, reply, user


def make_view(qtbot, **options) -> ChatView:
    widget = ChatView(open_url=lambda url: None, **options)
    widget.resize(700, 500)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def header(view: ChatView, message_id: int) -> str:
    return view._conversation.frames[message_id].firstCursorPosition().block().text()


def test_the_label_says_which_version_answered(qtbot):
    view = make_view(qtbot)
    served = reply(2, "Hi", served_model="mistral-large-2411")
    view.show_conversation([user(1, "Q"), served])
    assert header(view, 2) == "test-model → mistral-large-2411"
    view.update_message(reply(2, "Hi", served_model="test-model"))
    assert header(view, 2) == "test-model"


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("reported", "reported by the service"),
        ("listed", "price from OpenRouter"),
        ("yours", "your price"),
        ("local", "local: free"),
        (None, ""),
    ],
)
def test_cost_sources_in_words(qtbot, source, words):
    assert cost_source_text(source) == words


def test_table_source_names_its_date(qtbot):
    text = cost_source_text("table 2025-11-24")
    assert text.startswith("price from the bundled table of ")
    assert "2025" in text and "24" in text


def test_the_cost_tooltip_says_where_the_price_came_from(qtbot):
    view = make_view(qtbot)
    usage = Usage(10, 20, cost=0.5, cost_source="yours")
    view.show_conversation([user(1, "Q"), reply(2, "Hi", usage=usage)])
    footer = view._conversation.frames[2].lastCursorPosition().block()
    start = footer.position() + footer.text().index("$") + 1
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    view.viewportEvent(event)
    assert "your price" in QToolTip.text()
    assert QToolTip.text().startswith("<")  # shown as plain (escaped) text


def test_estimated_usage_is_marked_so_in_the_footer(qtbot):
    # A server that reports no usage (llama.cpp): the app's estimate is never shown as a
    # count the server gave.
    view = make_view(qtbot)
    estimate, count = Usage(10, 20, estimated=True), Usage(10, 20)
    view.show_conversation(
        [user(1, "Q"), reply(2, "Hi", usage=estimate), user(3, "Q"), reply(4, "Hi", usage=count)]
    )
    estimated = view._conversation.frames[2].lastCursorPosition().block().text()
    reported = view._conversation.frames[4].lastCursorPosition().block().text()
    assert "≈10 tokens in" in estimated and "≈20 tokens out" in estimated
    assert "estimated" in estimated
    assert "≈" not in reported and "estimated" not in reported


def darkest(view: ChatView, message_id: int) -> int:
    """The darkest pixel of a message's text on screen."""
    frame = view._conversation.frames[message_id]
    rect = view.document().documentLayout().frameBoundingRect(frame).toRect()
    rect.translate(0, -view.verticalScrollBar().value())
    image = view.viewport().grab(rect).toImage()
    return min(
        image.pixelColor(x, y).lightness()
        for x in range(image.width())
        for y in range(image.height())
    )


def test_a_left_out_message_is_dimmed_and_labelled(qtbot):
    shown, left_out = make_view(qtbot), make_view(qtbot)
    shown.show_conversation([user(1, "Q"), reply(2, "Some words to see.")])
    left_out.show_conversation([user(1, "Q"), reply(2, "Some words to see.", left_out=True)])
    assert "Not sent" in left_out._conversation.frames[2].lastCursorPosition().block().text()
    assert darkest(left_out, 2) > darkest(shown, 2) + 40


def test_copy_only_offers_nothing_but_copy(qtbot):
    view = make_view(qtbot, copy_only=True)
    view.show_conversation([user(1, "Q"), reply(2, "Hi\n\n```\ncode\n```")], siblings={2: (2, 3)})
    assert hrefs(view) == {"dc-action:copy/1", "dc-action:copy/2", "dc-action:copy_code/2/0"}
    failed = reply(3, "", status=MessageStatus.FAILED)
    view.fail_reply(failed, ChatError(ErrorKind.AUTH))
    assert not any("retry" in href or "settings" in href for href in hrefs(view))


def test_a_comparison_column_shows_only_copy(qtbot):
    column = CompareColumn("model")
    qtbot.addWidget(column)
    column.begin(reply(2, "", status=MessageStatus.STREAMING))
    column.finish(reply(2, "Done"))
    assert hrefs(column.view) == {"dc-action:copy/2"}


def test_a_comparison_column_marks_estimated_tokens(qtbot):
    column = CompareColumn("model")
    qtbot.addWidget(column)
    column.begin(reply(2, "", status=MessageStatus.STREAMING))
    column.finish(reply(2, "Done", usage=Usage(10, 20, estimated=True)))
    assert "≈10 tokens in" in column.status.text()
    assert "≈20 tokens out" in column.status.text()
