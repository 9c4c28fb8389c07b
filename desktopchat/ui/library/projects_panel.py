"""The sidebar's projects section: "All conversations", then each project; a project is
chosen to show only its conversations, and conversations dragged from the list onto a
project are moved into it.

Like the sidebar, it owns no data: project_link.py fills it and does what it asks for.
Names come from the person (and from sync): shown as plain item text, never rich text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.projects import Project
from desktopchat.ui.sidebar.conversation_model import dragged_ids
from desktopchat.ui.support.plain import PlainLabel

PROJECT_ID_ROLE = Qt.ItemDataRole.UserRole + 40


class ProjectList(QListWidget):
    """The list, taking drops of a conversation from the sidebar's list."""

    conversation_dropped = Signal(list, object)  # conversation ids, project id or None
    delete_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def _dragged(self, event: QDropEvent | QDragMoveEvent | QDragEnterEvent) -> list[int]:
        """The conversations a drag from the sidebar's list carries (none from elsewhere)."""
        return dragged_ids(event.mimeData())

    def event(self, event: QEvent) -> bool:
        """Del here deletes the chosen project, not the conversations (the window-wide Del
        of ui/sidebar/list_actions.py): taken before it becomes a shortcut."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Delete)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete):
            event.accept()
            self.delete_pressed.emit()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dragged(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if item is not None and self._dragged(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        conversation_ids = self._dragged(event)
        if item is None or not conversation_ids:
            event.ignore()
            return
        event.acceptProposedAction()
        self.conversation_dropped.emit(conversation_ids, item.data(PROJECT_ID_ROLE))


class ProjectsPanel(QWidget):
    """Projects above the conversation list; see the module docstring."""

    project_chosen = Signal(object)  # project id, None: all conversations
    create_requested = Signal()
    new_chat_requested = Signal(object)
    settings_requested = Signal(object)
    rename_requested = Signal(object, str)
    delete_requested = Signal(object)
    conversation_dropped = Signal(list, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectsPanel")
        title = PlainLabel(self.tr("Projects"), self)
        title.setObjectName("projectsTitle")
        self._add = QToolButton(self)
        self._add.setObjectName("newProjectButton")
        self._add.setIcon(QIcon.fromTheme(QIcon.ThemeIcon.ListAdd))
        self._add.setText("+")
        self._add.setToolTip(self.tr("New project"))
        self._add.setAccessibleName(self.tr("New project"))
        self._add.setAutoRaise(True)
        self._new_chat = QToolButton(self)
        self._new_chat.setObjectName("newChatInProjectButton")
        self._new_chat.setIcon(QIcon.fromTheme(QIcon.ThemeIcon.DocumentNew))
        self._new_chat.setText("✎")
        self._new_chat.setToolTip(self.tr("New chat in project"))
        self._new_chat.setAccessibleName(self.tr("New chat in project"))
        self._new_chat.setAutoRaise(True)
        self.list = ProjectList(self)
        self.list.setObjectName("projectList")
        self.list.setAccessibleName(self.tr("Projects"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        self.list.setIconSize(QSize(16, 16))
        self.list.setUniformItemSizes(True)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(title, 1)
        header.addWidget(self._new_chat)
        header.addWidget(self._add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.list)
        self._names: dict[int, str] = {}
        self._filling = False
        self._add.clicked.connect(self.create_requested)
        self._new_chat.clicked.connect(lambda: self.new_chat_requested.emit(self.chosen()))
        self.list.delete_pressed.connect(self.on_delete_key)
        self.list.currentItemChanged.connect(self.on_list_current_item_changed)
        self.list.itemChanged.connect(self.on_list_item_changed)
        self.list.customContextMenuRequested.connect(self.on_list_context_menu_requested)
        self.list.conversation_dropped.connect(self.conversation_dropped)
        self.set_projects([])

    def set_projects(self, projects: Sequence[Project], chosen: int | None = None) -> None:
        """Show these projects, `chosen` (if still there) selected, else "All"."""
        self._filling = True
        self.list.clear()
        self._names = {p.id: p.name for p in projects}
        style = self.style()
        everything = QListWidgetItem(self.tr("All conversations"), self.list)
        everything.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogListView))
        everything.setData(PROJECT_ID_ROLE, None)
        self.list.setCurrentItem(everything)
        for project in projects:
            item = QListWidgetItem(project.name, self.list)
            item.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DirIcon))
            item.setData(PROJECT_ID_ROLE, project.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            if project.id == chosen:
                self.list.setCurrentItem(item)
        rows = min(self.list.count(), 6)
        row_height = self.list.sizeHintForRow(0) + 2 * self.list.spacing()
        self.list.setFixedHeight(row_height * rows + 2 * self.list.frameWidth())
        self._new_chat.setEnabled(self.chosen() is not None)
        self._filling = False

    def on_delete_key(self) -> None:
        if self.chosen() is not None:
            self.delete_requested.emit(self.chosen())

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else item.data(PROJECT_ID_ROLE)

    def choose(self, project_id: int | None) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(PROJECT_ID_ROLE) == project_id:
                self.list.setCurrentRow(row)
                return

    def rename(self, project_id: int) -> None:
        """Edit a project's name in place (F2 on the list does the same)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(PROJECT_ID_ROLE) == project_id:
                self.list.editItem(item)

    def on_list_current_item_changed(self, current: QListWidgetItem | None, _old: object) -> None:
        self._new_chat.setEnabled(self.chosen() is not None)
        if not self._filling and current is not None:
            self.project_chosen.emit(current.data(PROJECT_ID_ROLE))

    def on_list_item_changed(self, item: QListWidgetItem) -> None:
        project_id = item.data(PROJECT_ID_ROLE)
        if self._filling or project_id is None:
            return
        name = item.text()
        if name.strip() and name != self._names.get(project_id):
            self.rename_requested.emit(project_id, name)
        elif not name.strip():
            self._filling = True
            item.setText(self._names.get(project_id, ""))
            self._filling = False

    def on_list_context_menu_requested(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        project_id = None if item is None else item.data(PROJECT_ID_ROLE)
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if project_id is not None:
            self._action(menu, self.tr("New chat in project"), self.new_chat_requested, project_id)
            self._action(menu, self.tr("Project settings…"), self.settings_requested, project_id)
            rename = QAction(self.tr("Rename…"), menu)
            rename.triggered.connect(lambda: self.rename(project_id))
            menu.addAction(rename)
            self._action(menu, self.tr("Delete project…"), self.delete_requested, project_id)
            menu.addSeparator()
        new = QAction(self.tr("New project"), menu)
        new.triggered.connect(self.create_requested)
        menu.addAction(new)
        menu.popup(self.list.viewport().mapToGlobal(position))

    @staticmethod
    def _action(menu: QMenu, text: str, signal: SignalInstance, project_id: int) -> None:
        action = QAction(text, menu)
        action.triggered.connect(lambda: signal.emit(project_id))
        menu.addAction(action)
