"""The one scanner of Markdown code fences (domain/markdown_source.py), on CommonMark's rules."""

import pytest

from desktopchat.domain.markdown_source import (
    fenced,
    fenced_blocks,
    fenced_code_blocks,
    opening_fence,
    unclosed_fence,
)


def test_fences_close_only_with_the_same_marker_at_least_as_long():
    text = "````\n```\nstill code\n````\n~~~\nx\n~~~"
    assert fenced_code_blocks(text) == ["```\nstill code", "x"]


def test_a_longer_closer_closes_and_a_tilde_fence_ignores_backticks():
    text = "~~~\n```\n~~~~~~  \nafter\n"
    [block] = fenced_blocks(text)
    assert block.code(text) == "```"
    assert block.closed
    assert text[block.end :] == "after\n"


def test_fenced_code_keeps_tabs_and_strips_fence_indentation():
    text = "Makefile:\n\n```make\nall:\n\techo hi\n```\n\n  ```\n    two\n  ```\n```\nopen"
    assert fenced_code_blocks(text) == ["all:\n\techo hi", "  two", "open"]


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("```", True),
        ("   ```", True),  # up to three spaces
        ("    ```", False),  # four: an indented code line
        ("``", False),  # too short
        ("~~~ python", True),
        ("``` a`b", False),  # a backtick fence's info string cannot hold a backtick
        ("~~~ a`b", True),  # a tilde fence's can
        ("```python\r", True),  # a CRLF line
    ],
)
def test_opening_fences(line, found):
    assert (opening_fence(line) is not None) is found


def test_the_info_string_and_its_language():
    fence = opening_fence("  ```` python title=x.py ")
    assert fence is not None
    assert (fence.marker, fence.indent, fence.info, fence.language) == (
        "````",
        2,
        "python title=x.py",
        "python",
    )


def test_a_closer_has_nothing_after_its_run_but_spaces():
    fence = opening_fence("```")
    assert fence is not None
    assert fence.is_closed_by("```  \t")
    assert fence.is_closed_by("   `````")
    assert not fence.is_closed_by("``` python")  # a closer has no info string
    assert not fence.is_closed_by("    ```")  # indented four: code
    assert not fence.is_closed_by("~~~")


def test_offsets_of_a_closed_and_an_open_block():
    text = "a\n```py\nx\n```\nb\n~~~\ny"
    first, second = fenced_blocks(text)
    assert (first.start, first.fence.body_start, first.body_end, first.end) == (2, 8, 10, 14)
    assert first.closed and text[first.start : first.end] == "```py\nx\n```\n"
    assert not second.closed
    assert (second.start, second.body_end, second.end) == (16, len(text), len(text))
    assert second.code(text) == "y"


def test_a_streamed_reply_cut_inside_its_fence():
    assert unclosed_fence("Here:\n\n   ~~~~ sh\nls\n") == "   ~~~~"
    assert unclosed_fence("Here:\n\n```\nls\n```") is None  # closed on the last line
    assert unclosed_fence("```") == "```"  # only the opening line so far
    assert unclosed_fence("no code") is None


def test_an_unfinished_line_that_may_still_close():
    fence = opening_fence("````")
    assert fence is not None
    assert fence.may_be_closed_by("``")  # more backticks may come
    assert fence.may_be_closed_by("   ")
    assert not fence.may_be_closed_by("```` x")
    assert not fence.may_be_closed_by("``` ")  # too short, and the run has ended
    assert not fence.may_be_closed_by("~~")  # not this fence's character
    assert not fence.may_be_closed_by("    `")  # four spaces


def test_fenced_is_longer_than_any_run_inside():
    assert fenced("x") == "```\nx\n```\n"
    assert fenced("a ```` b\n", "text") == "`````text\na ```` b\n`````\n"
    assert fenced_code_blocks(fenced("a ```` b\n```")) == ["a ```` b\n```"]
