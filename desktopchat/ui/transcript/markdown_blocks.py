"""Line-level facts about Markdown source that Qt's importer does not tell us.

Two jobs, both plain Python so they are cheap and easy to test:

* While a reply streams, the view re-renders only its unfinished tail. `split_stable` finds
  where the finished top-level blocks end, so the part before never has to be parsed again,
  and says when the tail is an unclosed fenced code block (which the view then extends line by
  line instead of re-parsing it).
* "Copy code" must copy what the model wrote, but md4c turns leading tabs into spaces in the
  document; `fenced_code_blocks` reads the code back from the source.

This is a deliberately small scanner, not a Markdown parser: it only has to be right for
column-0 fences and blank-line boundaries, and a wrong guess costs a transient rendering
difference while streaming (the finished reply is rendered whole, once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPENING_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)")
_CLOSING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")
_ATX_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")


@dataclass(frozen=True)
class Fence:
    """An opening code fence line."""

    start: int
    """Offset of the opening line."""
    body_start: int
    """Offset just after the opening line's newline."""
    marker: str
    """The run of backticks or tildes, e.g. "```"."""
    indent: int
    language: str

    def is_closed_by(self, line: str) -> bool:
        """Whether `line` (without its newline) closes this fence."""
        match = _CLOSING_FENCE.fullmatch(line)
        if match is None:
            return False
        run = match.group(1)
        return run[0] == self.marker[0] and len(run) >= len(self.marker)


@dataclass(frozen=True)
class StableSplit:
    """Where a growing Markdown text stops being final."""

    stable_end: int
    """text[:stable_end] is a sequence of finished top-level blocks; always a line start."""
    open_fence: Fence | None
    """Set when the rest of the text is exactly one unclosed column-0 fenced code block."""


def opening_fence(line: str, offset: int = 0, body_start: int = 0) -> Fence | None:
    match = _OPENING_FENCE.fullmatch(line)
    if match is None:
        return None
    indent, marker, info = match.groups()
    if marker[0] == "`" and "`" in info:
        return None  # CommonMark: a backtick fence's info string cannot contain backticks
    words = info.split()
    return Fence(offset, body_start, marker, len(indent), words[0] if words else "")


def split_stable(text: str, start: int = 0) -> StableSplit:
    """Find the last top-level block boundary at or after `start` (itself a boundary).

    A boundary is the start of a column-0 line that follows a blank line, the start of a
    column-0 fence or ATX heading, or the line after a column-0 closing fence or heading.
    Blank lines inside fences are not boundaries, and indented lines after a blank line may
    continue a list item, so they are not either.
    """
    boundary = start
    fence: Fence | None = None
    previous_blank = False
    position = start
    while True:
        newline = text.find("\n", position)
        if newline == -1:
            break
        line = text[position:newline]
        next_position = newline + 1
        if fence is not None:
            if fence.is_closed_by(line):
                if fence.indent == 0:
                    boundary = next_position
                fence = None
        elif (opened := opening_fence(line, position, next_position)) is not None:
            fence = opened
            if opened.indent == 0:
                boundary = position
        elif not line.strip():
            previous_blank = True
            position = next_position
            continue
        elif _ATX_HEADING.match(line):
            boundary = next_position
        elif previous_blank and not line[0].isspace():
            boundary = position
        previous_blank = False
        position = next_position
    partial = text[position:]
    if fence is None and previous_blank and partial and not partial[0].isspace():
        boundary = position
    open_fence = fence if fence is not None and fence.start == boundary else None
    return StableSplit(boundary, open_fence)


def fenced_code_blocks(text: str) -> list[str]:
    """The exact contents of the fenced code blocks in `text`, in order.

    Fences indented by up to three spaces are found; their indentation is removed from the
    code lines as CommonMark does. Fences inside list items or quotes are not (the caller
    falls back to the document's text for those).
    """
    blocks: list[str] = []
    fence: Fence | None = None
    lines: list[str] = []
    for line in text.splitlines():
        if fence is None:
            fence = opening_fence(line)
            lines = []
        elif fence.is_closed_by(line):
            blocks.append("\n".join(lines))
            fence = None
        else:
            lines.append(_strip_indent(line, fence.indent))
    if fence is not None:
        blocks.append("\n".join(lines))
    return blocks


def _strip_indent(line: str, indent: int) -> str:
    removable = len(line) - len(line.lstrip(" "))
    return line[min(indent, removable) :]


def same_code_modulo_leading_tabs(source: str, rendered: str) -> bool:
    """Whether `rendered` is `source` after md4c's expansion of leading tabs to spaces."""
    source_lines = source.split("\n")
    rendered_lines = rendered.split("\n")
    if len(source_lines) != len(rendered_lines):
        return False
    return all(
        _expand_leading_tabs(s) == r for s, r in zip(source_lines, rendered_lines, strict=True)
    )


def _expand_leading_tabs(line: str) -> str:
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)].expandtabs(4) + body


_TABLE_DELIMITER = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_BACKTICKS = re.compile(r"`+")


def fence_large_tables(text: str, max_cells: int) -> str:
    """`text` with every table of more than `max_cells` cells made a fenced code block.

    Qt lays a table out in time that grows faster than its cells (measured: 2,000 cells
    0.13 s, 20,000 cells 2.1 s, and twice that in the conversation), while the same lines
    as code take ~30 ms: a model's huge table would freeze the window. As code it stays
    readable, aligned as the model wrote it, and copyable.

    Only top-level tables are found (a header line with a pipe, then a delimiter row such
    as `|---|:--:|`, then rows up to a blank line); tables inside fences stay as they are.
    """
    if "|" not in text or "-" not in text:
        return text
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    fence: Fence | None = None
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r\n")
        if fence is not None:
            fence = None if fence.is_closed_by(line) else fence
        elif (opened := opening_fence(line)) is not None:
            fence = opened
        elif (end := _table_end(lines, index, max_cells)) is not None:
            out += _fenced(lines[index:end])
            index = end
            continue
        out.append(lines[index])
        index += 1
    return "".join(out)


@dataclass(frozen=True)
class GrowingTable:
    """A table at the end of a streaming reply, shown as code lines while it grows (laying
    a growing table out again at every flush costs more than linear time): it reads as an
    open fence without a language that a blank line or a new fence closes."""

    start: int
    """Offset of its header line."""
    columns: int
    language = ""
    marker = "`"

    @property
    def body_start(self) -> int:
        return self.start

    def is_closed_by(self, line: str) -> bool:
        """Whether `line` (without its newline) is the first line after the table."""
        return not line.strip() or opening_fence(line.rstrip()) is not None

    def cells(self, text: str, end: int) -> int:
        """Its cells when it ends at `end`, counted as fence_large_tables counts them."""
        return max(text.count("\n", self.start, end) - 1, 0) * self.columns


def growing_table(text: str, start: int, min_cells: int) -> GrowingTable | None:
    """The table `text[start:]` is, when it begins with a complete header and delimiter
    row and already has more than `min_cells` cells; None otherwise."""
    header_end = text.find("\n", start)
    delimiter_end = text.find("\n", header_end + 1) if header_end != -1 else -1
    if delimiter_end == -1 or "|" not in text[start:header_end]:
        return None
    delimiter = text[header_end + 1 : delimiter_end]
    if "|" not in delimiter or not _TABLE_DELIMITER.fullmatch(delimiter):
        return None
    table = GrowingTable(start, len(delimiter.strip().strip("|").split("|")))
    return table if table.cells(text, len(text)) > min_cells else None


def _table_end(lines: list[str], start: int, max_cells: int) -> int | None:
    """The index after the table starting at `start`, if one starts there and has more than
    `max_cells` cells; None otherwise."""
    if start + 1 >= len(lines) or "|" not in lines[start]:
        return None
    delimiter = lines[start + 1].rstrip("\r\n")
    if "|" not in delimiter or not _TABLE_DELIMITER.fullmatch(delimiter):
        return None
    columns = len(delimiter.strip().strip("|").split("|"))
    end = start + 2
    while end < len(lines) and lines[end].strip() and opening_fence(lines[end].rstrip()) is None:
        end += 1
    return end if (end - start - 1) * columns > max_cells else None


def _fenced(lines: list[str]) -> list[str]:
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    marker = "`" * max(3, longest + 1)
    body = [*lines[:-1], lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n"]
    return [marker + "\n", *body, marker + "\n"]
