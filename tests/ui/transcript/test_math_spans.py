"""Finding formulas in Markdown: the delimiters, and the dollars that are only money."""

from __future__ import annotations

import time

import pytest

from desktopchat.ui.transcript.markdown_touches import as_code_span, mark_fences
from desktopchat.ui.transcript.math_spans import find_math


def spans(text: str) -> list[tuple[str, bool]]:
    return [(span.source, span.display) for span in find_math(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Euler: $e^{i\\pi}+1=0$.", [("e^{i\\pi}+1=0", False)]),
        ("$$\\int_0^1 x\\,dx$$", [("\\int_0^1 x\\,dx", True)]),
        ("$$\na+b\n$$", [("a+b", True)]),
        ("inline \\(a^2\\) and \\[b^2\\]", [("a^2", False), ("b^2", True)]),
        ("It costs $5 and $10.", []),
        ("between $ 3 $ and", []),
        ("from $x$5 on", []),
        ("escaped \\$x$ dollar", []),
        ("US$5 and US$6", []),
        ("no math here", []),
    ],
)
def test_formulas_and_dollars(text, found):
    assert spans(text) == found


def test_nothing_inside_code_is_math():
    text = "Run `echo $HOME and $PATH` then\n\n```sh\nx=$a$b\n```\n\nbut $y$ is."
    assert spans(text) == [("y", False)]


def test_an_unclosed_fence_hides_the_rest():
    assert spans("```\n$a$\n") == []


def test_fences_get_a_marker_paragraph_before_them():
    marked = mark_fences("```a\nx\n```\n```b\n```y\n```\n")
    assert marked.count("\ue010") == 2  # the ```y inside the second block is code


def test_code_spans_survive_backticks():
    assert as_code_span("a+b") == "`a+b`"
    assert as_code_span("a`b") == "`` a`b ``"


@pytest.mark.parametrize("unclosed", ["\\[", "$$", "\\(", "$", "`"])
def test_unclosed_delimiters_are_scanned_in_linear_time(unclosed):
    """Issue item 27: 120 KB of unclosed `\\[` took 21.7 s (quadratic backtracking). The
    bound is loose (a loaded machine), the old behaviour was ~1,000 times over it."""
    text = (unclosed + " a ") * (120_000 // (len(unclosed) + 3))
    started = time.perf_counter()
    find_math(text)
    assert time.perf_counter() - started < 2.0


def test_code_spans_pair_by_the_length_of_their_backtick_runs():
    assert spans("``a`$x$`` and $y$") == [("y", False)]
    assert spans("`a ``$x$") == [("x", False)]  # no run of one closes the first
