"""Syntax colours for code blocks in the conversation, from Pygments.

Qt's Markdown importer marks each line of a code block with the fence's language
(QTextFormat.BlockCodeLanguage); the highlighter reads it per block and colours the line's
tokens. Qt calls it for every block that changes, so that call must be cheap, and Pygments is
not (~0.07 ms a line: colouring all the code of a 200-message page took ~250 ms, most of the
P5 budget). So Qt's call only looks at the block format and leaves the line plain; the view
asks for the lines on screen to be coloured (`highlight_blocks`) when it has been idle, and
each line is lexed alone (a string or comment spanning lines may be coloured as code: the
price of never re-lexing a whole block while a reply streams).

Pygments is imported on the first code block, not at start-up (DESIGN.md P1): the window's
first paint has no code in it. Its style and each language's lexer are made on a worker
thread (`prepared`): the import and a lexer's rules cost ~20 ms and ~90 ms, a stall in the
middle of a streaming reply. Until they are ready the lines stay plain; the view colours
the ones on screen when they are (OnScreenColouring looks again while any is loading).
The worker makes Pygments objects only, plain Python: the Qt formats are made from the
style on the loop (a Qt object belongs to the GUI thread, DESIGN.md §5).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextEdit

if TYPE_CHECKING:
    from pygments.lexer import Lexer
    from pygments.token import _TokenType

LIGHT_STYLE = "default"
DARK_STYLE = "one-dark"
_COLOURED = QTextFormat.Property.UserProperty + 1
BUDGET_S = 0.008
"""Longest the view colours code in one go."""
LONGEST_LEXED_LINE = 2_000
"""A longer line (data, a minified file) is shown in the base colour: Qt asks for a line
again whenever it changes, and a line growing while it streams would be lexed whole at
every flush, O(n²) for n characters."""


def is_dark(palette: QPalette) -> bool:
    """Whether text is shown light on dark: the base colour of text views decides."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class CodeTheme:
    """Character formats for Pygments token types in one style, plus its background.

    The style is read when first used (the first code block), not when a view is made."""

    def __init__(self, style_name: str) -> None:
        self.name = style_name
        self.ready: set[str] = set()
        """Languages (lower case) whose lexer is made, and this style read."""
        self.loading: set[str] = set()

    @cached_property
    def style(self):
        """The Pygments style: plain Python, read on the worker (`prepared`)."""
        from pygments.styles import get_style_by_name

        return get_style_by_name(self.name)

    @cached_property
    def background(self) -> QColor:
        return QColor(self.style.background_color)

    @cached_property
    def _formats(self) -> dict[_TokenType, QTextCharFormat | None]:
        return {token_type: _char_format(spec) for token_type, spec in self.style}

    @cached_property
    def base_format(self) -> QTextCharFormat:
        """Never empty, so that every coloured line keeps a format range (see
        needs_highlighting)."""
        from pygments.token import Token

        base_format = QTextCharFormat(self._formats.get(Token) or QTextCharFormat())
        base_format.setProperty(_COLOURED, True)
        return base_format

    @classmethod
    def for_palette(cls, palette: QPalette) -> CodeTheme:
        """The light or the dark style, whichever suits the palette."""
        return _theme(DARK_STYLE if is_dark(palette) else LIGHT_STYLE)

    def format_for(self, token_type: _TokenType) -> QTextCharFormat:
        """The format of the nearest styled ancestor of `token_type` (memoised)."""
        found = self._formats.get(token_type, False)
        if found is False:
            found = self.format_for(token_type.parent) if token_type.parent else None
            self._formats[token_type] = found
        return found or self.base_format


def _char_format(spec: dict) -> QTextCharFormat | None:
    if not (spec["color"] or spec["bold"] or spec["italic"] or spec["underline"]):
        return None
    char_format = QTextCharFormat()
    if spec["color"]:
        char_format.setForeground(QColor("#" + spec["color"]))
    if spec["bold"]:
        char_format.setFontWeight(QFont.Weight.Bold)
    if spec["italic"]:
        char_format.setFontItalic(True)
    if spec["underline"]:
        char_format.setFontUnderline(True)
    return char_format


@lru_cache(maxsize=4)
def _theme(style_name: str) -> CodeTheme:
    return CodeTheme(style_name)


@lru_cache(maxsize=64)
def lexer_for(language: str) -> Lexer | None:
    """The Pygments lexer for a fence's language name, or None to show the code plain."""
    if not language:
        return None
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language.lower())
    except ClassNotFound:
        return None


_in_flight: set[tuple[int, str]] = set()
"""The styles and lexers being made on the worker (set operations are atomic in CPython)."""


def lexers_loading() -> bool:
    """Whether a style or lexer is still being made off the loop."""
    return bool(_in_flight)


@lru_cache(maxsize=1)
def _workers() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="code-lexers")


def prepared(theme: CodeTheme, language: str) -> bool:
    """Whether `theme`'s style and the lexer for `language` are ready to use on the loop;
    if not, they are made on the worker thread (`lexers_loading` says when they are).

    The worker makes no Qt object (its formats are made on the loop, at first use), and
    hands back nothing: what it made waits in `lexer_for`'s cache and on the theme."""
    key = language.lower()
    if key in theme.ready:
        return True
    if key not in theme.loading:
        theme.loading.add(key)
        _in_flight.add((id(theme), key))

        def prepare() -> None:
            try:
                lexer_for(language)
                theme.style  # noqa: B018 (reads the style)
            finally:
                theme.ready.add(key)
                _in_flight.discard((id(theme), key))

        _workers().submit(prepare)
    return False


def code_language(block_format: QTextFormat) -> str | None:
    """The fence language of a code block's line ("" when none), None for other blocks.

    Read as a string whatever PySide made of it: an empty language set from Python comes
    back as an empty list from `property()`, which crashed the highlighter (and a Python
    exception in a Qt override takes the whole process down with PySide 6.11)."""
    language = QTextFormat.Property.BlockCodeLanguage
    return block_format.stringProperty(language) if block_format.hasProperty(language) else None


def needs_highlighting(block: QTextBlock) -> bool:
    """Whether a block is a non-empty line of code not coloured yet (every coloured line
    carries at least one format range: lexers emit a token for every character)."""
    return (
        bool(block.text())
        and code_language(block.blockFormat()) is not None
        and not block.layout().formats()
    )


class CodeHighlighter(QSyntaxHighlighter):
    """Colours the lines of code blocks; leaves every other block alone."""

    def __init__(self, document: QTextDocument, theme: CodeTheme) -> None:
        super().__init__(document)
        self._theme = theme
        self._lexing = False

    def set_theme(self, theme: CodeTheme) -> None:
        """Switch styles (the palette went light or dark); lines get recoloured on demand."""
        if theme is not self._theme:
            self._theme = theme
            self.rehighlight()

    def highlight_blocks(self, blocks: Iterable[QTextBlock], budget: float) -> bool:
        """Colour these blocks now (the ones on screen), for at most `budget` seconds.

        Each coloured block is laid out again, and Qt then moves every block after it, so a
        line in the middle of a long conversation costs up to a few ms. Returns False when
        the budget ran out before the last block (the caller comes back for the rest).
        """
        deadline = time.perf_counter() + budget
        with self.colouring():
            for block in blocks:
                if time.perf_counter() > deadline:
                    return False
                self.rehighlightBlock(block)
        return True

    @contextmanager
    def colouring(self) -> Iterator[None]:
        """Colour the code blocks that change inside this `with` as they change.

        Used for streaming flushes: the new lines are at the end and few, and colouring them
        in the same layout pass is cheaper than laying them out twice.
        """
        self._lexing = True
        try:
            yield
        finally:
            self._lexing = False

    def highlightBlock(self, text: str) -> None:
        if not self._lexing:
            return
        language = code_language(self.currentBlock().blockFormat())
        theme = self._theme
        if language is None or not text or not prepared(theme, language):
            return
        lexer = lexer_for(language)
        if lexer is None or len(text) > LONGEST_LEXED_LINE:
            self.setFormat(0, _utf16_length(text), theme.base_format)
            return
        to_utf16 = _identity if text.isascii() else _utf16_offsets(text)
        for index, token_type, value in lexer.get_tokens_unprocessed(text):
            start = to_utf16(index)
            self.setFormat(
                start, to_utf16(index + len(value)) - start, theme.format_for(token_type)
            )


def _identity(index: int) -> int:
    return index


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _utf16_offsets(text: str):
    """Map Python string indices to the UTF-16 positions Qt counts in."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets.__getitem__


def visible_blocks(view: QTextEdit) -> Iterator[QTextBlock]:
    """The blocks whose layout meets the view's viewport, found by bisection on their
    geometry (hit-testing a point lands on a whole message frame when it is in its padding)."""
    document = view.document()
    layout = document.documentLayout()
    top = view.verticalScrollBar().value()
    bottom = top + view.viewport().height()
    low, high = 0, document.blockCount() - 1
    while low < high:
        middle = (low + high) // 2
        if layout.blockBoundingRect(document.findBlockByNumber(middle)).bottom() < top:
            low = middle + 1
        else:
            high = middle
    block = document.findBlockByNumber(low)
    while block.isValid() and layout.blockBoundingRect(block).top() <= bottom:
        yield block
        block = block.next()


LEXER_POLL_MS = 30
"""How soon the view looks again for lines a lexer made off the loop can now colour."""


class OnScreenColouring(QObject):
    """Colours the code on screen of a text view once it has been idle, and what scrolls in.

    Works a few milliseconds at a time, so scrolling through code never stalls.
    """

    def __init__(self, view: QTextEdit, highlighter: CodeHighlighter) -> None:
        super().__init__(view)
        self._view = view
        self._highlighter = highlighter
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._colour)
        view.document().contentsChanged.connect(self.schedule)

    def schedule(self) -> None:
        """Colour after the current batch of events (edits, scrolling, resizing)."""
        self._timer.start(0)

    def _colour(self) -> None:
        pending = (block for block in visible_blocks(self._view) if needs_highlighting(block))
        if not self._highlighter.highlight_blocks(pending, BUDGET_S):
            self.schedule()
        elif lexers_loading():
            # Looked for again, not told: a queued signal from the worker reaching a view
            # deleted meanwhile raised (or crashed) inside Qt.
            self._timer.start(LEXER_POLL_MS)
