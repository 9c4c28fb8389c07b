"""Break opportunities in long unbroken words, in what the transcript shows only.

Qt's line breaker looks for the end of a word before it breaks one anywhere, so laying out
a word of n characters without a space costs O(n²) (measured: a 200,000-character word took
6.3 s to open, a 19.6 M-character one streamed froze the window for 85 s). The composer
wraps such text anywhere (composer.LONG_WORD_LENGTH); the transcript cannot, since prose
must still wrap at spaces, so a zero-width space (U+200B, a break opportunity that draws
nothing) is put every BREAK_EVERY characters into runs longer than that, in the displayed
document only. The stored text, the Copy action (the Markdown source) and a copied
selection (ChatView strips them, `without_breaks`) stay the original.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QTextBlock, QTextCursor

BREAK = "\u200b"
BREAK_EVERY = 120
"""Characters between break opportunities in a long word: far more than a column's width
of ordinary words, few enough that laying a line out scans little."""

_LONG_RUN = re.compile(rf"[^\s{BREAK}]{{{BREAK_EVERY + 1},}}")
_RUN = re.compile(rf"[^\s{BREAK}]+")


def with_breaks(text: str) -> str:
    """`text` with a break opportunity every BREAK_EVERY characters of each long run."""
    if len(text) <= BREAK_EVERY:
        return text
    return _LONG_RUN.sub(_broken, text)


def with_breaks_after(text: str, run: int) -> tuple[str, int]:
    """`text`, to be appended to a block that ends in `run` characters without a space or
    break, with a break every BREAK_EVERY characters of the run it goes on with and of its
    own runs; and the run it ends in. A line that streams in pieces of any size is broken
    as if it had come whole (`with_breaks` alone never breaks a piece of 120 characters)."""
    pieces: list[str] = []
    done = 0
    for word in _RUN.finditer(text):
        start, end = word.span()
        carried = run if start == 0 else 0
        cuts = range(start + max(BREAK_EVERY - carried, 0), end, BREAK_EVERY)
        for cut in cuts:
            pieces += (text[done:cut], BREAK)
            done = cut
        run = end - cuts[-1] if cuts else carried + end - start
    if not text[-1:] or not _RUN.match(text, len(text) - 1):
        run = run if not text else 0
    pieces.append(text[done:])
    return "".join(pieces), run


def without_breaks(text: str) -> str:
    """What a selection of the transcript copies: the breaks put in for layout removed."""
    return text.replace(BREAK, "")


def without_breaks_in(data: QMimeData) -> QMimeData:
    """A copied selection's text and HTML without the breaks."""
    if data.hasText() and BREAK in data.text():
        html = data.html() if data.hasHtml() else ""
        data.setText(without_breaks(data.text()))
        if html:
            data.setHtml(without_breaks(html))
    return data


def break_long_words(first: QTextBlock, end: QTextCursor) -> None:
    """Put break opportunities into the long words of the blocks from `first` to the one
    holding `end` (a scratch document before it is inserted). Linear in the text: each
    block's text is read once, and the breaks are inserted from its end so the positions
    found stay true; the character format at each is the one before it (a link stays one
    link)."""
    cursor = QTextCursor(end.document())
    cursor.beginEditBlock()  # one change for the layout and the undo stack, not one per break
    block = first
    while block.isValid() and block.position() <= end.position():
        if block.length() > BREAK_EVERY:
            start = block.position()
            positions = [
                start + run.start() + offset
                for run in _LONG_RUN.finditer(block.text())
                for offset in range(BREAK_EVERY, run.end() - run.start(), BREAK_EVERY)
            ]
            for position in reversed(positions):
                cursor.setPosition(position)
                cursor.insertText(BREAK)
        block = block.next()
    cursor.endEditBlock()


def _broken(run: re.Match[str]) -> str:
    word = run.group()
    return BREAK.join(word[i : i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY))
