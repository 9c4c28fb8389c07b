"""What Qt's Markdown importer leaves undone, done after it: the finishing touches.

md4c through QTextDocument gets the structure right but not the look we want, and gets a few
things wrong:

* Adjacent code fences come out as one run of code lines (nothing separates them), so they
  looked like one block and "Copy code" copied all of them. `mark_fences` puts a marker
  paragraph before every fence in the source; the marker becomes the block's header
  (language, copy icon), which also separates it from its neighbour.
* Code lines are unbreakable, so a long line widened the whole conversation; here they wrap
  (the view marks continuation lines), with padding inside their box (backdrop.py paints it).
* Table header cells lose their alignment (and the first one its bold face); blockquotes
  get only an indent; inline code gets only a font. Prose gets the line height.
* Formulas (math_spans.py) are swapped for markers before import and, after it, for their
  images, or for their source until the worker has drawn them (math_placeholders.py).

Each touch runs only when the source has its marker character, and only over the inserted
blocks: a streaming flush renders a few thousand characters at most.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextTable,
    QTextTableFormat,
)

from desktopchat.domain.markdown_source import fenced_blocks, longest_backtick_run
from desktopchat.ui.transcript.code_highlighter import code_language
from desktopchat.ui.transcript.document_images import DocumentImages
from desktopchat.ui.transcript.formats import CODE_HEADER, QUOTE_INDENT, ChatFormats
from desktopchat.ui.transcript.math_images import PENDING, MathImages
from desktopchat.ui.transcript.math_placeholders import (
    MATH_CENTRED,
    MATH_KEY,
    centre,
    image_format,
)
from desktopchat.ui.transcript.math_spans import find_math

FENCE_MARKER = "\ue010"
_INLINE_MATH = "\ue000"
_DISPLAY_MATH = "\ue001"
_FIRST_INDEX = 0xE100
TABLE_LINE_HEIGHT = 115
LineHeight = QTextBlockFormat.LineHeightTypes
_MAX_FORMULAS = 0x1000

CodeHeader = Callable[[QTextCursor, str, int], None]
"""Fills a code block's header: (cursor in the empty header block, language, index)."""


@dataclass
class Formula:
    source: str
    display: bool


@dataclass
class Prepared:
    """The source as handed to the importer, and what it stands for."""

    text: str
    formulas: list[Formula] = field(default_factory=list)


def prepare(text: str, math: MathImages | None) -> Prepared:
    """Mark fences and swap formulas for placeholders (see the module's docstring)."""
    formulas: list[Formula] = []
    if math is not None:
        spans = find_math(text)[:_MAX_FORMULAS]
        if spans:
            pieces, position = [], 0
            for span in spans:
                pieces.append(text[position : span.start])
                marker = _DISPLAY_MATH if span.display else _INLINE_MATH
                pieces.append(marker + chr(_FIRST_INDEX + len(formulas)))
                formulas.append(Formula(span.source, span.display))
                position = span.end
            pieces.append(text[position:])
            text = "".join(pieces)
    return Prepared(mark_fences(text), formulas)


def as_code_span(source: str) -> str:
    """`source` as inline code, whatever backticks it holds."""
    if "`" not in source:
        return f"`{source}`"
    ticks = "`" * (longest_backtick_run(source) + 1)
    return f"{ticks} {source} {ticks}"


def mark_fences(text: str) -> str:
    """A marker paragraph (a blank line, then the marker) before every opening fence."""
    out: list[str] = []
    position = 0
    for block in fenced_blocks(text):
        marker = "\n" + " " * block.fence.indent + FENCE_MARKER + "\n"
        out += [text[position : block.start], marker]
        position = block.start
    out.append(text[position:])
    return "".join(out)


def blocks_until(first: QTextBlock, end: QTextCursor) -> Iterator[QTextBlock]:
    """The blocks from `first` to the one holding `end`'s position (read lazily: callers
    may change the text as they go, and `end` moves with it)."""
    block = first
    while block.isValid() and block.position() <= end.position():
        yield block
        block = block.next()


def select_blocks(first: QTextBlock, end: QTextCursor) -> QTextCursor:
    cursor = QTextCursor(end.document())
    cursor.setPosition(first.position())
    cursor.setPosition(end.position(), QTextCursor.MoveMode.KeepAnchor)
    return cursor


def finish(
    first: QTextBlock,
    end: QTextCursor,
    source: Prepared,
    formats: ChatFormats,
    *,
    code_header: CodeHeader | None,
    first_code_index: int,
    images: DocumentImages | None,
    math: MathImages | None,
) -> int:
    """Apply every touch the source calls for to the blocks from `first` to `end`; returns
    the number of code blocks."""
    text = source.text
    select_blocks(first, end).mergeBlockFormat(formats.prose_block)
    if "`" in text:
        _style_inline_code(first, end, formats)
    if ">" in text:
        _style_quotes(first, end, formats)
    if "|" in text:
        _style_tables(first, end, formats)
    if source.formulas and images is not None and math is not None:
        _insert_formulas(first, end, source.formulas, formats, images, math)
    if not ("```" in text or "~~~" in text or "    " in text or "\t" in text):
        return 0
    return _style_code_blocks(first, end, formats, code_header, first_code_index)


def _style_code_blocks(
    first: QTextBlock,
    end: QTextCursor,
    formats: ChatFormats,
    code_header: CodeHeader | None,
    first_index: int,
) -> int:
    """Give every run of code lines a header block above it and its line formats."""
    runs: list[tuple[QTextBlock | None, int, QTextBlock]] = []  # header, start, last line
    marker: QTextBlock | None = None
    start: int | None = None
    previous: QTextBlock | None = None
    for block in blocks_until(first, end):
        if code_language(block.blockFormat()) is not None:
            if start is None:
                start = block.position()
            previous = block
            continue
        if start is not None:
            runs.append((marker, start, previous))
            start = marker = None
        marker = block if block.text() == FENCE_MARKER else None
    if start is not None:
        runs.append((marker, start, previous))
    cursor = QTextCursor(end.document())
    for index in reversed(range(len(runs))):
        header, start, last = runs[index]
        cursor.setPosition(start)
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeBlockFormat(formats.code_line)
        QTextCursor(last).mergeBlockFormat(formats.code_last_line)
        language = code_language(last.blockFormat()) or ""
        if header is not None:
            cursor = QTextCursor(header)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.removeSelectedText()
            cursor.setBlockFormat(code_header_format(formats, language))
        else:
            cursor.setPosition(start)
            cursor.insertBlock(cursor.blockFormat(), cursor.charFormat())
            cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
            cursor.setBlockFormat(code_header_format(formats, language))
            cursor.setBlockCharFormat(QTextCharFormat())
        if code_header is not None:
            code_header(cursor, language, first_index + index)
    for block in blocks_until(first, end):  # markers of fences that held nothing
        if block.text() == FENCE_MARKER:
            QTextCursor(block).deleteChar()
    return len(runs)


def code_header_format(formats: ChatFormats, language: str) -> QTextBlockFormat:
    block_format = QTextBlockFormat(formats.code_header_block)
    block_format.setProperty(CODE_HEADER, language)
    return block_format


def _style_inline_code(first: QTextBlock, end: QTextCursor, formats: ChatFormats) -> None:
    """Monospace on a tint, wherever the span is (list items, quotes, table cells)."""
    spans = []
    for block in blocks_until(first, end):
        if code_language(block.blockFormat()) is not None:
            continue
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().fontFixedPitch():
                spans.append((fragment.position(), fragment.length()))
            fragments += 1
    code_format = QTextCharFormat(formats.inline_code_format)
    code_format.setFontFamilies(["monospace"])
    code_format.setFontFixedPitch(True)
    code_format.setFontStyleHint(QFont.StyleHint.Monospace)
    cursor = QTextCursor(end.document())
    for position, length in spans:
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(code_format)


def _style_quotes(first: QTextBlock, end: QTextCursor, formats: ChatFormats) -> None:
    """A bar (painted by backdrop.py) and muted text instead of a plain 40 px indent."""
    muted = QTextCharFormat()
    muted.setForeground(formats.muted_colour)
    for block in blocks_until(first, end):
        level = block.blockFormat().intProperty(QTextFormat.Property.BlockQuoteLevel)
        if level:
            quote = QTextBlockFormat()
            quote.setLeftMargin(QUOTE_INDENT * level)
            quote.setRightMargin(0)
            cursor = QTextCursor(block)
            cursor.mergeBlockFormat(quote)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.mergeCharFormat(muted)


def _style_tables(first: QTextBlock, end: QTextCursor, formats: ChatFormats) -> None:
    """Borders, padding, a tinted bold header row aligned like its column."""
    seen: set[int] = set()
    for block in blocks_until(first, end):
        table = QTextCursor(block).currentTable()
        if table is None or table.firstPosition() in seen:
            continue
        seen.add(table.firstPosition())
        _style_table(table, formats)


def _style_table(table: QTextTable, formats: ChatFormats) -> None:
    table_format = QTextTableFormat(table.format())
    table_format.setBorder(1)
    table_format.setBorderBrush(formats.border)
    table_format.setBorderCollapse(True)
    table_format.setCellPadding(5)
    table_format.setCellSpacing(0)
    table_format.setTopMargin(10)
    table_format.setBottomMargin(8)
    table.setFormat(table_format)
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.DemiBold)
    flat = QTextBlockFormat()  # md4c gives the first cell a paragraph's margins
    flat.setTopMargin(0)
    flat.setBottomMargin(0)
    flat.setLineHeight(TABLE_LINE_HEIGHT, LineHeight.ProportionalHeight.value)
    everything = table.firstCursorPosition()
    everything.setPosition(table.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    everything.mergeBlockFormat(flat)
    first = table.cellAt(0, 0)
    start = first.firstCursorPosition()
    if not start.block().text() and start.block() != first.lastCursorPosition().block():
        start.deleteChar()  # md4c leaves an empty block there after a code block
    for column in range(table.columns()):
        header = table.cellAt(0, column)
        cell_format = header.format()
        cell_format.setBackground(formats.code_header)
        header.setFormat(cell_format)
        alignment = Qt.AlignmentFlag.AlignLeft
        if table.rows() > 1:
            body = table.cellAt(1, column).firstCursorPosition().blockFormat()
            alignment = body.alignment()
        cursor = header.firstCursorPosition()
        cursor.setPosition(header.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
        aligned = QTextBlockFormat()
        aligned.setAlignment(alignment)
        cursor.mergeBlockFormat(aligned)
        cursor.mergeCharFormat(bold)


def _insert_formulas(
    first: QTextBlock,
    end: QTextCursor,
    formulas: list[Formula],
    formats: ChatFormats,
    images: DocumentImages,
    math: MathImages,
) -> None:
    found = []
    for block in blocks_until(first, end):
        text = block.text()
        if _INLINE_MATH not in text and _DISPLAY_MATH not in text:
            continue
        for offset, char in enumerate(text[:-1]):
            if char in (_INLINE_MATH, _DISPLAY_MATH):
                index = ord(text[offset + 1]) - _FIRST_INDEX
                if 0 <= index < len(formulas):
                    alone = len(text) == 2
                    found.append((block.position() + offset, formulas[index], alone))
    pixel_size = max(12, formats.text_pixel_size)
    cursor = QTextCursor(end.document())
    for position, formula, alone in reversed(found):
        cursor.setPosition(position)
        cursor.setPosition(position + 2, QTextCursor.MoveMode.KeepAnchor)
        image = math.image(formula.source, formula.display, formats.text_colour, pixel_size)
        centred = formula.display and alone
        if image is None or image is PENDING:
            # Its source, plain: for good when it cannot be drawn, else until it is.
            code = QTextCharFormat(cursor.charFormat())
            code.setFontFamilies(["monospace"])
            code.setFontFixedPitch(True)
            code.setBackground(formats.inline_code)
            if image is PENDING:
                key = math.key(formula.source, formula.display, formats.text_colour, pixel_size)
                code.setProperty(MATH_KEY, key)
                code.setProperty(MATH_CENTRED, centred)
            cursor.insertText(formula.source, code)
            continue
        key = math.key(formula.source, formula.display, formats.text_colour, pixel_size)
        cursor.insertImage(image_format(images, key, image))
        if centred:
            centre(cursor)
