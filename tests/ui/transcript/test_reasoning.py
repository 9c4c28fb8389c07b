"""A reply's thinking: folded above its text, unfolded on click or Enter, streamed when open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktopchat.domain.types import MessageStatus, Reasoning
from desktopchat.ui.transcript.chat_view import ChatView
from tests.ui.transcript.test_chat_view import click_link, hrefs, reply, stream, user

TOGGLE = "dc-action:reasoning/2"


@pytest.fixture
def view(qtbot):
    widget = ChatView(open_url=lambda url: None)
    widget.resize(700, 500)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def section(view: ChatView, message_id: int) -> str:
    """The text between a message's header line and its content (its reasoning section)."""
    conversation = view._conversation
    cursor = QTextCursor(view.document())
    cursor.setPosition(conversation.header_end(message_id))
    cursor.setPosition(conversation.content_start(message_id), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selection().toPlainText().replace("\ufffc", "").strip()


def content(view: ChatView, message_id: int) -> str:
    """The rendered text of a message after its reasoning, up to its footer."""
    conversation = view._conversation
    cursor = QTextCursor(view.document())
    cursor.setPosition(conversation.content_start(message_id))
    cursor.setPosition(conversation.content_end(message_id), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selection().toPlainText()


def thought(text: str = "Weigh the options.\nPick one.", seconds: float | None = 12.4):
    return reply(2, "The answer.", reasoning=Reasoning(text, seconds=seconds))


def test_reasoning_is_folded_above_the_text_and_says_how_long(qtbot, view):
    view.show_conversation([user(1, "Q"), thought()])
    assert section(view, 2) == "Thought for 12 s"
    assert TOGGLE in hrefs(view)
    assert content(view, 2).strip() == "The answer."


def test_clicking_the_line_unfolds_and_folds_it(qtbot, view):
    view.show_conversation([user(1, "Q"), thought()])
    click_link(qtbot, view, TOGGLE)
    assert section(view, 2) == "Thought for 12 s\nWeigh the options.\nPick one."
    assert content(view, 2).strip() == "The answer."
    click_link(qtbot, view, TOGGLE)
    assert section(view, 2) == "Thought for 12 s"


def test_enter_on_the_focused_line_unfolds_it(qtbot, view):
    view.show_conversation([user(1, "Q"), thought()])
    view.setFocus()
    for _ in range(20):  # Tab through the links to the thinking's line
        if view.textCursor().charFormat().anchorHref() == TOGGLE:
            break
        view.focusNextPrevChild(True)
    assert view.textCursor().charFormat().anchorHref() == TOGGLE
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert "Pick one." in section(view, 2)


def test_unknown_duration_and_reasoning_only_reply(qtbot, view):
    only = reply(2, "", reasoning=Reasoning("Just thoughts.", seconds=None))
    view.show_conversation([user(1, "Q"), only])
    assert section(view, 2) == "Thoughts\nJust thoughts."


def test_reasoning_is_inert_text(qtbot, view):
    hostile = "<img src='file:///etc/passwd'> **not bold** [link](https://example.com)"
    view.show_conversation([user(1, "Q"), reply(2, "", reasoning=Reasoning(hostile))])
    assert hostile in section(view, 2)
    assert "https://example.com" not in hrefs(view)


def test_streamed_thinking_appends_to_an_open_section_without_re_rendering(qtbot, view):
    view.show_conversation([user(1, "Q")])
    streaming = reply(2, "", status=MessageStatus.STREAMING)
    view.begin_reply(streaming)
    view.append_reasoning(2, "First ")
    qtbot.waitUntil(lambda: section(view, 2) == "Thinking…")
    click_link(qtbot, view, TOGGLE)
    assert section(view, 2) == "Thinking…\nFirst"
    line = view.document().findBlock(view._conversation.header_end(2) + 1)
    view.append_reasoning(2, "thought.\nSecond thought.")
    qtbot.waitUntil(lambda: "Second thought." in section(view, 2))
    assert view.document().findBlock(view._conversation.header_end(2) + 1) == line  # kept
    stream(view, 2, "Some **text** after.")
    qtbot.waitUntil(lambda: "after" in content(view, 2))
    assert section(view, 2) == "Thoughts\nFirst thought.\nSecond thought."
    done = reply(2, "Some **text** after.", reasoning=Reasoning("First thought.\n", seconds=3))
    view.finish_reply(done)
    assert section(view, 2) == "Thought for 3 s\nFirst thought."
    assert content(view, 2).strip() == "Some text after."


def test_folded_thinking_while_streaming_is_shown_whole_when_opened(qtbot, view):
    view.show_conversation([user(1, "Q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    view.append_reasoning(2, "a\nb")
    view.append_delta(2, "Text")
    qtbot.waitUntil(lambda: "Text" in content(view, 2))
    assert section(view, 2) == "Thoughts"
    click_link(qtbot, view, TOGGLE)
    assert section(view, 2) == "Thoughts\na\nb"
    view.finish_reply(reply(2, "Text"))  # stored without reasoning: what streamed stays
    assert section(view, 2) == "Thoughts\na\nb"
