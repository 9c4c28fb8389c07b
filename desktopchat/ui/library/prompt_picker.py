"""The popup that `/` in an empty message box opens: the saved prompts, filtered as the person
types, chosen with the arrows and Enter; Esc closes it and leaves the `/` typed.

A Qt popup: it takes the keyboard while open and closes on a click elsewhere. Its last row
opens the whole library (to add the first prompt, or edit one)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktopchat.domain.prompts import Prompt
from desktopchat.ui.support.plain import plain_tooltip

ID_ROLE = Qt.ItemDataRole.UserRole
MANAGE = "manage"
"""The id of the last row, which opens the library."""
ROWS_SHOWN = 8
ROW_PADDING = 12
TOOLTIP_CHARS = 600
GAP = 4
"""Room between the popup and the composer's card: neither border covers the other."""


def popup_place(size: QSize, anchor: QWidget) -> QPoint:
    """Where a popup of `size` goes (global top-left): GAP above `anchor`, else GAP below
    it, kept on the anchor's screen."""
    top_left = anchor.mapToGlobal(QPoint(0, 0))
    screen = anchor.screen().availableGeometry()
    y = top_left.y() - GAP - size.height()
    if y < screen.top():
        y = min(top_left.y() + anchor.height() + GAP, screen.bottom() - size.height())
    x = min(max(top_left.x(), screen.left()), screen.right() + 1 - size.width())
    return QPoint(x, y)


def row_size(view: QWidget) -> QSize:
    """A list row with room around its line of text (Qt's default hugs the text)."""
    return QSize(0, view.fontMetrics().height() + ROW_PADDING)


class PromptPicker(QFrame):
    chosen = Signal(str)
    """A prompt's id."""
    manage_requested = Signal()
    dismissed = Signal()
    """Closed without a choice (Esc, a click elsewhere)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("promptPicker")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._prompts: Sequence[Prompt] = ()
        self._answered = False
        self._filter = QLineEdit(self)
        self._filter.setObjectName("promptFilter")
        self._filter.setPlaceholderText(self.tr("Type to filter your prompts"))
        self._filter.setAccessibleName(self.tr("Filter prompts"))
        self._filter.installEventFilter(self)
        self._list = QListWidget(self)
        self._list.setObjectName("promptPickerList")
        self._list.setAccessibleName(self.tr("Saved prompts"))
        self._list.setUniformItemSizes(True)
        self._list.itemActivated.connect(self._on_item_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self._filter)
        layout.addWidget(self._list)
        self._filter.textChanged.connect(self._refill)

    def show_prompts(self, prompts: Sequence[Prompt], edit: QWidget, width: int) -> None:
        """Fill and show the popup just above the frame that holds the message box `edit`
        (the composer's card), its left edge on the card's and its border clear of the
        card's; below the card when the screen has no room above."""
        self._prompts = prompts
        self._refill()
        rows = min(ROWS_SHOWN, self._list.count())
        frame = 2 * self._list.frameWidth()
        self._list.setFixedHeight(row_size(self._list).height() * rows + frame)
        self.setFixedWidth(width)
        self.adjustSize()
        self.move(popup_place(self.size(), edit.parentWidget() or edit))
        self.show()
        self._filter.setFocus()

    def _refill(self) -> None:
        words = self._filter.text()
        self._list.clear()
        size = row_size(self._list)
        for prompt in self._prompts:
            if prompt.matches(words):
                item = QListWidgetItem(prompt.name, self._list)
                item.setData(ID_ROLE, prompt.id)
                item.setToolTip(plain_tooltip(prompt.body[:TOOLTIP_CHARS]))
                item.setSizeHint(size)
        if not self._list.count():
            words = (
                self.tr("No prompt matches") if self._prompts else self.tr("No saved prompts yet")
            )
            none = QListWidgetItem(words, self._list)
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            none.setSizeHint(size)
        manage = QListWidgetItem(self.tr("Manage prompts… (Ctrl+Shift+P)"), self._list)
        manage.setData(ID_ROLE, MANAGE)
        manage.setSizeHint(size)
        italic = manage.font()
        italic.setItalic(True)
        manage.setFont(italic)
        for row in range(self._list.count()):
            if self._list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled:
                self._list.setCurrentRow(row)
                break

    def _move(self, step: int) -> None:
        rows = [
            r
            for r in range(self._list.count())
            if self._list.item(r).flags() & Qt.ItemFlag.ItemIsEnabled
        ]
        if rows:
            current = self._list.currentRow()
            at = rows.index(current) if current in rows else -1
            self._list.setCurrentRow(rows[min(max(at + step, 0), len(rows) - 1)])

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self._choose(item)

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        self._answered = True
        chosen = item.data(ID_ROLE)
        self.close()
        if chosen == MANAGE:
            self.manage_requested.emit()
        else:
            self.chosen.emit(chosen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up, Down, Page keys and Enter in the filter act on the list."""
        if watched is self._filter and event.type() == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._move(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self._move(ROWS_SHOWN if key == Qt.Key.Key_PageDown else -ROWS_SHOWN)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self._list.currentItem())
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not self._answered:
            self._answered = True
            self.dismissed.emit()
