"""The sidebar's list of conversations: pinned ones first, then the rest under date headers
(Today, Yesterday, Previous 7 days, Previous 30 days, then one per month), read from the
history a page at a time as the person scrolls.

A history of 300,000 conversations is never read whole (issue 18): `canFetchMore` and
`fetchMore` are Qt's own paging hooks, called by the view when its last rows come into
sight; `page_wanted` asks the owner for the page after the last one shown, the owner reads
it in a worker and hands it to `add_page`. Headers are rows too (disabled, so the keyboard
skips them), kept right as conversations come, move and go, each change told to the view
row by row so its selection and scroll position stay.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktopchat.domain.types import Conversation, ConversationPage
from desktopchat.ui.support.plain import plain_tooltip

CONVERSATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The stored title, which may be empty (the display text then says "New conversation")."""
UPDATED_ROLE = Qt.ItemDataRole.UserRole + 3
STREAMING_ROLE = Qt.ItemDataRole.UserRole + 7
"""True while the conversation's reply is streaming: a small dot at the end of the title."""
HEADER_ROLE = Qt.ItemDataRole.UserRole + 8
"""On a group's header row: its label ("Today", "March 2026")."""
PINNED_ROLE = Qt.ItemDataRole.UserRole + 9

PAGE_SIZE = 200
"""Conversations read per page: a few screens, read in a few milliseconds."""

_Index = QModelIndex | QPersistentModelIndex


def place_of(conversation: Conversation) -> tuple[int, float, int]:
    """The list's order as a sortable key, larger first (the history's own order)."""
    return (int(conversation.pinned), conversation.updated, conversation.id)


def group_of(conversation: Conversation, today: QDate) -> str:
    """The header a conversation sits under, in the person's language and locale (month
    names from QLocale, so they are right even when LANG is unset)."""

    translate = QCoreApplication.translate
    if conversation.pinned:
        return translate("ConversationGroups", "Pinned")
    day = QDateTime.fromSecsSinceEpoch(int(conversation.updated)).date()
    age = day.daysTo(today)
    if age <= 0:
        return translate("ConversationGroups", "Today")
    if age == 1:
        return translate("ConversationGroups", "Yesterday")
    if age < 7:
        return translate("ConversationGroups", "Previous 7 days")
    if age < 30:
        return translate("ConversationGroups", "Previous 30 days")
    month = QLocale().standaloneMonthName(day.month(), QLocale.FormatType.LongFormat)
    month = month[:1].upper() + month[1:]
    return month if day.year() == today.year() else f"{month} {day.year()}"


class ConversationListModel(QAbstractListModel):
    """Rows are group headers (str) and conversations, in the list's order."""

    page_wanted = Signal(object)
    """The place after which the next page starts (see storage's conversation_page)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[str | Conversation] = []
        self._keys: list[tuple[int, float, int]] = []
        """The loaded conversations' places, ascending (for bisect), mirrored in _rows."""
        self._more = False
        self._last: tuple[int, float, int] | None = None
        self._loading = False
        self._streaming: set[int] = set()
        self._today = QDate.currentDate()

    # --- Qt's model interface -------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: _Index) -> None:
        if self.canFetchMore(parent):
            self._loading = True
            self.page_wanted.emit(self._last)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, str):
            if role in (HEADER_ROLE, Qt.ItemDataRole.DisplayRole):
                return row
            return row if role == Qt.ItemDataRole.AccessibleTextRole else None
        return self._conversation_data(row, role)

    def _conversation_data(self, conversation: Conversation, role: int) -> object:
        shown = conversation.title.strip() or self.tr("New conversation")
        if role == Qt.ItemDataRole.DisplayRole:
            return shown
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(shown)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return shown
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            parts = [self.tr("pinned")] if conversation.pinned else []
            if conversation.id in self._streaming:
                parts.append(self.tr("replying"))
            return ", ".join(parts) or None
        return {
            CONVERSATION_ID_ROLE: conversation.id,
            TITLE_ROLE: conversation.title,
            UPDATED_ROLE: conversation.updated,
            STREAMING_ROLE: conversation.id in self._streaming,
            PINNED_ROLE: conversation.pinned,
        }.get(role)

    # --- what the sidebar calls -----------------------------------------------------------

    def set_first_page(self, page: ConversationPage) -> None:
        """Start over from the top with `page` (start-up, after an import or a restore)."""
        self.beginResetModel()
        self._today = QDate.currentDate()
        self._rows, self._keys = [], []
        self._loading = False
        self._take(page)
        for conversation in page.conversations:
            self._place(conversation)
        self.endResetModel()

    def add_page(self, page: ConversationPage) -> None:
        """The page asked for with `page_wanted`; conversations already here are skipped
        (one may have moved up while the page was read)."""
        self._loading = False
        self._take(page)
        known = {row.id for row in self._rows if not isinstance(row, str)}
        fresh = [c for c in page.conversations if c.id not in known]
        lowest = self._keys[0] if self._keys else None
        tail = [c for c in fresh if lowest is None or place_of(c) < lowest]
        for conversation in fresh:
            if lowest is not None and place_of(conversation) >= lowest:
                self._insert(conversation)  # moved up while the page was read (rare)
        self._append(tail)

    def _append(self, conversations: list[Conversation]) -> None:
        """Conversations that all come after the last one shown, in order: one insertion
        for the page, so the view lays itself out once rather than once per row."""
        if not conversations:
            return
        rows: list[str | Conversation] = []
        previous = self._group_at(len(self._rows) - 1) if self._rows else None
        for conversation in conversations:
            group = group_of(conversation, self._today)
            if group != previous:
                rows.append(group)
                previous = group
            rows.append(conversation)
        self._keys[0:0] = sorted(place_of(c) for c in conversations)
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def page_failed(self) -> None:
        """The page could not be read: the next scroll asks again."""
        self._loading = False

    def upsert(self, conversation: Conversation) -> None:
        """Add a conversation or move it to its place; one that belongs below the pages
        read so far is left for its page."""
        self.remove(conversation.id)
        if self._more and self._last is not None and place_of(conversation) < self._last:
            return
        self._insert(conversation)

    def remove(self, conversation_id: int) -> None:
        row = self.row_of(conversation_id)
        if row is None:
            return
        conversation = self._rows[row]
        assert not isinstance(conversation, str)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._keys.remove(place_of(conversation))
        self.endRemoveRows()
        header = row - 1
        if (
            header >= 0
            and isinstance(self._rows[header], str)
            and (row == len(self._rows) or isinstance(self._rows[row], str))
        ):
            self.beginRemoveRows(QModelIndex(), header, header)
            del self._rows[header]
            self.endRemoveRows()

    def set_streaming(self, conversation_id: int, streaming: bool) -> None:
        if streaming:
            self._streaming.add(conversation_id)
        else:
            self._streaming.discard(conversation_id)
        self._changed(conversation_id)

    def is_streaming(self, conversation_id: int) -> bool:
        """Whether the conversation is marked as replying (and is in the list)."""
        return conversation_id in self._streaming and self.row_of(conversation_id) is not None

    def conversation(self, conversation_id: int) -> Conversation | None:
        row = self.row_of(conversation_id)
        found = None if row is None else self._rows[row]
        return None if isinstance(found, str) else found

    def row_of(self, conversation_id: int) -> int | None:
        for row, item in enumerate(self._rows):
            if not isinstance(item, str) and item.id == conversation_id:
                return row
        return None

    def conversations(self) -> Iterable[Conversation]:
        return (row for row in self._rows if not isinstance(row, str))

    # --- rows -----------------------------------------------------------------------------

    def _take(self, page: ConversationPage) -> None:
        self._more, self._last = page.more, page.last

    def _changed(self, conversation_id: int) -> None:
        row = self.row_of(conversation_id)
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def _insert(self, conversation: Conversation) -> None:
        """Put a conversation at its place, with its group's header if it is the first."""
        key = place_of(conversation)
        position = bisect.bisect_left(self._keys, key)
        above = len(self._keys) - position  # loaded conversations that come before it
        self._keys.insert(position, key)
        group = group_of(conversation, self._today)
        row = self._row_of_nth(above)
        if row < len(self._rows) and self._group_at(row) != group and row > 0:
            row -= isinstance(self._rows[row - 1], str)  # goes before the next one's header
        rows: list[str | Conversation] = [conversation]
        if row == 0 or self._group_at(row - 1) != group:
            rows.insert(0, group)
        self.beginInsertRows(QModelIndex(), row, row + len(rows) - 1)
        self._rows[row:row] = rows
        self.endInsertRows()

    def _place(self, conversation: Conversation) -> None:
        """Append during a reset (pages arrive in order): no per-row signals."""
        self._keys.insert(0, place_of(conversation))
        group = group_of(conversation, self._today)
        if not self._rows or self._group_at(len(self._rows) - 1) != group:
            self._rows.append(group)
        self._rows.append(conversation)

    def _group_at(self, row: int) -> str:
        item = self._rows[row]
        return item if isinstance(item, str) else group_of(item, self._today)

    def _row_of_nth(self, count: int) -> int:
        """The row of the conversation with `count` loaded ones before it (the end when
        there is none)."""
        seen = 0
        for row, item in enumerate(self._rows):
            if isinstance(item, str):
                continue
            if seen == count:
                return row
            seen += 1
        return len(self._rows)
