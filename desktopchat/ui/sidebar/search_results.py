"""The sidebar's search results: one row per conversation, its title (matches marked), the
number of its messages that match, and its best match's snippet as plain text with the
match marked; Enter or a click opens it at the match."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QListView, QStyle

from desktopchat.services.history import ConversationHit
from desktopchat.ui.sidebar.conversation_delegate import (
    HITS_ROLE,
    MARKED_SNIPPET_ROLE,
    MARKED_TITLE_ROLE,
    MESSAGE_ID_ROLE,
)
from desktopchat.ui.sidebar.conversation_model import CONVERSATION_ID_ROLE
from desktopchat.ui.sidebar.marked_text import without_marks
from desktopchat.ui.support.plain import plain_tooltip


class SearchResults(QObject):
    """Fills `view` with results and says which one the person opens."""

    opened = Signal(object, object)  # conversation id, best message id (None: the title)

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self._model = QStandardItemModel(self)
        view.setModel(self._model)
        view.activated.connect(self.on_view_activated)
        view.clicked.connect(self.on_view_clicked)

    def show(self, query: str, results: Sequence[ConversationHit]) -> bool:
        """Show `results`; whether there are any."""
        self._model.clear()
        items = [self._item(result) for result in results]
        if items:
            self._model.invisibleRootItem().appendRows(items)
        return bool(items)

    def clear(self) -> None:
        self._model.clear()

    def remove(self, conversation_id: int) -> bool:
        """Drop a deleted conversation's row; whether any row is left."""
        for row in reversed(range(self._model.rowCount())):
            if self._model.item(row).data(CONVERSATION_ID_ROLE) == conversation_id:
                self._model.removeRow(row)
        return self._model.rowCount() > 0

    def _item(self, result: ConversationHit) -> QStandardItem:
        title = result.title.strip() or self.tr("New conversation")
        item = QStandardItem(title)
        item.setEditable(False)
        item.setData(result.conversation_id, CONVERSATION_ID_ROLE)
        item.setData(-1 if result.message_id is None else result.message_id, MESSAGE_ID_ROLE)
        item.setData(result.hits, HITS_ROLE)
        if result.title_snippet:
            item.setData(result.title_snippet, MARKED_TITLE_ROLE)
        words = [title]
        if result.message_id is not None:
            item.setData(result.snippet, MARKED_SNIPPET_ROLE)
            words.append(without_marks(result.snippet))
        if result.hits:
            words.append(self.tr("%n matching message(s)", "", result.hits))
        if result.attachment_name:
            words.append(self.tr("in {name}").format(name=result.attachment_name))
        item.setData(", ".join(words), Qt.ItemDataRole.AccessibleTextRole)
        item.setToolTip(plain_tooltip("\n".join(words)))
        return item

    def on_view_clicked(self, index: QModelIndex) -> None:
        """A single click opens, unless the platform already turns it into `activated`."""
        hint = QStyle.StyleHint.SH_ItemView_ActivateItemOnSingleClick
        if not self.view.style().styleHint(hint, None, self.view):
            self._open(index)

    def on_view_activated(self, index: QModelIndex) -> None:
        self._open(index)

    def _open(self, index: QModelIndex) -> None:
        conversation_id = index.data(CONVERSATION_ID_ROLE)
        if conversation_id is not None:
            message_id = index.data(MESSAGE_ID_ROLE)
            self.opened.emit(conversation_id, None if message_id == -1 else message_id)
