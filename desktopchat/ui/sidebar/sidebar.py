"""The conversation sidebar: "New chat", search, and the list of conversations in groups,
pinned ones on top; folded, a narrow rail with the button that unfolds it.

The sidebar owns no data: it shows what its owner hands it (pages of the list, search
results) and reports what the person asked for through signals, so the store stays the
single source of truth and a failed rename or delete never leaves the list lying. The
highlighted row is always the conversation on screen (`select_conversation`): a right-click,
a delete, a page that arrives or a move of the list puts it back there.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.types import Conversation, ConversationPage
from desktopchat.services.history import ConversationHit
from desktopchat.ui.sidebar.conversation_delegate import ConversationDelegate
from desktopchat.ui.sidebar.conversation_model import (
    CONVERSATION_ID_ROLE,
    PINNED_ROLE,
    ConversationListModel,
)
from desktopchat.ui.sidebar.list_actions import ListActions
from desktopchat.ui.sidebar.search_results import SearchResults
from desktopchat.ui.support.plain import PlainLabel

SEARCH_DEBOUNCE_MS = 150
"""Long enough that fast typing runs one search, short enough to feel live."""
RAIL_WIDTH = 44
"""The folded sidebar: one column of icon buttons."""


class Sidebar(QWidget):
    """Conversation list with search; see the module docstring for who owns what."""

    new_chat_requested = Signal()
    conversation_selected = Signal(object)  # ids are 63-bit (storage/ids.py)
    conversation_browsed = Signal(object)
    """The arrow keys moved to a conversation in the list: it opens, the focus stays."""
    search_hit_activated = Signal(object, object, str)  # conversation, message, query
    search_changed = Signal(str)
    rename_requested = Signal(object, str)
    delete_requested = Signal(list)
    pin_requested = Signal(list, bool)
    page_wanted = Signal(object)
    fold_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self._model = ConversationListModel(self)
        self._delegate = ConversationDelegate(self)
        self._shown: int | None = None
        self._highlighting = False
        self._keyed = False
        """A key press in the list is being handled: a move of its current row is the
        person's (not a row removed or added under it)."""
        self._folded = False

        self._fold_button = QToolButton(self, objectName="foldSidebarButton")
        self._fold_button.setAutoRaise(True)
        self._new_chat_button = QPushButton(self.tr("New chat"), self)
        self._new_chat_button.setObjectName("newChatButton")
        self._new_chat_button.setIcon(QIcon.fromTheme(QIcon.ThemeIcon.DocumentNew))
        self._new_chat_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))

        self._search = QLineEdit(self)
        self._search.setObjectName("conversationSearch")
        self._search.setPlaceholderText(self.tr("Search conversations (Ctrl+K)"))
        self._search.setAccessibleName(self.tr("Search conversations"))
        self._search.setClearButtonEnabled(True)
        self._search.installEventFilter(self)

        self._list = self._make_view("conversationList", self.tr("Conversations"))
        self._list.setModel(self._model)
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._list.setUniformItemSizes(True)  # headers as tall as rows: see the delegate
        self._list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._list.installEventFilter(self)
        self._results = SearchResults(self._make_view("searchResultsList", self.tr("Results")))
        self._no_results = PlainLabel(self.tr("No results"), self)
        self._no_results.setObjectName("noResultsLabel")
        self._no_results.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._no_results.setEnabled(False)
        self._no_results.setContentsMargins(0, 24, 0, 0)
        self._stack = QStackedWidget(self)
        for page in (self._list, self._results.view, self._no_results):
            self._stack.addWidget(page)

        self.list_actions = ListActions(self, self._targets, self._title_of, self._is_pinned)
        self.addActions(self.list_actions.actions())  # window-wide keys: see list_actions.py

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)

        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self._fold_button)
        top.addWidget(self._new_chat_button, 1)
        self._top = top
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self._search)
        layout.addWidget(self._stack, 1)
        layout.addStretch(0)  # folded (the list hidden), the rail's buttons stay on top
        self._word_fold_button()
        self._connect_signals()

    def _make_view(self, name: str, accessible_name: str) -> QListView:
        view = QListView(self)
        view.setObjectName(name)
        view.setAccessibleName(accessible_name)
        view.setItemDelegate(self._delegate)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        return view

    def _connect_signals(self) -> None:
        self._fold_button.clicked.connect(self.fold_requested)
        self._new_chat_button.clicked.connect(self.new_chat_requested)
        self._search.textChanged.connect(self.on_search_text_changed)
        self._debounce.timeout.connect(self.on_debounce_timeout)
        self._delegate.title_edited.connect(self.rename_requested)
        self.list_actions.rename_wanted.connect(self.rename_conversation)
        self.list_actions.pin_requested.connect(self.pin_requested)
        self.list_actions.delete_requested.connect(self.delete_requested)
        self._list.customContextMenuRequested.connect(self.on_list_custom_context_menu_requested)
        self._list.activated.connect(self.on_list_activated)
        self._list.clicked.connect(self.on_list_clicked)
        self._list.selectionModel().currentChanged.connect(self.on_list_current_changed)
        self._list.selectionModel().selectionChanged.connect(self.on_list_selection_changed)
        self._model.page_wanted.connect(self.page_wanted)
        self._model.rowsInserted.connect(self._highlight_shown)
        self._model.rowsRemoved.connect(self._highlight_shown)
        self._model.modelReset.connect(self._highlight_shown)
        self._results.opened.connect(self._open_result)

    # --- what the owner calls -------------------------------------------------------------

    def set_first_page(self, page: ConversationPage) -> None:
        """Show the list from its top (more pages come as the person scrolls)."""
        self._model.set_first_page(page)

    def add_page(self, page: ConversationPage) -> None:
        self._model.add_page(page)

    def page_failed(self) -> None:
        self._model.page_failed()

    def set_conversations(self, conversations: Sequence[Conversation]) -> None:
        """Show these conversations and no more (a short list: tests, a small history)."""
        ordered = sorted(conversations, key=lambda c: (c.pinned, c.updated, c.id), reverse=True)
        self._model.set_first_page(ConversationPage(tuple(ordered), False, None))

    def upsert_conversation(self, conversation: Conversation) -> None:
        """Add a conversation or update it; it moves to its place (pins, then `updated`)."""
        self._model.upsert(conversation)

    def remove_conversation(self, conversation_id: int) -> None:
        """Forget a conversation, here and in any search results on show."""
        self._model.remove(conversation_id)
        if not self._results.remove(conversation_id) and self._showing(self._results.view):
            self._stack.setCurrentWidget(self._no_results)

    def select_conversation(self, conversation_id: int | None) -> None:
        """The conversation on screen (None: a new chat): its row is the highlighted one,
        without emitting conversation_selected."""
        self._shown = conversation_id
        self._highlight_shown()
        row = None if conversation_id is None else self._model.row_of(conversation_id)
        if row is not None:
            self._list.scrollTo(self._model.index(row, 0))

    def show_search_results(self, query: str, results: Sequence[ConversationHit]) -> None:
        """Show `results` for `query`; ignored if the search box has moved on since."""
        if query != self._search_text():
            return
        found = self._results.show(query, results)
        self._stack.setCurrentWidget(self._results.view if found else self._no_results)

    def set_streaming(self, conversation_id: int, streaming: bool) -> None:
        """Mark (or unmark) a conversation whose reply is streaming; the mark outlives a
        reload of the list."""
        self._model.set_streaming(conversation_id, streaming)

    def is_marked_streaming(self, conversation_id: int) -> bool:
        return self._model.is_streaming(conversation_id)

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def rename_conversation(self, conversation_id: int) -> None:
        """Edit the title in its row (the conversation on screen, when F2 is pressed
        elsewhere); a conversation not loaded in the list is left alone."""
        row = self._model.row_of(conversation_id)
        if row is None:
            return
        if self._search.text():
            self._search.clear()
        index = self._model.index(row, 0)
        self._list.scrollTo(index)
        self._list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._list.edit(index)

    def is_folded(self) -> bool:
        return self._folded

    def set_folded(self, folded: bool) -> None:
        """Fold to a rail of icons, or unfold; the window decides when (sidebar_fold.py)."""
        self._folded = folded
        for widget in (self._search, self._stack):
            widget.setVisible(not folded)
        self._new_chat_button.setText("+" if folded else self.tr("New chat"))
        self._new_chat_button.setAccessibleName(self.tr("New chat"))
        self._top.setDirection(
            QHBoxLayout.Direction.TopToBottom if folded else QHBoxLayout.Direction.LeftToRight
        )
        if folded:
            self.setFixedWidth(RAIL_WIDTH)
        else:
            self.setMinimumWidth(0)
            self.setMaximumWidth(16777215)
        margin = 4 if folded else 8
        self.layout().setContentsMargins(margin, 8, margin, 8)
        self._word_fold_button()

    def _word_fold_button(self) -> None:
        self._fold_button.setText("»" if self._folded else "«")  # text: legible in both themes
        words = self.tr("Show the sidebar") if self._folded else self.tr("Hide the sidebar")
        self._fold_button.setToolTip(f"{words} (Ctrl+B)")
        self._fold_button.setAccessibleName(words)

    # --- selection ------------------------------------------------------------------------

    def _highlight_shown(self, *_changes: object) -> None:
        """Put the highlight back on the conversation on screen (or on no row), without
        scrolling: a page arriving or a row moving must not pull the list back to it."""
        row = None if self._shown is None else self._model.row_of(self._shown)
        selection = self._list.selectionModel()
        if row is None:
            selection.clear()
            return
        index = self._model.index(row, 0)
        if selection.currentIndex() == index and selection.isSelected(index):
            return  # already there (a multi-selection around it is the person's)
        self._highlighting = True
        try:
            selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect)
        finally:
            self._highlighting = False
        self._keyed = False
        """A key press in the list is being handled: a move of its current row is the
        person's (not a row removed or added under it)."""
        self._list.scrollTo(index)

    def focus_list(self) -> None:
        self._list.setFocus(Qt.FocusReason.OtherFocusReason)

    def selected_ids(self) -> list[int]:
        """The conversations selected in the list, in the list's order."""
        rows = sorted(index.row() for index in self._list.selectionModel().selectedIndexes())
        ids = [self._model.index(row, 0).data(CONVERSATION_ID_ROLE) for row in rows]
        return [cid for cid in ids if cid is not None]

    def _targets(self) -> list[int]:
        """What rename, pin and delete act on: the list's selection while it has the focus
        (or its context menu is open), else the conversation on screen."""
        if self._list.hasFocus() and not self._folded:
            return self.selected_ids()
        return [] if self._shown is None else [self._shown]

    def _title_of(self, conversation_id: int) -> str | None:
        row = self._model.row_of(conversation_id)
        return None if row is None else self._model.index(row, 0).data()

    def _is_pinned(self, conversation_id: int) -> bool:
        row = self._model.row_of(conversation_id)
        return row is not None and bool(self._model.index(row, 0).data(PINNED_ROLE))

    def _search_text(self) -> str:
        return self._search.text().strip()

    def _showing(self, widget: QWidget) -> bool:
        return self._stack.currentWidget() is widget

    # --- slots ----------------------------------------------------------------------------

    def on_search_text_changed(self, _text: str) -> None:
        if self._search_text():
            self._debounce.start()
            return
        self._debounce.stop()
        self._results.clear()
        self._stack.setCurrentWidget(self._list)

    def on_debounce_timeout(self) -> None:
        if self._search_text():
            self.search_changed.emit(self._search_text())

    def on_list_clicked(self, index: QModelIndex) -> None:
        """A plain click opens (unless the platform already makes it `activated`); a
        Ctrl or Shift click only selects, for a bulk pin or delete."""
        modifiers = QApplication.keyboardModifiers()
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return
        hint = QStyle.StyleHint.SH_ItemView_ActivateItemOnSingleClick
        if not self._list.style().styleHint(hint, None, self._list):
            self._open(index)

    def on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Moving through the list with the keyboard opens what it moves to; a mouse press,
        a Ctrl or Shift move (selecting several), a row added or removed, or our own
        highlight does not."""
        if self._highlighting or not self._keyed:
            return
        modifiers = QApplication.keyboardModifiers()
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return
        conversation_id = current.data(CONVERSATION_ID_ROLE)
        if conversation_id is not None and conversation_id != self._shown:
            self.conversation_browsed.emit(conversation_id)

    def on_list_selection_changed(self, *_changes: object) -> None:
        """Word the actions for what they will act on (the Edit menu shows them too)."""
        self.list_actions.update_for(self.selected_ids())

    def on_list_activated(self, index: QModelIndex) -> None:
        self._open(index)

    def _open(self, index: QModelIndex) -> None:
        conversation_id = index.data(CONVERSATION_ID_ROLE)
        if conversation_id is not None:
            self.conversation_selected.emit(conversation_id)

    def _open_result(self, conversation_id: int, message_id: int | None) -> None:
        self.conversation_selected.emit(conversation_id)
        self.search_hit_activated.emit(conversation_id, message_id, self._search_text())

    def on_list_custom_context_menu_requested(self, position: QPoint) -> None:
        """The menu acts on the row under the pointer (or on the selection it is part of);
        the highlight stays on the conversation on screen."""
        index = self._list.indexAt(position)
        conversation_id = index.data(CONVERSATION_ID_ROLE) if index.isValid() else None
        if conversation_id is None:
            return
        selected = self.selected_ids()
        targets = selected if conversation_id in selected else [conversation_id]
        menu = self.list_actions.menu_for(targets)
        menu.aboutToHide.connect(self._highlight_shown)
        menu.popup(self._list.viewport().mapToGlobal(position))

    def _end_key(self) -> None:
        self._keyed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in the search box clears it; Down moves into the list being shown. Arrow
        keys in the list open the conversation they move to (the highlight is what is on
        screen); the focus stays in the list."""
        if watched is self._list and event.type() == QEvent.Type.KeyPress:
            self._keyed = True
            QTimer.singleShot(0, self._end_key)
        if watched is self._search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self._search.text():
                self._search.clear()
                return True
            if event.key() == Qt.Key.Key_Down and not self._showing(self._no_results):
                view = self._stack.currentWidget()
                if not view.currentIndex().isValid() and view.model().rowCount():
                    view.setCurrentIndex(view.model().index(0, 0))
                view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)
