"""A reply's thinking: folded above its text, unfolded on click or Enter, streamed when open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QTextCursor

from desktopchat.domain.types import MessageStatus, Reasoning
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.transcript.long_words import BREAK, without_breaks
from desktopchat.ui.transcript.reasoning_section import SHOWN_HEAD, SHOWN_TAIL
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


# --- bounded (hostile finding 30: 16 MiB shown open, one block per line, took 1.2 GB) ---

MANY_LINES = "".join(f"step {index}\n" for index in range(60_000))  # ~600,000 characters


def section_blocks(view: ChatView, message_id: int) -> int:
    return view._conversation.reasoning._blocks[message_id]


def test_long_thinking_shown_open_is_its_head_and_tail(qtbot, view):
    view.show_conversation([user(1, "Q"), thought(MANY_LINES)])
    click_link(qtbot, view, TOGGLE)
    shown = section(view, 2)
    assert shown.startswith("Thought for 12 s\nstep 0\nstep 1\n")
    assert shown.endswith("step 59999")
    left_out = len(MANY_LINES) - SHOWN_HEAD - SHOWN_TAIL
    count = QLocale().toString(left_out)
    assert f"… {count} characters of thinking not shown here (export has all) …" in shown
    assert len(shown) < SHOWN_HEAD + SHOWN_TAIL + 200
    assert section_blocks(view, 2) < (SHOWN_HEAD + SHOWN_TAIL) // 5


def test_long_streamed_thinking_stops_at_the_head(qtbot, view):
    view.show_conversation([user(1, "Q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    view.append_reasoning(2, "First ")
    qtbot.waitUntil(lambda: section(view, 2) == "Thinking…")
    click_link(qtbot, view, TOGGLE)
    for start in range(0, len(MANY_LINES), 50_000):
        view.append_reasoning(2, MANY_LINES[start : start + 50_000])
        qtbot.wait(1)
    qtbot.waitUntil(lambda: "more thinking, not shown here" in section(view, 2))
    assert len(section(view, 2)) < SHOWN_HEAD + 200
    view.finish_reply(reply(2, "Done.", reasoning=Reasoning("First " + MANY_LINES, seconds=3)))
    assert section(view, 2).endswith("step 59999")
    assert len(section(view, 2)) < SHOWN_HEAD + SHOWN_TAIL + 200


def test_a_long_word_in_the_thinking_is_broken(qtbot, view):
    word = "x" * 20_000
    view.show_conversation([user(1, "Q"), thought(word)])
    click_link(qtbot, view, TOGGLE)
    assert without_breaks(section(view, 2)) == "Thought for 12 s\n" + word
    assert BREAK in section(view, 2)
