"""The context estimate, and which turns to leave out or summarise when it does not fit."""

from __future__ import annotations

import pytest

from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    Message,
    MessageStatus,
    Role,
    Usage,
)
from desktopchat.services.context import (
    IMAGE_TOKENS,
    SHORTENED_MARK,
    SUMMARY_INSTRUCTION,
    SummaryWontFit,
    answer_room,
    estimate,
    oldest_to_leave_out,
    summary_turns,
)


def msg(id_, role, text, usage=None, left_out=False, attachments=(), status=None):
    return Message(
        id_,
        1,
        role,
        text,
        0.0,
        usage=usage,
        left_out=left_out,
        attachments=attachments,
        status=status or MessageStatus.COMPLETE,
    )


U, A = Role.USER, Role.ASSISTANT


def test_characters_make_tokens_four_to_one():
    path = [msg(1, U, "x" * 400), msg(2, A, "y" * 40)]
    result = estimate(path, draft="z" * 8, system_prompt="s" * 4, window=1000, reserve=100)
    assert (result.tokens, result.measured) == (100 + 10 + 2 + 1, False)
    assert result.fits and not result.warn


def test_reported_input_stands_for_everything_before_the_reply():
    path = [msg(1, U, "x" * 4000), msg(2, A, "y" * 40, usage=Usage(5000, 50)), msg(3, U, "q" * 4)]
    result = estimate(path, draft="d" * 4, window=10_000)
    assert (result.tokens, result.measured) == (5000 + 10 + 1 + 1, True)


def test_left_out_messages_do_not_count_and_the_estimate_falls_back_to_characters():
    path = [
        msg(1, U, "x" * 4000, left_out=True),
        msg(2, A, "y" * 40, usage=Usage(5000, 50)),
        msg(3, U, "q" * 4),
    ]
    result = estimate(path, window=10_000)
    assert (result.tokens, result.measured) == (10 + 1, False)


def test_attachments_count():
    image = Attachment(AttachmentKind.IMAGE, "a.png", "image/png", 10)
    doc = Attachment(AttachmentKind.DOCUMENT, "a.txt", "text/plain", 10, text="d" * 400)
    result = estimate([msg(1, U, "", attachments=(image, doc))])
    assert result.tokens == IMAGE_TOKENS + 100
    assert result.window is None and result.fits and result.fraction is None


def test_warning_past_eighty_percent_and_not_fitting_with_the_answer():
    path = [msg(1, U, "x" * 3200)]
    assert estimate(path, window=1000).warn
    assert not estimate(path, window=1000, reserve=300).fits
    assert estimate(path, window=1000, reserve=200).fits
    assert not estimate([msg(1, U, "x" * 2000)], window=1000, reserve=600).fits
    assert estimate([msg(1, U, "x" * 2000)], window=1000, reserve=600).warn, (
        "no room for the answer is a warning"
    )


def test_the_answer_never_fills_a_small_window_alone():
    assert answer_room(4096, 4096) == 512
    assert answer_room(4096, 128_000) == 4096
    assert answer_room(300, 4096) == 300
    assert answer_room(4096, None) == 4096
    hi = estimate([], draft="Hi there", window=4096, reserve=answer_room(4096, 4096))
    assert hi.fits and not hi.warn and hi.sendable


def test_a_request_is_refused_only_when_surely_over_the_window():
    over = estimate([msg(1, U, "x" * 14_000)], draft="more", window=2048)
    assert not over.sendable and over.tokens > 3_500
    assert estimate([msg(1, U, "x" * 8_600)], window=2048).sendable, "within the margin"
    assert estimate([msg(1, U, "x" * 100_000)]).sendable, "unknown window: sent"
    assert estimate([msg(1, U, "x" * 6_200)], window=2048).near_full
    assert not estimate([msg(1, U, "x" * 4_000)], window=2048).near_full


def test_replies_that_are_not_sent_do_not_count():
    failed = msg(2, A, "y" * 4000, status=MessageStatus.FAILED)
    assert estimate([msg(1, U, "x" * 40), failed], window=1000).tokens == 10


def test_the_oldest_whole_turns_are_left_out_until_it_fits():
    path = [
        msg(1, U, "a" * 400),
        msg(2, A, "b" * 400),
        msg(3, U, "c" * 400),
        msg(4, A, "d" * 400),
        msg(5, U, "e" * 400),
    ]
    assert oldest_to_leave_out(path, window=400) == [1, 2]
    assert oldest_to_leave_out(path, window=300) == [1, 2, 3, 4], "below the warning"
    assert oldest_to_leave_out(path, window=100) == [1, 2, 3, 4], "never the last question"
    assert oldest_to_leave_out(path, window=10_000) == []
    assert oldest_to_leave_out(path, draft="f" * 40, window=20) == [1, 2, 3, 4, 5], (
        "with a question being typed, every earlier turn may go"
    )
    already = [msg(1, U, "a" * 400, left_out=True), *path[1:]]
    assert oldest_to_leave_out(already, window=400) == [2]


def test_the_summary_request_ends_with_the_instruction_and_fits():
    path = [msg(1, U, "a" * 4000), msg(2, A, "b" * 400), msg(3, U, "c" * 40), msg(4, A, "d")]
    turns = summary_turns(path, window=1000)
    assert [t.text[:1] for t in turns[1:]] == ["b", "c", "d", "S"]
    assert turns[0].text.startswith(SHORTENED_MARK), "the oldest is shortened, not dropped"
    assert turns[-1].text == SUMMARY_INSTRUCTION
    unanswered = summary_turns(path[:3], window=None)
    assert unanswered[-1].role is U and unanswered[-1].text.endswith(SUMMARY_INSTRUCTION)
    assert len(unanswered) == 3


def test_a_small_window_summarises_what_fits_rather_than_nothing():
    path = [msg(1, U, "a" * 4000), msg(2, A, "b" * 4000), msg(3, U, "c" * 4000)]
    turns = summary_turns(path, window=600)
    text = "".join(t.text for t in turns)
    assert "ccc" in text and "2 oldest messages" in text
    assert sum(len(t.text) for t in turns) / 4 <= 600 - 150, "room left for the summary"
    with pytest.raises(SummaryWontFit):
        summary_turns(path, window=120)
    with pytest.raises(SummaryWontFit):
        summary_turns([], window=None)
