"""Long unbroken words in the transcript (long_words.py): Qt lays a word of n characters
out in O(n²), so the displayed document gets a break opportunity every BREAK_EVERY
characters of a long run, whichever way the text arrives (reopened, streamed as prose or
as code, in a compare column), and nothing copied holds one.

Timings are measured by a script (before/after in the commit); here the property that
makes the layout linear is checked: no run in the document longer than BREAK_EVERY, and
a streamed word is never rendered again whole at each flush (its tail stays bounded).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QGuiApplication

from desktopchat.domain.types import MessageStatus
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.transcript.long_words import (
    BREAK,
    BREAK_EVERY,
    with_breaks,
    with_breaks_after,
    without_breaks,
)
from desktopchat.ui.transcript.reply_stream import LONG_TAIL
from desktopchat.ui.transcript.streaming import FLUSH_MAX_CHARS
from tests.ui.transcript.test_chat_view import click_link, content, reply, user

WORD = "".join(chr(ord("a") + i % 26) for i in range(30_000))
_RUN = re.compile(rf"[^\s{BREAK}]+")

TEXTS = {  # the Markdown, and the part of it that is shown as written
    "word": (WORD, WORD),
    "prose then word": ("Here it is: " + WORD + " and the end.", WORD + " and the end."),
    "bold word": ("**" + WORD[:5000] + "**", WORD[:5000]),
    "link": (f"[{WORD[:5000]}](https://example.com/{WORD[:3000]})", WORD[:5000]),
    "inline code": ("`" + WORD[:5000] + "`", WORD[:5000]),
    "code block": ("```\n" + WORD[:5000] + "\n```", WORD[:5000]),
    "base64": ("data " + "QUJD+/==" * 2000, "QUJD+/==" * 2000),
}


def longest_run(text: str) -> int:
    return max((len(run) for run in _RUN.findall(text)), default=0)


@pytest.fixture
def view(qtbot):
    widget = ChatView()
    widget.resize(700, 500)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_with_breaks_is_only_breaks_added():
    for text, _ in TEXTS.values():
        broken = with_breaks(text)
        assert without_breaks(broken) == text
        assert longest_run(broken) <= BREAK_EVERY


@pytest.mark.parametrize("name", TEXTS)
def test_a_reopened_message_has_no_run_longer_than_a_break(view, name):
    source, visible = TEXTS[name]
    view.show_conversation([reply(1, source)])
    shown = content(view, 1)
    assert longest_run(shown) <= BREAK_EVERY
    assert visible in without_breaks(shown)


@pytest.mark.parametrize("copy_only", [False, True], ids=["conversation", "compare column"])
def test_a_copied_selection_is_the_original_text(qtbot, copy_only):
    view = ChatView(copy_only=copy_only)
    qtbot.addWidget(view)
    view.show_conversation([user(1, WORD), reply(2, "Before " + WORD + " after")])
    view.selectAll()
    copied = view.createMimeDataFromSelection()
    assert BREAK not in copied.text() and BREAK not in copied.html()
    assert WORD in copied.text() and "Before " + WORD + " after" in copied.text()


def test_copy_code_gives_the_long_line_as_written(qtbot, view):
    view.show_conversation([reply(3, "```\n" + WORD[:5000] + "\n```")])
    click_link(qtbot, view, "dc-action:copy_code/3/0")
    assert QGuiApplication.clipboard().text() == WORD[:5000]


@pytest.mark.parametrize(
    "text", [WORD * 2, "Intro.\n\n```text\n" + WORD + "\n```\n"], ids=["prose", "code"]
)
def test_a_streamed_word_is_broken_and_not_rendered_again_whole(qtbot, view, text):
    """Prose is cut in a long word (the tail stays bounded); a code line that can no
    longer be the closing fence grows in place, broken as if it had come whole."""
    view.show_conversation([user(1, "q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    streamed = view._streaming.streams[2]
    tails, tentative = [], []
    for start in range(0, len(text), FLUSH_MAX_CHARS):
        view.append_delta(2, text[start : start + FLUSH_MAX_CHARS])
        qtbot.waitUntil(lambda: not streamed.has_pending)
        if streamed._code is None:
            tails.append(len(streamed._shown) - streamed._stable_end)
        else:
            tentative.append(streamed._code.tentative_length)
    assert max(tails) <= LONG_TAIL + FLUSH_MAX_CHARS
    assert max(tentative, default=0) <= BREAK_EVERY
    assert longest_run(content(view, 2)) <= BREAK_EVERY
    view.finish_reply(reply(2, text))
    shown = content(view, 2)  # a long reply is finished in place: pieces stay as they were
    assert longest_run(shown) <= BREAK_EVERY
    assert WORD in without_breaks(shown).replace("\n", "").replace("\u2029", "")


@pytest.mark.parametrize("size", [1, 7, 119, 120, 121, 500])
def test_a_line_appended_in_pieces_is_broken_as_if_whole(size):
    line = "short words " + WORD[:3000] + " then " + WORD[:250] + " end"
    shown, run = "", 0
    for start in range(0, len(line), size):
        piece, run = with_breaks_after(line[start : start + size], run)
        shown += piece
    assert without_breaks(shown) == line
    assert longest_run(shown) <= BREAK_EVERY
    assert run == len("end")
    assert with_breaks_after("short words", 0)[0] == "short words"  # nothing put in prose


@pytest.mark.parametrize("piece", [7, 100])
def test_a_code_line_streamed_in_small_pieces_still_wraps(qtbot, view, piece):
    """Each piece is flushed on its own, so none is longer than a break's distance."""
    text = "```text\n" + WORD[:5000]
    view.show_conversation([user(1, "q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    streamed = view._streaming.streams[2]
    for start in range(0, len(text), piece):
        view.append_delta(2, text[start : start + piece])
        qtbot.waitUntil(lambda: not streamed.has_pending)
    shown = content(view, 2)
    assert longest_run(shown) <= BREAK_EVERY
    assert WORD[:5000] in without_breaks(shown)
