"""Where the conversation is scrolled: at the newest text while the person is there, and
kept in place when earlier messages come in above.

A streaming reply grows the document many times a second, and Qt finishes laying out long
documents lazily, each growing the scroll range: following it only while the person is at
the bottom lets them scroll up to read without being pulled back down. Earlier messages
("Show earlier messages") are put above what is on screen: the first message line visible
stays where it was rather than the view jumping to the top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextBrowser

from desktopchat.ui.transcript.code_highlighter import visible_blocks

BOTTOM_SLACK_PX = 4
"""This close to the bottom counts as at the bottom."""


class ScrollPosition(QObject):
    """Follows the bottom of one view's document while the person is there."""

    def __init__(self, view: QTextBrowser, scrolled: Callable[[], None]) -> None:
        """`scrolled()`: called whenever the view scrolled (what is on screen changed)."""
        super().__init__(view)
        self._view = view
        self._scrolled = scrolled
        self._follow_bottom = True
        scroll_bar = view.verticalScrollBar()
        scroll_bar.valueChanged.connect(self._on_scrolled)
        scroll_bar.rangeChanged.connect(self._on_range_changed)

    def to_bottom(self) -> None:
        """Show the end, and follow it from now on."""
        self._follow_bottom = True
        scroll_bar = self._view.verticalScrollBar()
        scroll_bar.setValue(scroll_bar.maximum())

    @contextmanager
    def kept_in_place(self) -> Iterator[None]:
        """What is on screen stays where it is while text is put in above it (block 0, the
        "Show earlier messages" link, is not counted as on screen)."""
        view = self._view
        scroll_bar = view.verticalScrollBar()
        layout = view.document().documentLayout()
        visible = (block for block in visible_blocks(view) if block.blockNumber() > 0)
        anchor = QTextCursor(next(visible, view.document().lastBlock()))
        offset = layout.blockBoundingRect(anchor.block()).top() - scroll_bar.value()
        yield
        scroll_bar.setValue(round(layout.blockBoundingRect(anchor.block()).top() - offset))

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        """Follow new content only while the person is at the bottom."""
        maximum = self._view.verticalScrollBar().maximum()
        self._follow_bottom = value >= maximum - BOTTOM_SLACK_PX
        self._scrolled()

    @Slot(int, int)
    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        """The document grew (a flush, a new message, or Qt finishing a lazy layout)."""
        if self._follow_bottom:
            self._view.verticalScrollBar().setValue(maximum)
