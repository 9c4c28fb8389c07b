"""Where the math is in a reply's Markdown: `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]`.

Plain Python, no Qt, so the rules are cheap to test. Prose is full of dollars, so a single
`$` opens math only when no space follows it and closes only when no space precedes it and no
digit follows it (pandoc's rule): "$5 and $10" stays prose. Nothing inside code (fenced
blocks, inline code spans) is math.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktopchat.ui.transcript.markdown_blocks import opening_fence

_MATH = re.compile(
    r"\$\$(?P<dollars>(?s:.+?))\$\$"
    r"|\\\[(?P<brackets>(?s:.+?))\\\]"
    r"|\\\((?P<parens>.+?)\\\)"
    r"|(?<![\\$\w])\$(?P<dollar>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)"
)
_CODE_SPAN = re.compile(r"(`+)(?s:.+?)(?<!`)\1(?!`)")


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


def find_math(text: str) -> list[MathSpan]:
    """The formulas of `text` outside code, in order."""
    if not may_contain_math(text):
        return []
    code = _code_ranges(text)
    spans = []
    for match in _MATH.finditer(text):
        if any(start <= match.start() < end for start, end in code):
            continue
        kind = match.lastgroup
        source = match.group(kind).strip()
        if source:
            spans.append(
                MathSpan(match.start(), match.end(), source, kind in ("dollars", "brackets"))
            )
    return spans


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans."""
    ranges: list[tuple[int, int]] = []
    position = 0
    fence = None
    prose_start = 0
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if fence is None and (opened := opening_fence(bare)) is not None:
            ranges += _spans_in(text, prose_start, position)
            fence, fence_start = opened, position
        elif fence is not None and fence.is_closed_by(bare):
            ranges.append((fence_start, position + len(line)))
            fence, prose_start = None, position + len(line)
        position += len(line)
    if fence is not None:
        ranges.append((fence_start, len(text)))
    else:
        ranges += _spans_in(text, prose_start, len(text))
    return ranges


def _spans_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if "`" not in text[start:end]:
        return []
    return [(m.start() + start, m.end() + start) for m in _CODE_SPAN.finditer(text[start:end])]
