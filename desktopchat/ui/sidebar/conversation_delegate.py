"""How a conversation, a group header or a search result looks in the sidebar's lists, and
inline renaming.

Kept apart from the sidebar's behaviour (signals, search, selection) because painting is its
own concern. Everything is drawn as plain text: a search result's matches are character
ranges (marked_text.py) drawn bold with a tinted background by a QTextLayout, never markup.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktopchat.ui.sidebar.conversation_model import (
    CONVERSATION_ID_ROLE,
    HEADER_ROLE,
    PINNED_ROLE,
    STREAMING_ROLE,
    TITLE_ROLE,
    UPDATED_ROLE,
)
from desktopchat.ui.sidebar.marked_text import marked
from desktopchat.ui.support.contrast import match_tint
from desktopchat.ui.support.icons import tinted_pixmap

MESSAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 4
"""On a search result: the best-matching message's id, or -1 when only the title matched."""
MARKED_TITLE_ROLE = Qt.ItemDataRole.UserRole + 5
"""On a search result whose title matches: the title with its matches marked."""
MARKED_SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 6
"""On a search result: the best match's snippet, marked."""
HITS_ROLE = Qt.ItemDataRole.UserRole + 10
"""On a search result: how many of the conversation's messages match."""

_PADDING = 6
_SNIPPET_LINES = 2


class ConversationDelegate(QStyledItemDelegate):
    """Draws a title line and a muted second line (relative date, or a search snippet), a
    pin before a pinned title, a count of hits after a result's title, a small dot after
    the title while the conversation's reply streams, and group headers.

    Titles are elided rather than wrapped so every conversation row has the same height,
    and a rename edits the stored title, then reports it instead of writing to the model.
    """

    title_edited = Signal(object, str)

    def secondary_font(self, font: QFont) -> QFont:
        smaller = QFont(font)
        smaller.setPointSizeF(font.pointSizeF() * 0.88)
        return smaller

    def relative_date(self, timestamp: float, today: QDate | None = None) -> str:
        """ "Today 14:03", "Yesterday", or the date: what a person scanning a list wants."""
        moment = QDateTime.fromSecsSinceEpoch(int(timestamp))
        today = today or QDate.currentDate()
        locale = QLocale()
        if moment.date() == today:
            time = locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
            return self.tr("Today {time}").format(time=time)
        if moment.date() == today.addDays(-1):
            return self.tr("Yesterday")
        return locale.toString(moment.date(), QLocale.FormatType.ShortFormat)

    def _secondary_lines(self, index: QModelIndex) -> int:
        if index.data(MARKED_SNIPPET_ROLE):
            return _SNIPPET_LINES
        return 1 if index.data(UPDATED_ROLE) is not None else 0

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        """One height for a conversation's row and a group's header (the header's label at
        its bottom, the space above it parting the groups): the list then has uniform
        rows and lays out 300,000 of them without asking each its size."""
        small = QFontMetrics(self.secondary_font(option.font)).height()
        height = 2 * _PADDING + QFontMetrics(option.font).height()
        lines = 1 if index.data(HEADER_ROLE) is not None else self._secondary_lines(index)
        if lines:
            height += 2 + lines * small
        return QSize(option.rect.width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        header = index.data(HEADER_ROLE)
        painter.save()
        if header is not None:
            self._paint_header(painter, opt, header)
        else:
            self._paint_row(painter, opt, index)
        painter.restore()

    def _paint_header(self, painter: QPainter, opt: QStyleOptionViewItem, label: str) -> None:
        """A group's label: small, muted, bold, at the bottom of its row."""
        font = self.secondary_font(opt.font)
        font.setBold(True)
        colour = QColor(opt.palette.color(QPalette.ColorRole.Text))
        colour.setAlphaF(0.55)
        painter.setFont(font)
        painter.setPen(colour)
        area = opt.rect.adjusted(_PADDING + 2, 0, -_PADDING - 2, -_PADDING // 2)
        text = QFontMetrics(font).elidedText(label, Qt.TextElideMode.ElideRight, area.width())
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text)

    def _paint_row(self, painter: QPainter, opt: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt.text = ""
        opt.icon = QIcon()
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = opt.palette.color(text_role)
        # Translucent rather than a fixed grey: it mutes on any background, including the
        # transparent one the theme gives the list.
        muted = QColor(text)
        muted.setAlphaF(0.6)

        area = opt.rect.adjusted(_PADDING + 2, _PADDING, -_PADDING - 2, -_PADDING)
        title_height = QFontMetrics(opt.font).height()
        title_rect = QRect(area.left(), area.top(), area.width(), title_height)
        if index.data(STREAMING_ROLE):
            title_rect.setRight(title_rect.right() - _draw_streaming_dot(painter, title_rect, opt))
        hits = index.data(HITS_ROLE)
        if hits:
            title_rect.setRight(title_rect.right() - _draw_count(painter, title_rect, opt, hits))
        if index.data(PINNED_ROLE):
            title_rect.setLeft(title_rect.left() + _draw_pin(painter, title_rect, muted))
        marked_title = index.data(MARKED_TITLE_ROLE)
        title = index.data(Qt.ItemDataRole.DisplayRole)
        if marked_title:
            title, ranges = marked(marked_title)
        else:
            ranges = []
        _draw_marked(painter, title_rect, title, ranges, opt, text, lines=1)

        small = self.secondary_font(opt.font)
        second_rect = QRect(area.left(), title_rect.bottom() + 3, area.width(), 0)
        second_rect.setBottom(area.bottom())
        snippet = index.data(MARKED_SNIPPET_ROLE)
        updated = index.data(UPDATED_ROLE)
        small_opt = QStyleOptionViewItem(opt)
        small_opt.font = small
        if snippet:
            plain, ranges = marked(snippet)
            _draw_marked(painter, second_rect, plain, ranges, small_opt, muted, _SNIPPET_LINES)
        elif updated is not None:
            _draw_marked(painter, second_rect, self.relative_date(updated), [], small_opt, muted)

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName(self.tr("Conversation title"))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        editor.setText(index.data(TITLE_ROLE))
        editor.selectAll()

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> None:
        height = editor.sizeHint().height()
        rect = option.rect.adjusted(2, 0, -2, 0)
        editor.setGeometry(rect.left(), rect.top() + max(0, _PADDING - 3), rect.width(), height)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        title = " ".join(editor.text().split())
        if title and title != index.data(TITLE_ROLE):
            self.title_edited.emit(index.data(CONVERSATION_ID_ROLE), title)


def _draw_streaming_dot(painter: QPainter, line: QRect, opt: QStyleOptionViewItem) -> int:
    """Paint the "replying" dot at the right end of ``line``; returns the width it takes.

    Quiet on purpose: the accent colour, the size of a lower-case letter, no animation.
    """
    diameter = max(4, round(line.height() * 0.4))
    selected = bool(opt.state & QStyle.StateFlag.State_Selected)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(opt.palette.color(role))
    top = line.top() + (line.height() - diameter) // 2
    painter.drawEllipse(QRect(line.right() - diameter + 1, top, diameter, diameter))
    painter.restore()
    return diameter + _PADDING


def _draw_marked(
    painter: QPainter,
    rect: QRect,
    text: str,
    ranges: list[tuple[int, int]],
    opt: QStyleOptionViewItem,
    colour: QColor,
    lines: int = 1,
) -> None:
    """Plain `text` in up to `lines` lines, its `ranges` bold on a tint of the highlight
    colour that stands out in either theme (contrast.match_tint); the last line that fits
    ends in "…" when the text goes on."""
    layout = QTextLayout(text, opt.font)
    text_option = QTextOption()
    text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(text_option)
    mark = QTextCharFormat()
    mark.setFontWeight(QFont.Weight.Bold)
    mark.setBackground(match_tint(opt.palette, _list_background(opt)))
    formats = []
    for start, length in ranges:
        found = QTextLayout.FormatRange()
        found.start, found.length, found.format = start, length, mark
        formats.append(found)
    layout.setFormats(formats)
    metrics = QFontMetrics(opt.font)
    painter.setPen(colour)
    y = 0.0
    layout.beginLayout()
    drawn = 0
    while drawn < lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(rect.width())
        line.setPosition(QPointF(0, y))
        y += line.height()
        drawn += 1
    layout.endLayout()
    last = layout.lineAt(drawn - 1) if drawn else None
    cut = last is not None and last.textStart() + last.textLength() < len(text)
    if cut and last is not None:
        # The last line is drawn by hand, elided, with no marks past the cut (rare).
        for number in range(drawn - 1):
            layout.lineAt(number).draw(painter, QPointF(rect.topLeft()))
        rest = text[last.textStart() :]
        elided = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, rect.width())
        tail = QTextLayout(elided, opt.font)
        tail.setFormats(
            [
                _shifted(found, last.textStart())
                for found in formats
                if found.start >= last.textStart()
            ]
        )
        tail.beginLayout()
        tail_line = tail.createLine()
        tail_line.setLineWidth(rect.width() * 2)
        tail_line.setPosition(QPointF(0, last.y()))
        tail.endLayout()
        tail.draw(painter, QPointF(rect.topLeft()))
        return
    layout.draw(painter, QPointF(rect.topLeft()))


def _list_background(opt: QStyleOptionViewItem) -> QColor:
    """The colour behind the list's rows: the theme's style sheet makes the lists
    transparent, which leaves transparent black as their own window colour, so it is their
    parent's (a tint worked out over black was navy on the light theme)."""
    colour = opt.palette.color(QPalette.ColorRole.Window)
    if colour.alpha() == 255:
        return colour
    view = opt.widget
    parent = view.parentWidget() if view is not None else None
    palette = parent.palette() if parent is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window)


def _shifted(found: QTextLayout.FormatRange, offset: int) -> QTextLayout.FormatRange:
    moved = QTextLayout.FormatRange()
    moved.start, moved.length, moved.format = found.start - offset, found.length, found.format
    return moved


def _draw_count(painter: QPainter, line: QRect, opt: QStyleOptionViewItem, count: int) -> int:
    """A search result's number of hits, right-aligned in a muted pill; its width."""
    font = QFont(opt.font)
    font.setPointSizeF(font.pointSizeF() * 0.85)
    text = QLocale().toString(count)
    metrics = QFontMetrics(font)
    width = metrics.horizontalAdvance(text) + 12
    height = metrics.height() + 2
    pill = QRect(
        line.right() - width + 1, line.top() + (line.height() - height) // 2, width, height
    )
    colour = QColor(opt.palette.color(QPalette.ColorRole.Text))
    colour.setAlphaF(0.1)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(pill, height / 2, height / 2)
    painter.setFont(font)
    colour.setAlphaF(0.75)
    painter.setPen(colour)
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return width + _PADDING


def _draw_pin(painter: QPainter, line: QRect, colour: QColor) -> int:
    """The pin icon of our set before a pinned conversation's title, in `colour` (its
    alpha too); the width it takes."""
    size = max(10, round(line.height() * 0.8))
    target = QRect(line.left(), line.top() + (line.height() - size) // 2, size, size)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setOpacity(colour.alphaF())
    painter.drawPixmap(target, tinted_pixmap("pin", colour.name()))
    painter.restore()
    return size + 4
