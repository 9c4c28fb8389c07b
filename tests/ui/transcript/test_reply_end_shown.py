"""Under a reply that stopped short, its footer says why and what to do, in plain words
(the limit sent in the person's number format); a reply that ended normally says nothing."""

from __future__ import annotations

import pytest

from desktopchat.domain.reply_end import EndKind, ReplyEnd
from desktopchat.domain.types import MessageStatus
from tests.ui.transcript.test_chat_view import reply, user
from tests.ui.transcript.test_reply_facts import make_view

CUT_WORDS = (
    "Cut off at the length limit (4,096 tokens). Raise Longest answer in the side panel,"
    " then regenerate."
)


def footer(view, message_id: int) -> str:
    return view._conversation.frames[message_id].lastCursorPosition().block().text()


@pytest.mark.parametrize(
    ("end", "words"),
    [
        (ReplyEnd(EndKind.CUT_AT_LIMIT, 4096), CUT_WORDS),
        (
            ReplyEnd(EndKind.CUT_AT_LIMIT),
            "Cut off at the length limit. Raise Longest answer in the side panel, then regenerate.",
        ),
        (
            ReplyEnd(EndKind.CUT_AT_CONTEXT),
            "Cut off: the conversation filled the model's context window.",
        ),
        (
            ReplyEnd(EndKind.PAUSED),
            "Claude paused a long search here; regenerate or ask it to continue.",
        ),
        (ReplyEnd(EndKind.FILTERED), "The provider's content filter stopped this reply."),
    ],
)
def test_each_end_is_said_under_the_reply(qtbot, english, end, words):
    view = make_view(qtbot)
    view.show_conversation([user(1, "Q"), reply(2, "Once upon a", reply_end=end)])
    assert footer(view, 2).endswith(words)


def test_a_normal_end_says_nothing_and_the_words_follow_a_finished_stream(qtbot, english):
    view = make_view(qtbot)
    streaming = reply(2, "", status=MessageStatus.STREAMING)
    view.show_conversation([user(1, "Q"), streaming])
    view.append_delta(2, "Once upon a")
    view.finish_reply(reply(2, "Once upon a"))
    assert "Cut off" not in view.toPlainText()
    view.finish_reply(reply(2, "Once upon a", reply_end=ReplyEnd(EndKind.CUT_AT_LIMIT, 4096)))
    assert footer(view, 2).endswith(CUT_WORDS)
    assert view.toPlainText().count("Cut off") == 1
