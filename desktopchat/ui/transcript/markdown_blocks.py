"""Line-level facts about Markdown source that Qt's importer does not tell us.

Plain Python, so cheap and easy to test; where the code fences are comes from the one
scanner of Markdown source (domain/markdown_source.py).

* While a reply streams, the view re-renders only its unfinished tail. `split_stable` finds
  where the finished top-level blocks end, so the part before never has to be parsed again,
  and says when the tail is an unclosed fenced code block (which the view then extends line by
  line instead of re-parsing it), or a large table still growing (`growing_table`).
* "Copy code" must copy what the model wrote, but md4c turns leading tabs into spaces in the
  document; `same_code_modulo_leading_tabs` matches a shown block to its source.
* Huge tables would freeze Qt's layout: `fence_large_tables` makes them code.

Not a Markdown parser: it only has to be right for column-0 fences and blank-line
boundaries, and a wrong guess costs a transient rendering difference while streaming (the
finished reply is rendered whole, once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktopchat.domain.markdown_source import Fence, fenced, fenced_blocks, opening_fence

_ATX_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")


@dataclass(frozen=True)
class StableSplit:
    """Where a growing Markdown text stops being final."""

    stable_end: int
    """text[:stable_end] is a sequence of finished top-level blocks; always a line start."""
    open_fence: Fence | None
    """Set when the rest of the text is exactly one unclosed column-0 fenced code block."""


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


_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_TABLE_DELIMITER = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")


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
    out: list[str] = []
    position = 0
    for block in fenced_blocks(text):
        out += _fence_tables_in(text[position : block.start], max_cells)
        out.append(text[block.start : block.end])
        position = block.end
    out += _fence_tables_in(text[position:], max_cells)
    return "".join(out)


def _fence_tables_in(prose: str, max_cells: int) -> list[str]:
    """The lines of `prose` (no code fence in it), the large tables among them fenced."""
    lines = _LINE.findall(prose)
    out: list[str] = []
    index = 0
    while index < len(lines):
        if (end := _table_end(lines, index, max_cells)) is not None:
            out.append(fenced("".join(lines[index:end])))
            index = end
        else:
            out.append(lines[index])
            index += 1
    return out


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

    def may_be_closed_by(self, partial: str) -> bool:
        """Whether an unfinished line could still end the table: a blank line or a fence."""
        return partial.lstrip(" ")[:1] in ("", "`", "~")

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
    while end < len(lines) and lines[end].strip():
        end += 1
    return end if (end - start - 1) * columns > max_cells else None
