"""How the model picker's rows are held and drawn: a list model over the plain rows, and a
delegate that paints each as plain text (model names are outside text) with the star, the
name, the capability marks as icons of the app's set (each with its tooltip) and, in grey
on the right, the context and the price.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from desktopchat.ui.models.picker_rows import Row, RowKind
from desktopchat.ui.support.icons import tinted
from desktopchat.ui.support.plain import plain_tooltip

STAR_WIDTH = 24
ROW_PADDING = 10


class RowsModel(QStringListModel):
    """The rows as a list model. The texts live in Qt's own string list, so the view's
    layout of thousands of rows (index and rowCount per row) never calls Python; the rows
    themselves stay here for the delegate and the tooltips."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.rows = rows
        self.setStringList([row.text for row in rows])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.text
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = (
                row.model.id if row.model is not None and row.kind is RowKind.MODEL else row.detail
            )
            return plain_tooltip(tip) if tip else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return " ".join(p for p in (row.text, marks(row), row.detail) if p)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if index.isValid() and index.row() < len(self.rows) and self.rows[index.row()].selectable:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.NoItemFlags


MARK_SIZE = 14
MARK_GAP = 5


def _mark_table() -> tuple[tuple[str, str, str, str], ...]:
    """(fact, icon, word, tooltip) of each capability mark, in the order shown."""
    return (
        (
            "vision",
            "eye",
            QCoreApplication.translate("ModelPicker", "vision"),
            QCoreApplication.translate("ModelPicker", "Reads images"),
        ),
        (
            "reasoning",
            "lightbulb",
            QCoreApplication.translate("ModelPicker", "reasoning"),
            QCoreApplication.translate("ModelPicker", "Reasons before it answers"),
        ),
        (
            "tools",
            "tools",
            QCoreApplication.translate("ModelPicker", "tools"),
            QCoreApplication.translate("ModelPicker", "Calls tools"),
        ),
    )


def row_marks(row: Row) -> list[tuple[str, str, str]]:
    """The capability marks of a model row as (icon, word, tooltip): reads images,
    reasons, calls tools."""
    if row.kind is not RowKind.MODEL:
        return []
    return [(ico, word, tip) for fact, ico, word, tip in _mark_table() if getattr(row.facts, fact)]


def marks(row: Row) -> str:
    """The marks in words, for screen readers: "vision · reasoning · tools"."""
    return " · ".join(word for _, word, _ in row_marks(row))


class RowLayout:
    """Where a row's parts go: the star, the name, the mark icons and the grey detail on
    the right. Shared by painting and tooltips, so a tooltip names the mark under the
    pointer."""

    def __init__(self, row: Row, rect: QRect, metrics: QFontMetrics) -> None:
        inner = rect.adjusted(ROW_PADDING, 0, -ROW_PADDING, 0)
        self.star = inner.adjusted(0, 0, -(inner.width() - STAR_WIDTH), 0)
        inner = inner.adjusted(STAR_WIDTH, 0, 0, 0)
        self.detail_rect = inner
        self.detail_width = (
            min(metrics.horizontalAdvance(row.detail) + 4, inner.width() // 2) if row.detail else 0
        )
        right = inner.right() - self.detail_width - (MARK_GAP if row.detail else 0)
        self.marks: list[tuple[QRect, str, str]] = []
        top = inner.top() + (inner.height() - MARK_SIZE) // 2
        for ico, _, tip in reversed(row_marks(row)):
            self.marks.insert(
                0, (QRect(right - MARK_SIZE + 1, top, MARK_SIZE, MARK_SIZE), ico, tip)
            )
            right -= MARK_SIZE + MARK_GAP
        self.name = QRect(
            inner.left(), inner.top(), max(right - inner.left() - 4, 20), inner.height()
        )


class RowDelegate(QStyledItemDelegate):
    """Paints a row as plain text (never rich text, whatever a model is called) with its
    capability marks as icons of the app's set, each with its tooltip."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icons: dict[tuple[str, str], QIcon] = {}

    def _icon(self, name: str, colour: QColor) -> QIcon:
        key = (name, colour.name())
        if key not in self._icons:
            self._icons[key] = tinted(name, key[1])
        return self._icons[key]

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        model = index.model()
        if not isinstance(model, RowsModel) or index.row() >= len(model.rows):
            return
        row = model.rows[index.row()]
        palette = option.palette
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        font = QFont(option.font)
        if row.kind is RowKind.HEADER:
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            inner = rect.adjusted(ROW_PADDING, 0, -ROW_PADDING, 0)
            painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter, row.text)
            painter.restore()
            return
        painter.setFont(font)
        metrics = painter.fontMetrics()
        places = RowLayout(row, rect, metrics)
        grey = palette.color(QPalette.ColorRole.PlaceholderText)
        if row.kind is RowKind.MODEL:
            painter.setPen(palette.color(text_role) if row.favourite else grey)
            painter.drawText(
                places.star, Qt.AlignmentFlag.AlignVCenter, "★" if row.favourite else "☆"
            )
        quiet = palette.color(text_role) if selected else grey
        for place, ico, _ in places.marks:
            self._icon(ico, quiet).paint(painter, place)
        if row.detail:
            painter.setPen(quiet)
            # figures keep their end (the price), an error its start (what failed)
            elide = (
                Qt.TextElideMode.ElideRight
                if row.kind is RowKind.FAILED
                else Qt.TextElideMode.ElideLeft
            )
            detail = metrics.elidedText(row.detail, elide, places.detail_width)
            painter.drawText(
                places.detail_rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                detail,
            )
        painter.setPen(palette.color(text_role))
        name = metrics.elidedText(row.text, Qt.TextElideMode.ElideRight, places.name.width())
        painter.drawText(places.name, Qt.AlignmentFlag.AlignVCenter, name)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        height = option.fontMetrics.height()
        return QSize(200, max(height, MARK_SIZE) + 12)

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Over a mark, its tooltip ("Calls tools"); elsewhere the row's own."""
        model = index.model()
        if (
            event.type() == QEvent.Type.ToolTip
            and isinstance(model, RowsModel)
            and index.row() < len(model.rows)
        ):
            places = RowLayout(model.rows[index.row()], option.rect, option.fontMetrics)
            for place, _, tip in places.marks:
                if place.adjusted(-2, -4, 2, 4).contains(event.pos()):
                    QToolTip.showText(event.globalPos(), tip, view, place)
                    return True
        return super().helpEvent(event, view, option, index)
