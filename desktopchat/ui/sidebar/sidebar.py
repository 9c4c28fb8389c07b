"""The conversation sidebar: a "New chat" button, search, and the list of conversations.

The sidebar owns no data: it shows what its owner hands it (set_conversations,
show_search_results) and reports what the person asked for through signals, so the store
stays the single source of truth and a failed rename or delete never leaves the list lying.
Deleting asks for confirmation first (no undo: the store deletes at once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QIcon, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.types import Conversation
from desktopchat.services.history import SearchHit
from desktopchat.ui.sidebar.conversation_delegate import (
    CONVERSATION_ID_ROLE,
    MESSAGE_ID_ROLE,
    PROJECT_ROLE,
    SNIPPET_HTML_ROLE,
    STREAMING_ROLE,
    TITLE_HTML_ROLE,
    TITLE_ROLE,
    UPDATED_ROLE,
    ConversationDelegate,
    plain_snippet,
    snippet_to_html,
)
from desktopchat.ui.support.plain import PlainLabel, plain_message_box, plain_tooltip

SEARCH_DEBOUNCE_MS = 150
"""Long enough that fast typing runs one search, short enough to feel live."""


class Sidebar(QWidget):
    """Conversation list with search; see the module docstring for who owns what."""

    new_chat_requested = Signal()
    conversation_selected = Signal(object)  # ids are 63-bit (storage/ids.py)
    search_hit_activated = Signal(object, object)
    search_changed = Signal(str)
    rename_requested = Signal(object, str)
    delete_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self._conversations = QStandardItemModel(self)
        self._hits = QStandardItemModel(self)
        self._delegate = ConversationDelegate(self)
        self._streaming: set[int] = set()

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
        self._list.setModel(self._conversations)
        self._list.setUniformItemSizes(True)
        self._list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        self._list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._list.setDragEnabled(True)  # onto a project (ui/library/projects_panel.py)
        self._list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.menu_extensions: list[Callable[[QMenu, int], None]] = []
        """Called with a conversation's context menu and its id (Move to project ▸)."""
        self._results = self._make_view("searchResultsList", self.tr("Search results"))
        self._results.setModel(self._hits)
        self._no_results = PlainLabel(self.tr("No results"), self)
        self._no_results.setObjectName("noResultsLabel")
        self._no_results.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._no_results.setEnabled(False)
        self._no_results.setContentsMargins(0, 24, 0, 0)
        self._stack = QStackedWidget(self)
        for page in (self._list, self._results, self._no_results):
            self._stack.addWidget(page)

        self._rename_action = self._make_list_action(
            self.tr("Rename…"), QKeySequence(Qt.Key.Key_F2)
        )
        self._delete_action = self._make_list_action(
            self.tr("Delete…"), QKeySequence(QKeySequence.StandardKey.Delete)
        )

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self._new_chat_button)
        layout.addWidget(self._search)
        layout.addWidget(self._stack, 1)
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

    def _make_list_action(self, text: str, shortcut: QKeySequence) -> QAction:
        """An action both in the context menu and as a key while the list has focus."""
        action = QAction(text, self._list)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._list.addAction(action)
        return action

    def _connect_signals(self) -> None:
        self._new_chat_button.clicked.connect(self.new_chat_requested)
        self._search.textChanged.connect(self.on_search_text_changed)
        self._debounce.timeout.connect(self.on_debounce_timeout)
        self._delegate.title_edited.connect(self.rename_requested)
        self._rename_action.triggered.connect(self.on_rename_action_triggered)
        self._delete_action.triggered.connect(self.on_delete_action_triggered)
        self._list.customContextMenuRequested.connect(self.on_list_custom_context_menu_requested)
        for view in (self._list, self._results):
            view.activated.connect(self.on_view_activated)
            view.clicked.connect(self.on_view_clicked)

    # --- what the owner calls -------------------------------------------------------------

    def add_section(self, section: QWidget) -> None:
        """Place a section (projects) between the search box and the list."""
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self._stack), section)

    @property
    def conversation_list(self) -> QListView:
        return self._list

    def set_conversations(self, conversations: Sequence[Conversation]) -> None:
        """Show ``conversations`` (most recent first), keeping the selected one selected."""
        current = self._current_id()
        self._conversations.clear()
        items = []
        for conversation in conversations:
            item = QStandardItem()
            self._fill_item(item, conversation)
            items.append(item)
        if items:
            self._conversations.invisibleRootItem().appendRows(items)
        self.select_conversation(current)

    def upsert_conversation(self, conversation: Conversation) -> None:
        """Add a conversation or update one in place; it moves to its place by ``updated``."""
        current = self._current_id()
        row = self._row_of(conversation.id)
        if (
            row is not None
            and self._conversations.item(row).data(UPDATED_ROLE) == conversation.updated
        ):
            self._fill_item(self._conversations.item(row), conversation)
            return
        item = self._conversations.takeRow(row)[0] if row is not None else QStandardItem()
        self._fill_item(item, conversation)
        position = next(
            (
                index
                for index in range(self._conversations.rowCount())
                if self._conversations.item(index).data(UPDATED_ROLE) < conversation.updated
            ),
            self._conversations.rowCount(),
        )
        self._conversations.insertRow(position, item)
        self.select_conversation(current)

    def remove_conversation(self, conversation_id: int) -> None:
        """Forget a conversation, here and in any search results on show."""
        row = self._row_of(conversation_id)
        if row is not None:
            self._conversations.removeRow(row)
        for hit_row in reversed(range(self._hits.rowCount())):
            if self._hits.item(hit_row).data(CONVERSATION_ID_ROLE) == conversation_id:
                self._hits.removeRow(hit_row)
        if self._stack.currentWidget() is self._results and self._hits.rowCount() == 0:
            self._stack.setCurrentWidget(self._no_results)

    def select_conversation(self, conversation_id: int | None) -> None:
        """Highlight a conversation (None: none) without emitting conversation_selected."""
        row = None if conversation_id is None else self._row_of(conversation_id)
        if row is None:
            self._list.selectionModel().clear()
            return
        index = self._conversations.index(row, 0)
        self._list.setCurrentIndex(index)
        self._list.scrollTo(index)

    def show_search_results(self, query: str, hits: Sequence[SearchHit]) -> None:
        """Show ``hits`` for ``query``; ignored if the search box has moved on since."""
        if query != self._search_text():
            return
        self._hits.clear()
        items = [self._hit_item(hit) for hit in hits]
        if items:
            self._hits.invisibleRootItem().appendRows(items)
        self._stack.setCurrentWidget(self._results if items else self._no_results)

    def set_streaming(self, conversation_id: int, streaming: bool) -> None:
        """Mark (or unmark) a conversation whose reply is streaming; the mark outlives a
        reload of the list."""
        if streaming:
            self._streaming.add(conversation_id)
        else:
            self._streaming.discard(conversation_id)
        row = self._row_of(conversation_id)
        if row is not None:
            self._mark_streaming(self._conversations.item(row))

    def is_marked_streaming(self, conversation_id: int) -> bool:
        row = self._row_of(conversation_id)
        return row is not None and bool(self._conversations.item(row).data(STREAMING_ROLE))

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    # --- items ----------------------------------------------------------------------------

    def _fill_item(self, item: QStandardItem, conversation: Conversation) -> None:
        title = conversation.title.strip()
        shown = title or self.tr("New conversation")
        item.setData(conversation.id, CONVERSATION_ID_ROLE)
        item.setData(conversation.title, TITLE_ROLE)
        item.setData(conversation.updated, UPDATED_ROLE)
        item.setData(conversation.project_id, PROJECT_ROLE)
        item.setText(shown)
        item.setToolTip(plain_tooltip(shown))
        date = self._delegate.relative_date(conversation.updated)
        item.setData(f"{shown}, {date}", Qt.ItemDataRole.AccessibleTextRole)
        self._mark_streaming(item)

    def _mark_streaming(self, item: QStandardItem) -> None:
        streaming = item.data(CONVERSATION_ID_ROLE) in self._streaming
        item.setData(streaming, STREAMING_ROLE)
        item.setData(
            self.tr("replying") if streaming else None, Qt.ItemDataRole.AccessibleDescriptionRole
        )

    def _hit_item(self, hit: SearchHit) -> QStandardItem:
        title = hit.conversation_title.strip() or self.tr("New conversation")
        item = QStandardItem(title)
        item.setEditable(False)
        item.setToolTip(plain_tooltip(title))
        item.setData(hit.conversation_id, CONVERSATION_ID_ROLE)
        item.setData(-1 if hit.message_id is None else hit.message_id, MESSAGE_ID_ROLE)
        if hit.message_id is None:
            item.setData(snippet_to_html(hit.snippet), TITLE_HTML_ROLE)
            item.setData(title, Qt.ItemDataRole.AccessibleTextRole)
        else:
            item.setData(snippet_to_html(hit.snippet), SNIPPET_HTML_ROLE)
            accessible = f"{title}: {plain_snippet(hit.snippet)}"
            item.setData(accessible, Qt.ItemDataRole.AccessibleTextRole)
        return item

    def _row_of(self, conversation_id: int) -> int | None:
        for row in range(self._conversations.rowCount()):
            if self._conversations.item(row).data(CONVERSATION_ID_ROLE) == conversation_id:
                return row
        return None

    def _current_id(self) -> int | None:
        index = self._list.currentIndex()
        return index.data(CONVERSATION_ID_ROLE) if index.isValid() else None

    def _search_text(self) -> str:
        return self._search.text().strip()

    # --- slots ----------------------------------------------------------------------------

    def on_search_text_changed(self, _text: str) -> None:
        if self._search_text():
            self._debounce.start()
            return
        self._debounce.stop()
        self._hits.clear()
        self._stack.setCurrentWidget(self._list)

    def on_debounce_timeout(self) -> None:
        if self._search_text():
            self.search_changed.emit(self._search_text())

    def on_view_clicked(self, index: QModelIndex) -> None:
        """A single click opens, unless the platform already turns it into ``activated``."""
        view = self.sender()
        hint = QStyle.StyleHint.SH_ItemView_ActivateItemOnSingleClick
        if not view.style().styleHint(hint, None, view):
            self._open(index)

    def on_view_activated(self, index: QModelIndex) -> None:
        self._open(index)

    def _open(self, index: QModelIndex) -> None:
        conversation_id = index.data(CONVERSATION_ID_ROLE)
        if conversation_id is None:
            return
        message_id = index.data(MESSAGE_ID_ROLE)
        if message_id is not None:
            self.select_conversation(conversation_id)
        self.conversation_selected.emit(conversation_id)
        if message_id is not None:
            self.search_hit_activated.emit(conversation_id, message_id)

    def on_rename_action_triggered(self) -> None:
        index = self._list.currentIndex()
        if index.isValid():
            self._list.edit(index)

    def on_delete_action_triggered(self) -> None:
        """Ask before deleting: a conversation is gone for good once the store drops it.

        The question is shown with open(), not exec(): no nested event loop under qasync.
        """
        index = self._list.currentIndex()
        if not index.isValid():
            return
        conversation_id = index.data(CONVERSATION_ID_ROLE)
        title = index.data(Qt.ItemDataRole.DisplayRole)
        box = plain_message_box(
            QMessageBox.Icon.Question,
            self.tr("Delete conversation"),
            self.tr("Delete “{title}” and all its messages? This cannot be undone.").format(
                title=title
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("deleteConversationQuestion")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        delete_button = box.button(QMessageBox.StandardButton.Yes)
        delete_button.setText(self.tr("Delete"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def on_answered(_result: int) -> None:
            if box.clickedButton() is delete_button:
                self.delete_requested.emit(conversation_id)

        box.finished.connect(on_answered)
        box.open()

    def on_list_custom_context_menu_requested(self, position: QPoint) -> None:
        index = self._list.indexAt(position)
        if not index.isValid():
            return
        self._list.setCurrentIndex(index)
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self._rename_action)
        menu.addAction(self._delete_action)
        for extend in self.menu_extensions:
            extend(menu, index.data(CONVERSATION_ID_ROLE))
        menu.popup(self._list.viewport().mapToGlobal(position))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in the search box clears it; Down moves into the list being shown."""
        if watched is self._search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self._search.text():
                self._search.clear()
                return True
            if (
                event.key() == Qt.Key.Key_Down
                and self._stack.currentWidget() is not self._no_results
            ):
                view = self._stack.currentWidget()
                if not view.currentIndex().isValid() and view.model().rowCount():
                    view.setCurrentIndex(view.model().index(0, 0))
                view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)
