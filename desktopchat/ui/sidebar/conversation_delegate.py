"""How a conversation or a search hit looks in the sidebar's lists, and inline renaming.

Kept apart from the sidebar's behaviour (signals, search, selection) because painting two
lines of elided and rich text is its own concern, and it holds the item roles both share.
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QTextDocument,
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

from desktopchat.services.history import SNIPPET_END, SNIPPET_START

CONVERSATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The stored title, which may be empty (the display text then says "New conversation")."""
UPDATED_ROLE = Qt.ItemDataRole.UserRole + 3
MESSAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 4
"""On a search hit: the matching message's id, or -1 when the title matched."""
TITLE_HTML_ROLE = Qt.ItemDataRole.UserRole + 5
SNIPPET_HTML_ROLE = Qt.ItemDataRole.UserRole + 6
STREAMING_ROLE = Qt.ItemDataRole.UserRole + 7
PROJECT_ROLE = Qt.ItemDataRole.UserRole + 8
"""The conversation's project id, or None (ui/library/project_link.py filters on it)."""
"""True while the conversation's reply is streaming: a small dot at the end of the title."""

_PADDING = 6
_SNIPPET_LINES = 2


def snippet_to_html(snippet: str) -> str:
    """Rich text for a search snippet: everything escaped, then only the matches in bold.

    Escaping first is what keeps a title like ``<b>x</b>`` literal: the markers are
    control characters that survive escaping, so they are the only markup that appears.
    """
    escaped = html.escape(" ".join(snippet.split()), quote=False)
    return escaped.replace(SNIPPET_START, "<b>").replace(SNIPPET_END, "</b>")


def plain_snippet(snippet: str) -> str:
    """The snippet as words only, for screen readers."""
    return " ".join(snippet.replace(SNIPPET_START, "").replace(SNIPPET_END, "").split())


class ConversationDelegate(QStyledItemDelegate):
    """Draws a title line and a muted second line (relative date, or a search snippet), and
    a small dot after the title while the conversation's reply streams.

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
        if index.data(SNIPPET_HTML_ROLE):
            return _SNIPPET_LINES
        return 1 if index.data(UPDATED_ROLE) is not None else 0

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        height = 2 * _PADDING + QFontMetrics(option.font).height()
        lines = self._secondary_lines(index)
        if lines:
            height += 2 + lines * QFontMetrics(self.secondary_font(option.font)).height()
        return QSize(option.rect.width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
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
        title_html = index.data(TITLE_HTML_ROLE)
        painter.save()
        if index.data(STREAMING_ROLE):
            title_rect.setRight(title_rect.right() - _draw_streaming_dot(painter, title_rect, opt))
        if title_html:
            _draw_html(painter, title_rect, title_html, opt.font, text, text, wrap=False)
        else:
            painter.setFont(opt.font)
            painter.setPen(text)
            elided = QFontMetrics(opt.font).elidedText(
                index.data(Qt.ItemDataRole.DisplayRole),
                Qt.TextElideMode.ElideRight,
                title_rect.width(),
            )
            painter.drawText(
                title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
            )

        small = self.secondary_font(opt.font)
        second_rect = QRect(area.left(), title_rect.bottom() + 3, area.width(), 0)
        second_rect.setBottom(area.bottom())
        snippet_html = index.data(SNIPPET_HTML_ROLE)
        updated = index.data(UPDATED_ROLE)
        if snippet_html:
            _draw_html(painter, second_rect, snippet_html, small, muted, text, wrap=True)
        elif updated is not None:
            painter.setFont(small)
            painter.setPen(muted)
            date = QFontMetrics(small).elidedText(
                self.relative_date(updated), Qt.TextElideMode.ElideRight, area.width()
            )
            painter.drawText(
                second_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, date
            )
        painter.restore()

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


def _draw_html(
    painter: QPainter,
    rect: QRect,
    markup: str,
    font: QFont,
    colour: QColor,
    bold_colour: QColor,
    *,
    wrap: bool,
) -> None:
    """Paint a line (or wrapped lines) of our snippet markup, clipped to ``rect``."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(f"b {{ color: {bold_colour.name()}; }}")
    text_option = QTextOption()
    text_option.setWrapMode(
        QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wrap else QTextOption.WrapMode.NoWrap
    )
    document.setDefaultTextOption(text_option)
    document.setHtml(markup)
    document.setTextWidth(rect.width())
    clip = QRectF(0, 0, rect.width(), rect.height())
    context = QAbstractTextDocumentLayout.PaintContext()
    palette = QPalette(context.palette)  # the attribute hands out a copy: set it back whole
    palette.setColor(QPalette.ColorRole.Text, colour)
    context.palette = palette
    context.clip = clip
    painter.save()
    painter.translate(rect.topLeft())
    painter.setClipRect(clip)
    document.documentLayout().draw(painter, context)
    painter.restore()
