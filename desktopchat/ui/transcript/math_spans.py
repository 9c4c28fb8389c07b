"""Where the math is in a reply's Markdown: `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]`.

Plain Python, no Qt, so the rules are cheap to test. Prose is full of dollars, so a single
`$` opens math only when no space follows it and closes only when no space precedes it and no
digit follows it (pandoc's rule): "$5 and $10" stays prose. Nothing inside code (fenced
blocks, inline code spans) is math.

The scan is linear in the text, whatever it holds (issue item 27: a regular expression with
lazy `.+?` bodies read to the end of the text from every unclosed `\\[` or `$$`, so 120 KB
of them took 20–100 s on the loop). Each opening delimiter looks for its closer with
`str.find`, and the answer is remembered while the scan moves forward: a closer that is
absent is looked for once, a closer that is present is found again without reading the
text between. Code spans are paired by backtick-run length the same way (CommonMark's
rule), not by a backtracking expression.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from desktopchat.domain.markdown_source import fenced_blocks

_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class MathSpan:
    """One formula: where it is in the text, its TeX source, and whether it is displayed."""

    start: int
    end: int
    source: str
    display: bool


def may_contain_math(text: str) -> bool:
    """A cheap first look: most replies have none of the delimiters."""
    return "$" in text or "\\(" in text or "\\[" in text


class _Closers:
    """`text.find(closer, start)` for starts that only grow: each answer is kept while it
    is still ahead of the scan, so the text between is read once per closer."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: dict[str, int] = {}

    def find(self, closer: str, start: int) -> int:
        known = self._found.get(closer)
        if known is not None and (known == -1 or known >= start):
            return known
        found = self._text.find(closer, start)
        self._found[closer] = found
        return found


def find_math(text: str) -> list[MathSpan]:
    """The formulas of `text` outside code, in order."""
    if not may_contain_math(text):
        return []
    code = _code_ranges(text)
    code_starts = [start for start, _ in code]
    closers = _Closers(text)
    openers = set(_CLOSERS)
    pattern = _openers(frozenset(openers))
    spans: list[MathSpan] = []
    position = 0
    while (found := pattern.search(text, position)) is not None:
        at = found.start()
        index = bisect.bisect_right(code_starts, at) - 1
        if index >= 0 and at < code[index][1]:
            position = code[index][1]  # inside code: nothing there is math
            continue
        opener = text[at : at + 2]
        if opener in _CLOSERS:
            end = closers.find(_CLOSERS[opener], at + 3)
            if end == -1:  # never closed from here on: stop looking for this opener
                openers.discard(opener)
                pattern = _openers(frozenset(openers))
                position = at + 1
                continue
            newline = closers.find("\n", at + 2)
            if opener == "\\(" and newline != -1 and newline < end:
                position = at + 1
                continue
            span = MathSpan(at, end + 2, text[at + 2 : end].strip(), opener != "\\(")
        else:
            span = MathSpan(at, found.end(), found.group("dollar").strip(), False)
        if span.source:
            spans.append(span)
        position = span.end
    return spans


_CLOSERS = {"$$": "$$", "\\[": "\\]", "\\(": "\\)"}
_SINGLE_DOLLAR = r"(?<![\\$\w])\$(?P<dollar>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)"
"""A whole `$…$` formula: its body cannot hold a `$` or a line break, so trying it from
every `$` reads each character at most twice (no backtracking to speak of)."""


@functools.cache
def _openers(kinds: frozenset[str]) -> re.Pattern[str]:
    """The two-character openers still worth looking for, and whole single-`$` formulas
    (the engine skips the dollars that are only money without coming back to Python)."""
    alternatives = [re.escape(opener) for opener in _CLOSERS if opener in kinds]
    return re.compile("|".join([*alternatives, _SINGLE_DOLLAR]))


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans, in order."""
    ranges: list[tuple[int, int]] = []
    prose_start = 0
    for block in fenced_blocks(text):
        ranges += _spans_in(text, prose_start, block.start)
        ranges.append((block.start, block.end))
        prose_start = block.end
    ranges += _spans_in(text, prose_start, len(text))
    return ranges


def _spans_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inline code spans between `start` and `end`: a run of backticks opens one, and the
    next run of the same length closes it; a run with no such partner is plain text."""
    if "`" not in text[start:end]:
        return []
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text, start, end)]
    later: dict[int, list[int]] = {}  # run length → indices of the runs, last first
    for index in range(len(runs) - 1, -1, -1):
        later.setdefault(runs[index][1] - runs[index][0], []).append(index)
    ranges = []
    index = 0
    while index < len(runs):
        run_start, run_end = runs[index]
        same = later[run_end - run_start]
        while same and same[-1] <= index:
            same.pop()
        if not same:
            index += 1
            continue
        partner = same.pop()
        ranges.append((run_start, runs[partner][1]))
        index = partner + 1
    return ranges
