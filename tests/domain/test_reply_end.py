"""A reply that stopped short: every wire's reason mapped in one place, and the stored
fact read back whatever a synced, imported or edited record holds."""

from __future__ import annotations

import pytest

from desktopchat.domain.markdown_export import conversation_to_markdown
from desktopchat.domain.markdown_import import markdown_to_conversation
from desktopchat.domain.reply_end import (
    EndKind,
    ReplyEnd,
    export_words,
    reply_end,
    reply_end_from_json,
    reply_end_from_record,
    reply_end_json,
    reply_end_record,
)
from desktopchat.domain.types import Message, Role
from tests.domain.test_export import BASE_TIME, assert_same_messages, conversation

PAUSED = ReplyEnd(EndKind.PAUSED)


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("length", EndKind.CUT_AT_LIMIT),  # OpenAI-compatible
        ("max_tokens", EndKind.CUT_AT_LIMIT),  # Anthropic
        ("MAX_TOKENS", EndKind.CUT_AT_LIMIT),  # a server shouting it
        ("model_context_window_exceeded", EndKind.CUT_AT_CONTEXT),
        ("pause_turn", EndKind.PAUSED),
        ("content_filter", EndKind.FILTERED),
        ("refusal", EndKind.FILTERED),
    ],
)
def test_each_wire_reason_that_stops_a_reply_short(reason, kind):
    assert reply_end(reason, 4096).kind is kind


@pytest.mark.parametrize(
    "reason", [None, "", "stop", "end_turn", "tool_calls", "tool_use", "stop_sequence", "eos"]
)
def test_a_normal_or_unknown_end_is_none(reason):
    assert reply_end(reason, 4096) is None


def test_only_a_cut_at_the_limit_keeps_the_limit_and_only_one_in_range():
    assert reply_end("length", 4096) == ReplyEnd(EndKind.CUT_AT_LIMIT, 4096)
    assert reply_end("length", None) == ReplyEnd(EndKind.CUT_AT_LIMIT, None)
    assert reply_end("length", 0) == ReplyEnd(EndKind.CUT_AT_LIMIT, None)
    assert reply_end("pause_turn", 4096) == ReplyEnd(EndKind.PAUSED, None)


@pytest.mark.parametrize(
    "end",
    [
        None,
        ReplyEnd(EndKind.CUT_AT_LIMIT, 8192),
        ReplyEnd(EndKind.CUT_AT_LIMIT),
        ReplyEnd(EndKind.PAUSED),
        ReplyEnd(EndKind.FILTERED),
        ReplyEnd(EndKind.CUT_AT_CONTEXT),
    ],
)
def test_the_stored_forms_read_back(end):
    assert reply_end_from_json(reply_end_json(end)) == end
    assert reply_end_from_record(reply_end_record(end)) == end


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("", None),
        ("not json", None),
        ("[1, 2]", None),
        ('{"end": "melted"}', None),  # a kind from a newer version
        ('{"end": null}', None),
        ('{"end": "cut_at_limit", "limit": "4096"}', ReplyEnd(EndKind.CUT_AT_LIMIT)),
        ('{"end": "cut_at_limit", "limit": true}', ReplyEnd(EndKind.CUT_AT_LIMIT)),
        ('{"end": "cut_at_limit", "limit": 100000000000}', ReplyEnd(EndKind.CUT_AT_LIMIT)),
        ('{"end": "filtered", "limit": 5}', ReplyEnd(EndKind.FILTERED)),
        ("[" * 100_000, None),
    ],
)
def test_a_malformed_record_reads_as_far_as_it_is_sound(stored, read):
    assert reply_end_from_json(stored) == read


def test_export_words_name_the_limit():
    assert export_words(ReplyEnd(EndKind.CUT_AT_LIMIT, 4096)) == (
        "Cut off at the length limit (4,096 tokens)."
    )
    assert export_words(ReplyEnd(EndKind.CUT_AT_LIMIT)) == "Cut off at the length limit."
    assert "content filter" in export_words(ReplyEnd(EndKind.FILTERED))


def test_a_markdown_export_says_it_and_the_import_takes_it_back():
    cut = ReplyEnd(EndKind.CUT_AT_LIMIT, 4096)
    sent = [
        Message(1, 3, Role.USER, "Write a long essay.", BASE_TIME),
        Message(2, 3, Role.ASSISTANT, "Once upon a", BASE_TIME + 2, parent_id=1, reply_end=cut),
        Message(3, 3, Role.USER, "Search more.", BASE_TIME + 3, parent_id=2),
        Message(4, 3, Role.ASSISTANT, "Found", BASE_TIME + 4, parent_id=3, reply_end=PAUSED),
        Message(5, 3, Role.USER, "Thanks", BASE_TIME + 5, parent_id=4),
    ]
    markdown = conversation_to_markdown(conversation(), sent)
    assert "Once upon a\n\n> _Cut off at the length limit (4,096 tokens)._\n" in markdown
    assert "> _Claude paused a long search here; the reply is not finished._\n" in markdown
    assert markdown.count("Cut off") == 1  # nothing under the others
    back = markdown_to_conversation(markdown).messages
    assert_same_messages(back, sent)
    assert [m.reply_end for m in back] == [None, cut, None, PAUSED, None]
