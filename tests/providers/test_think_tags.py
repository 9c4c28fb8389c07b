"""The `<think>` splitter, fed the same reply cut at every possible place."""

from __future__ import annotations

import pytest

from desktopchat.providers.base import ReasoningDelta, TextDelta
from desktopchat.providers.think_tags import ThinkSplitter


def split(*pieces: str) -> tuple[str, str]:
    """(reasoning, text) of a reply streamed in these pieces."""
    splitter = ThinkSplitter()
    events = [event for piece in pieces for event in splitter.feed(piece)]
    events += splitter.finish()
    assert all(event.text for event in events), "no empty events"
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    return reasoning, text


REPLY = "\n<think>\nLet me add 2 and 2.\n</think>\n\nIt is 4."


@pytest.mark.parametrize("cut", range(len(REPLY) + 1))
def test_every_single_cut_gives_the_same_split(cut):
    assert split(REPLY[:cut], REPLY[cut:]) == ("\nLet me add 2 and 2.\n", "It is 4.")


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_every_chunk_size_gives_the_same_split(size):
    pieces = [REPLY[i : i + size] for i in range(0, len(REPLY), size)]
    assert split(*pieces) == ("\nLet me add 2 and 2.\n", "It is 4.")


def test_a_reply_without_the_tag_is_all_text():
    assert split("Hello", " there") == ("", "Hello there")


def test_a_tag_later_in_the_reply_is_text():
    assert split("Use ", "<think>", " in HTML?") == ("", "Use <think> in HTML?")


def test_something_that_starts_like_the_tag_is_text():
    assert split("<thi", "ng>") == ("", "<thing>")
    assert split("<th") == ("", "<th")


def test_an_unclosed_thinking_stays_reasoning():
    assert split("<think>Hmm", " and </thi") == ("Hmm and </thi", "")


def test_a_closing_tag_mentioned_inside_is_held_only_while_it_could_be_one():
    splitter = ThinkSplitter()
    assert splitter.feed("<think>a </") == [ReasoningDelta("a ")]
    assert splitter.feed("b") == [ReasoningDelta("</b")]


def test_text_after_the_tag_in_the_same_piece():
    assert split("<think>x</think>Answer</think>") == ("x", "Answer</think>")


def test_only_blank_space_is_text_in_the_end():
    assert split("  ") == ("", "  ")
