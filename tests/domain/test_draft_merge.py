"""Two versions of a draft made into one (domain/draft_merge.py): nothing of either is lost,
and merging what is already merged adds nothing."""

from __future__ import annotations

import itertools

import pytest

from desktopchat.domain.draft_merge import MARKER, merged_items, merged_text

TEXTS = ["", "hello", "hello world", "world", "another text", "a\n\nb", "hello" + MARKER + "x"]


@pytest.mark.parametrize(("mine", "theirs"), itertools.product(TEXTS, TEXTS))
def test_nothing_of_either_text_is_lost(mine, theirs):
    merged = merged_text(mine, theirs)
    assert mine in merged
    assert all(part in merged for part in theirs.split(MARKER))


@pytest.mark.parametrize(("mine", "theirs"), itertools.product(TEXTS, TEXTS))
def test_merging_again_adds_nothing(mine, theirs):
    once = merged_text(mine, theirs)
    assert merged_text(once, theirs) == once
    assert merged_text(once, once) == once


def test_the_other_text_goes_below_a_marker():
    assert merged_text("mine", "theirs") == "mine" + MARKER + "theirs"
    assert merged_text("", "theirs") == "theirs"
    assert merged_text("hello", "hello world") == "hello world"


def test_a_megabyte_each_merges_in_linear_time():
    mine, theirs = "a" * 1_000_000 + "b", "a" * 1_000_000 + "c"
    assert merged_text(mine, theirs) == mine + MARKER + theirs


def test_attachments_are_kept_from_both_once():
    assert merged_items(["a", "b"], ["b", "c"]) == ("a", "b", "c")
