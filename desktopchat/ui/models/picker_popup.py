"""The model picker's popup: a search field over one list of every provider's models.

Type to filter; Up and Down move over the rows that can be chosen, Enter chooses, Esc
closes; Ctrl+D or a click on the star marks a favourite. Rows are plain text (model names
are outside text) drawn by the delegate of picker_delegate.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui.models.picker_delegate import ROW_PADDING, STAR_WIDTH, RowDelegate, RowsModel
from desktopchat.ui.models.picker_rows import Row, RowKind
from desktopchat.ui.support.icons import IconRefresher

POPUP_SIZE = QSize(520, 420)


class PickerPopup(QFrame):
    """The popup itself; it only reports what was chosen or asked."""

    filter_changed = Signal(str)
    activated = Signal(object)  # Row
    favourite_toggled = Signal(object)  # Row
    refresh_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("modelPickerPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.resize(POPUP_SIZE)
        self.search = QLineEdit(self)
        self.search.setObjectName("modelSearch")
        self.search.setPlaceholderText(
            self.tr("Search models of every provider, or type a model id")
        )
        self.search.setAccessibleName(self.tr("Search models"))
        self.search.setClearButtonEnabled(True)
        self.refresh_button = QToolButton(self)
        self.refresh_button.setObjectName("refreshModelsButton")
        self.refresh_button.setAutoRaise(True)
        self.refresh_button.setAccessibleName(self.tr("Refresh the model lists"))
        self.refresh_button.setToolTip(self.tr("Refresh the model lists"))
        IconRefresher(self).set(self.refresh_button, "refresh")
        self.rows = RowsModel(self)
        self.view = QListView(self)
        self.view.setObjectName("modelList")
        self.view.setAccessibleName(self.tr("Models"))
        self.view.setModel(self.rows)
        self.view.setItemDelegate(RowDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setMouseTracking(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        star = QShortcut(QKeySequence("Ctrl+D"), self)
        star.activated.connect(self.on_star_shortcut_activated)
        self.search.textChanged.connect(self.filter_changed)
        self.search.installEventFilter(self)
        self.view.clicked.connect(self.on_view_clicked)
        self.refresh_button.clicked.connect(self.refresh_requested)

    def set_rows(self, rows: list[Row], selected: tuple[str, str] | None = None) -> None:
        """Show rows, the chosen model (or else the first that can be chosen) selected."""
        self.rows.set_rows(rows)
        found = -1
        if selected is not None and not self.search.text().strip():
            found = next(
                (
                    number
                    for number, row in enumerate(rows)
                    if row.kind is RowKind.MODEL
                    and row.model is not None
                    and selected == (row.provider_id, row.model.id)
                ),
                -1,
            )
        if found < 0:  # a model first; the typed id only when nothing else matched
            chosen = (n for n, r in enumerate(rows) if r.selectable and r.kind is not RowKind.TYPED)
            found = next(chosen, next((n for n, r in enumerate(rows) if r.selectable), -1))
        self._select(found)

    def current(self) -> Row | None:
        index = self.view.currentIndex()
        rows = self.rows.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def _select(self, number: int) -> None:
        if number < 0:
            self.view.clearSelection()
            return
        index = self.rows.index(number)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _move(self, step: int, rows: Sequence[Row]) -> None:
        start = self.view.currentIndex().row()
        number = start + step
        while 0 <= number < len(rows):
            if rows[number].selectable:
                self._select(number)
                return
            number += step

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The keys of the search field that act on the list."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event.key())
        return super().eventFilter(watched, event)

    def _key(self, key: int) -> bool:
        rows = self.rows.rows
        steps = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: 10,
            Qt.Key.Key_PageUp: -10,
        }
        if key in steps:
            step = steps[Qt.Key(key)]
            self._move(1 if step > 0 else -1, rows) if abs(step) == 1 else self._page(step, rows)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            row = self.current()
            if row is not None and row.selectable:
                self.activated.emit(row)
            return True
        if key == Qt.Key.Key_Escape:
            self.close()
            return True
        return False

    def _page(self, step: int, rows: Sequence[Row]) -> None:
        for _ in range(abs(step)):
            self._move(1 if step > 0 else -1, rows)

    def on_view_clicked(self, index: QModelIndex) -> None:
        if not index.isValid() or index.row() >= len(self.rows.rows):
            return
        row = self.rows.rows[index.row()]
        cursor = self.view.viewport().mapFromGlobal(self.cursor().pos())
        on_star = cursor.x() < ROW_PADDING + STAR_WIDTH
        if row.kind is RowKind.MODEL and on_star:
            self.favourite_toggled.emit(row)
        elif row.selectable:
            self.activated.emit(row)

    def on_star_shortcut_activated(self) -> None:
        row = self.current()
        if row is not None and row.kind is RowKind.MODEL:
            self.favourite_toggled.emit(row)
