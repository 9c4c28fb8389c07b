"""What is painted behind the conversation's text: bubbles, code boxes, quote bars.

QTextDocument paints frame and block backgrounds as plain rectangles the width of the text;
a chat looks like a chat with rounded bubbles and boxes. So the document carries no
backgrounds for these, only marks (formats.MESSAGE_ROLE on a message frame, CODE_HEADER on
the block above a code block, the quote level on a quote's blocks), and the view paints the
shapes for the blocks on screen before the text is drawn over them. Only the blocks in the
viewport are visited (found by bisection: code_highlighter.visible_blocks), so the cost does
not grow with the conversation.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextFormat,
    QTextFrame,
)
from PySide6.QtWidgets import QTextEdit

from desktopchat.ui.transcript.code_highlighter import code_language, visible_blocks
from desktopchat.ui.transcript.formats import (
    BUBBLE_PAD_X,
    BUBBLE_PAD_Y,
    CODE_HEADER,
    CODE_PAD_X,
    MESSAGE_ROLE,
    QUOTE_INDENT,
    ChatFormats,
)

RADIUS = 14.0
CODE_RADIUS = 9.0
CONTINUATION_MARK = "\u21aa"


def paint_backdrop(view: QTextEdit, formats: ChatFormats, hidden_frame: int | None) -> None:
    """Paint the shapes behind the text on screen; `hidden_frame` (the first position of a
    frame being edited in place) gets no bubble."""
    blocks = list(visible_blocks(view))
    if not blocks:
        return
    layout = view.document().documentLayout()
    painter = QPainter(view.viewport())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(-view.horizontalScrollBar().value(), -view.verticalScrollBar().value())
    try:
        _paint_bubbles(painter, layout, blocks, formats, hidden_frame)
        _paint_code_boxes(painter, layout, blocks, formats)
        _paint_quote_bars(painter, layout, blocks, formats)
    finally:
        painter.end()


def message_frame(block: QTextBlock) -> QTextFrame | None:
    """The message frame (a child of the root frame) a block is in."""
    frame = QTextCursor(block).currentFrame()
    root = block.document().rootFrame()
    while frame is not None and frame.parentFrame() is not None:
        if frame.parentFrame() == root:
            return frame
        frame = frame.parentFrame()
    return None


def bubble_rect(layout, frame: QTextFrame) -> QRectF:
    """The bubble around a person's message: its content blocks (between the header and the
    footer lines), padded."""
    first = frame.firstCursorPosition().block().next()
    last = frame.lastCursorPosition().block()
    rect = QRectF()
    block = first
    while block.isValid() and block != last and block.position() < last.position():
        rect = rect.united(layout.blockBoundingRect(block))
        block = block.next()
    return rect.adjusted(-BUBBLE_PAD_X, -BUBBLE_PAD_Y, BUBBLE_PAD_X, BUBBLE_PAD_Y)


def _paint_bubbles(painter, layout, blocks, formats: ChatFormats, hidden_frame) -> None:
    seen: set[int] = set()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(formats.bubble)
    for block in blocks:
        frame = message_frame(block)
        if frame is None or frame.firstPosition() in seen:
            continue
        seen.add(frame.firstPosition())
        if frame.frameFormat().property(MESSAGE_ROLE) != "user":
            continue
        if frame.firstPosition() == hidden_frame:
            continue
        rect = bubble_rect(layout, frame)
        if not rect.isEmpty():
            painter.drawRoundedRect(rect, RADIUS, RADIUS)


def _paint_code_boxes(painter, layout, blocks, formats: ChatFormats) -> None:
    """A rounded box from each header block to the last line of its code."""
    first = blocks[0]
    while code_language(first.blockFormat()) is not None and first.previous().isValid():
        first = first.previous()  # the box of a block that starts above the viewport
    bottom = layout.blockBoundingRect(blocks[-1]).bottom()
    block = first
    while block.isValid() and layout.blockBoundingRect(block).top() <= bottom:
        block_format = block.blockFormat()
        if not block_format.hasProperty(CODE_HEADER):
            block = block.next()
            continue
        language = block_format.stringProperty(CODE_HEADER)
        header = layout.blockBoundingRect(block)
        end = block.next()
        last = block
        while end.isValid() and code_language(end.blockFormat()) is not None:
            last = end
            end = end.next()
        box = header.united(layout.blockBoundingRect(last))
        box.setTop(header.top() + 2)
        box.setRight(box.right() + CODE_PAD_X)  # block rects leave out the right margin
        _paint_code_box(painter, layout, box, header, block, last, language, formats)
        block = end


def _paint_code_box(painter, layout, box, header, header_block, last, language, formats) -> None:
    background = formats.theme.background
    painter.setPen(QPen(formats.border, 1))
    painter.setBrush(background)
    painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), CODE_RADIUS, CODE_RADIUS)
    band = QPainterPath()
    band.addRoundedRect(box.adjusted(1, 1, -1, -1), CODE_RADIUS - 1, CODE_RADIUS - 1)
    strip = QPainterPath()
    strip.addRect(QRectF(box.left(), box.top(), box.width(), header.bottom() - box.top() - 2))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(formats.code_header)
    painter.drawPath(band.intersected(strip))
    painter.setPen(formats.muted_colour)
    painter.setFont(formats.small_font)
    label_box = QRectF(box.left() + 12, box.top(), box.width() / 2, header.bottom() - box.top() - 2)
    painter.drawText(
        label_box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, language
    )
    _paint_continuations(painter, layout, header_block.next(), last, formats)


def _paint_continuations(painter, layout, first: QTextBlock, last: QTextBlock, formats) -> None:
    """A small ↪ before each wrapped part of a long code line."""
    painter.setPen(QColor(formats.muted_colour))
    block = first
    while block.isValid():
        text_layout = block.layout()
        if text_layout.lineCount() > 1:
            origin = layout.blockBoundingRect(block).topLeft()
            for index in range(1, text_layout.lineCount()):
                line = text_layout.lineAt(index)
                point = origin + QPointF(line.x() - 11, line.y() + line.ascent())
                painter.drawText(point, CONTINUATION_MARK)
        if block == last:
            break
        block = block.next()


def _paint_quote_bars(painter, layout, blocks, formats: ChatFormats) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(formats.quote_bar)
    for block in blocks:
        level = block.blockFormat().intProperty(QTextFormat.Property.BlockQuoteLevel)
        if not level:
            continue
        rect = layout.blockBoundingRect(block)
        for depth in range(level):
            x = rect.left() + QUOTE_INDENT * depth + 2
            painter.drawRoundedRect(QRectF(x, rect.top(), 3, rect.height()), 1.5, 1.5)
