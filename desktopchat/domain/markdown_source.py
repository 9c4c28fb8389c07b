"""Where the fenced code blocks of Markdown source are: one scanner for every reader of it.

Several places must agree on which lines of a message are code: the streaming view (where
the finished blocks end, whether the tail is an open code block), "Copy code" (the code as
the model wrote it), formulas (never inside code), the export (a fence the text leaves open
is closed for viewers) and the large-table guard. Each used to carry its own scanner, with
small differences between them; this is the one they share. Plain Python, no Qt.

The rules are CommonMark's (0.31, 4.5 "Fenced code blocks"): an opening fence is up to three
spaces, a run of at least three backticks or tildes, then an info string whose first word
is the language; a backtick fence's info string cannot hold a backtick (that line is prose).
A closing fence is up to three spaces, a run of the same character at least as long as the
opening one, then only spaces or tabs. A fence never closed runs to the end of the text (a
reply still streaming, or one cut short).

It is a scanner, not a parser: fences nested in block quotes ("> ```") or indented deeper in
list items are not seen (the callers fall back on what Qt's importer made of them). Lines end
at "\\n", a "\\r" before it is ignored; a lone "\\r" is not a line end, so a caller that may
hold one (an imported file) normalises first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_OPENING = re.compile(r"( {0,3})(`{3,}|~{3,})(.*?)\r?")
_CLOSING = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*\r?")
_CANDIDATE = re.compile(r"^ {0,3}(?:```|~~~)[^\n]*", re.MULTILINE)
"""Every line that may open or close a fence: the only ones `fenced_blocks` looks at."""
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class Fence:
    """An opening code fence line."""

    start: int
    """Offset of the opening line."""
    body_start: int
    """Offset just after the opening line's newline (the first code line)."""
    marker: str
    """The run of backticks or tildes, e.g. "```"."""
    indent: int
    """Spaces before the marker (0–3); as many are taken off each code line."""
    info: str
    """The info string, trimmed (e.g. "python title=x.py")."""

    @property
    def language(self) -> str:
        """The info string's first word ("" for none)."""
        words = self.info.split(maxsplit=1)
        return words[0] if words else ""

    def is_closed_by(self, line: str) -> bool:
        """Whether `line` (without its newline) closes this fence."""
        match = _CLOSING.fullmatch(line)
        if match is None:
            return False
        run = match.group(1)
        return run[0] == self.marker[0] and len(run) >= len(self.marker)

    def may_be_closed_by(self, partial: str) -> bool:
        """Whether an unfinished line (more may follow) could still become this fence's
        closing line: up to three spaces, then only this fence's character, then spaces."""
        body = partial.lstrip(" ")
        if len(partial) - len(body) > 3:
            return False
        marks = body.rstrip(" \t")
        if marks and body != marks and len(marks) < len(self.marker):
            return False  # spaces already follow a run too short to close
        return set(marks) <= {self.marker[0]}


@dataclass(frozen=True)
class FencedBlock:
    """A fenced code block of a text, by offsets into it."""

    fence: Fence
    body_end: int
    """Offset of the closing line (the text's length when the block is never closed)."""
    end: int
    """Offset after the closing line and its newline (the text's length when open)."""
    closed: bool

    @property
    def start(self) -> int:
        return self.fence.start

    def code(self, text: str) -> str:
        """The code as written, its lines joined by "\\n" and the fence's indentation taken
        off each (as CommonMark does: only spaces, at most as many as the fence had)."""
        body = text[self.fence.body_start : self.body_end]
        lines = body.split("\n")
        if lines and not lines[-1]:
            lines.pop()  # the newline ending the last code line
        indent = self.fence.indent
        return "\n".join(_strip_indent(line.removesuffix("\r"), indent) for line in lines)


def opening_fence(line: str, start: int = 0, body_start: int = 0) -> Fence | None:
    """The fence `line` (without its newline) opens, None if it opens none."""
    match = _OPENING.fullmatch(line)
    if match is None:
        return None
    indent, marker, info = match.groups()
    if marker[0] == "`" and "`" in info:
        return None
    return Fence(start, body_start, marker, len(indent), info.strip())


def fenced_blocks(text: str) -> Iterator[FencedBlock]:
    """The fenced code blocks of `text`, in order; the last may be open (`closed` False).

    Only the lines that look like fences are visited, so a long text costs little."""
    fence: Fence | None = None
    for match in _CANDIDATE.finditer(text):
        line = match.group()
        line_end = match.end()
        next_start = line_end + 1 if line_end < len(text) else line_end
        if fence is None:
            fence = opening_fence(line, match.start(), next_start)
        elif fence.is_closed_by(line):
            yield FencedBlock(fence, match.start(), next_start, closed=True)
            fence = None
    if fence is not None:
        yield FencedBlock(fence, len(text), len(text), closed=False)


def fenced_code_blocks(text: str) -> list[str]:
    """The exact code of each fenced code block of `text`, in order (what "Copy code" gives:
    Qt's importer turns leading tabs into spaces in the document)."""
    return [block.code(text) for block in fenced_blocks(text)]


def unclosed_fence(text: str) -> str | None:
    """The line that would close the fence `text` leaves open (its indentation and marker),
    None when every fence is closed."""
    blocks = list(fenced_blocks(text))
    if not blocks or blocks[-1].closed:
        return None
    return " " * blocks[-1].fence.indent + blocks[-1].fence.marker


def longest_backtick_run(text: str) -> int:
    """The length of the longest run of backticks in `text` (0 for none)."""
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)


def fenced(code: str, info: str = "") -> str:
    """`code` as a fenced code block that nothing in it can end or turn into markup: its
    backtick fence is longer than any run of backticks inside. A newline is added after the
    code when it has none."""
    marker = "`" * max(3, longest_backtick_run(code) + 1)
    ending = "" if code.endswith("\n") else "\n"
    return f"{marker}{info}\n{code}{ending}{marker}\n"


def _strip_indent(line: str, indent: int) -> str:
    removable = len(line) - len(line.lstrip(" "))
    return line[min(indent, removable) :]
