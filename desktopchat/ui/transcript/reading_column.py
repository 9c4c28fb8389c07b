"""The conversation's reading column: a centred measure of text, a little larger than the
window's controls.

Long lines are hard to read, so the text keeps to COLUMN_EM (less in a narrow window). The
root frame's side margins make the column, so the whole width of the view still scrolls with
the wheel; the top margin lowers a new chat's empty state towards the middle.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QFontInfo, QTextDocument, QTextOption

from desktopchat.ui.transcript.chat_document import ConversationDocument
from desktopchat.ui.transcript.formats import COLUMN_EM
from desktopchat.ui.transcript.markdown import InertDocument

SIDE_GUTTER = 24
"""Least space between the reading column and the view's edges."""
READING_SCALE = 1.07
"""The conversation's text is a little larger than the window's controls."""


def reading_font(widget_font: QFont) -> QFont:
    """The conversation's font, from the view's own."""
    font = QFont(widget_font)
    font.setPointSizeF(font.pointSizeF() * READING_SCALE)
    return font


def reading_document(parent: QObject, widget_font: QFont) -> QTextDocument:
    """The conversation's document: never loading a resource (markdown.InertDocument), no
    undo history (it is never typed into), long words broken anywhere rather than overflowing
    the column, in the reading font."""
    document = InertDocument(parent)
    document.setUndoRedoEnabled(False)
    option = document.defaultTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    document.setDefaultTextOption(option)
    document.setDefaultFont(reading_font(widget_font))
    return document


def fit_column(width: int, document: QTextDocument, conversation: ConversationDocument) -> None:
    """Centre a reading column of COLUMN_EM in a viewport `width` wide (call in an edit
    block); nothing is touched when it is already so."""
    em = QFontInfo(document.defaultFont()).pixelSize()
    column = min(COLUMN_EM * em, width - 2 * SIDE_GUTTER)
    side = max(SIDE_GUTTER // 2, (width - column) / 2)
    root = document.rootFrame()
    root_format = root.frameFormat()
    if root_format.leftMargin() == side and conversation.column_width == column:
        return
    root_format.setLeftMargin(side)
    root_format.setRightMargin(side)
    root_format.setBottomMargin(16)
    root.setFrameFormat(root_format)
    conversation.set_column_width(width - 2 * side)


def set_top_margin(document: QTextDocument, margin: float) -> None:
    """Space above the first line (the empty state sits a third of the way down)."""
    root = document.rootFrame()
    root_format = root.frameFormat()
    if root_format.topMargin() != margin:
        root_format.setTopMargin(margin)
        root.setFrameFormat(root_format)
