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
    CODE_PAD_Y,
    LEFT_OUT,
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


def paint_left_out_veil(view: QTextEdit, formats: ChatFormats) -> None:
    """Dim the messages on screen that are left out of what is sent (painted over the
    text, which a format alone cannot fade)."""
    frames: dict[int, QTextFrame] = {}
    for block in visible_blocks(view):
        frame = message_frame(block)
        if frame is not None and frame.frameFormat().boolProperty(LEFT_OUT):
            frames.setdefault(frame.firstPosition(), frame)
    if not frames:
        return
    layout = view.document().documentLayout()
    painter = QPainter(view.viewport())
    painter.translate(-view.horizontalScrollBar().value(), -view.verticalScrollBar().value())
    try:
        for frame in frames.values():
            painter.fillRect(layout.frameBoundingRect(frame), formats.veil)
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
    """A rounded box from each header block to the last line of its code.

    Only the blocks on screen are visited (a code block can have thousands of lines): a box
    that starts above the viewport or ends below it is drawn past its edge."""
    boxes: list[list] = []  # [header or None, first line, last line]
    for block in blocks:
        block_format = block.blockFormat()
        if block_format.hasProperty(CODE_HEADER):
            boxes.append([block, None, None])
        elif code_language(block_format) is not None:
            box = boxes[-1] if boxes else None
            tail = None if box is None else box[2] or box[0]
            if tail is not None and tail.next() == block:
                box[1] = box[1] or block
                box[2] = block
            else:  # a box that starts above the viewport
                boxes.append([None, block, block])
    for header, first, last in boxes:
        _paint_code_box(painter, layout, header, first, last, formats)


def _paint_code_box(painter, layout, header, first, last, formats: ChatFormats) -> None:
    edge = RADIUS * 2  # how far a box cut by the viewport is drawn past it
    top_block = header if header is not None else first
    box = layout.blockBoundingRect(top_block)
    if last is not None:
        box = box.united(layout.blockBoundingRect(last))
    # Block rectangles leave out the margins, where the box's padding goes.
    box.setTop(box.top() - (CODE_PAD_Y if header is not None else edge))
    if last is None or code_language(last.next().blockFormat()) is not None:
        box.setBottom(box.bottom() + edge)  # the code goes on below the screen
    else:
        box.setBottom(box.bottom() + CODE_PAD_Y)
    # Block rects start at the left margin's start and end at the lines' right edge.
    box.setRight(box.right() + 2 * CODE_PAD_X)
    painter.setPen(QPen(formats.border, 1))
    painter.setBrush(formats.theme.background)
    painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), CODE_RADIUS, CODE_RADIUS)
    if header is not None:
        _paint_code_header(painter, box, layout.blockBoundingRect(header), header, formats)
    if first is not None:
        _paint_continuations(painter, layout, first, last, formats)


def _paint_code_header(painter, box: QRectF, header: QRectF, block, formats) -> None:
    """The tinted strip with the language at its left, on the baseline of the Copy action
    (text at the right of the header's line), so both sit on one line."""
    band = QPainterPath()
    band.addRoundedRect(box.adjusted(1, 1, -1, -1), CODE_RADIUS - 1, CODE_RADIUS - 1)
    strip = QPainterPath()
    strip.addRect(
        QRectF(box.left(), box.top(), box.width(), header.bottom() + CODE_PAD_Y - box.top())
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(formats.code_header)
    painter.drawPath(band.intersected(strip))
    line = block.layout().lineAt(0)
    if not line.isValid():
        return
    painter.setPen(formats.muted_colour)
    painter.setFont(formats.small_font)
    baseline = header.top() + line.y() + line.ascent()
    language = block.blockFormat().stringProperty(CODE_HEADER)
    painter.drawText(QPointF(box.left() + CODE_PAD_X, baseline), language)


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
