"""How far a person's message bubble is indented: it is only as wide as its text.

A person's message sits on the right, in a bubble the width of its widest line (or of its
attachments), up to the reading column's. The indent is the message frame's left margin;
backdrop.py paints the bubble behind the text. When the column changes width (the window
is resized) every bubble gets its indent again from the width measured when it was drawn,
without measuring its text again.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QFont, QFontMetricsF, QTextFrame

from desktopchat.ui.transcript.formats import BUBBLE_MIN_INDENT, BUBBLE_PAD_X

MEASURED_LINES = 200
"""A person's message is measured up to this many lines (a pasted log is simply wide)."""


class Bubbles:
    """The text width of each bubble shown, and the indent it gives in the column."""

    def __init__(self) -> None:
        self.column_width = 600.0
        """The reading column's width in pixels (the view sets it on resize)."""
        self._text_widths: dict[int, float] = {}

    def clear(self) -> None:
        self._text_widths.clear()

    def indent(self, message_id: int, text_width: float) -> float:
        """The indent of a message's bubble whose content is `text_width` wide (kept for
        later changes of the column)."""
        width = min(text_width, self.column_width)
        self._text_widths[message_id] = width
        return self._indent(width)

    def set_column_width(self, width: float, frames: Mapping[int, QTextFrame]) -> None:
        """The column changed width: every bubble gets its indent again."""
        self.column_width = width
        for message_id, text_width in self._text_widths.items():
            frame = frames.get(message_id)
            if frame is not None:
                frame_format = frame.frameFormat()
                frame_format.setLeftMargin(self._indent(text_width))
                frame.setFrameFormat(frame_format)

    def text_width(self, text: str, font: QFont) -> float:
        """The widest line's width, up to the column's (shaping a long line costs ~0.5 ms,
        so a line far too long for the column is not measured)."""
        metrics = QFontMetricsF(font)
        longest = self.column_width / max(1.0, metrics.averageCharWidth() * 0.5)
        widest = 0.0
        for line in text.splitlines()[:MEASURED_LINES]:
            if len(line) > longest:
                return self.column_width
            widest = max(widest, metrics.horizontalAdvance(line))
        return widest

    def _indent(self, text_width: float) -> float:
        column = self.column_width
        indent = column - BUBBLE_PAD_X * 2 - text_width - 4
        return max(BUBBLE_PAD_X, column * BUBBLE_MIN_INDENT, indent)
