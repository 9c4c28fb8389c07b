"""What can be done to conversations from the sidebar: rename (F2), pin or unpin
(Ctrl+Shift+D), delete (Del, asked first, one question for the whole selection).

The actions live on the window, not the list, so F2 and Del also act on the conversation
on screen when the list does not have the focus (the focus is in the transcript, or the
sidebar is folded); the list's own selection is acted on when it has the focus. A text
field that has the focus keeps Del for itself (Qt's shortcut override), so a Del typed in
the message box deletes a character, never a conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from desktopchat.ui.support.plain import ask_to_delete

PIN_SHORTCUT = "Ctrl+Shift+D"
"""Pin or unpin: D as in a "dog-ear" (Ctrl+D is often taken by a bookmark; P by print)."""


class ListActions(QObject):
    """Rename, pin and delete, acting on what `targets` says: the list's selection when it
    has the focus, else the conversation on screen."""

    rename_wanted = Signal(object)
    pin_requested = Signal(list, bool)
    delete_requested = Signal(list)

    def __init__(
        self,
        parent: QWidget,
        targets: Callable[[], list[int]],
        title_of: Callable[[int], str | None],
        pinned: Callable[[int], bool],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._targets = targets
        self._title_of = title_of
        self._pinned = pinned
        self.rename = self._action(self.tr("Rename…"), QKeySequence(Qt.Key.Key_F2))
        self.pin = self._action(self.tr("Pin"), QKeySequence(PIN_SHORTCUT))
        self.delete = self._action(
            self.tr("Delete…"), QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.rename.triggered.connect(self.on_rename_triggered)
        self.pin.triggered.connect(self.on_pin_triggered)
        self.delete.triggered.connect(self.on_delete_triggered)
        self.menu_extensions: list[Callable[[QMenu, list[int]], None]] = []
        """Called with the context menu and its conversations, to add their own items
        (Move to project ▸, ui/library/project_link.py)."""

    def _action(self, text: str, key: QKeySequence) -> QAction:
        action = QAction(text, self._parent)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        return action

    def actions(self) -> list[QAction]:
        return [self.rename, self.pin, self.delete]

    def update_for(self, conversation_ids: Sequence[int]) -> None:
        """Word the actions for these conversations (a menu is about to show them)."""
        count = len(conversation_ids)
        pin = not all(self._pinned(cid) for cid in conversation_ids)
        self.pin.setText(
            (self.tr("Pin %n conversation(s)", "", count) if pin else
             self.tr("Unpin %n conversation(s)", "", count))
            if count > 1
            else (self.tr("Pin") if pin else self.tr("Unpin"))
        )  # fmt: skip
        self.delete.setText(
            self.tr("Delete %n conversation(s)…", "", count) if count > 1 else self.tr("Delete…")
        )

    def menu_for(self, targets: list[int]) -> QMenu:
        """The context menu for `targets` (the row right-clicked, or the selection it is
        part of): its items act on them, whatever the list's focus and highlight."""
        self.update_for(targets)
        pin = not all(self._pinned(cid) for cid in targets)
        menu = QMenu(self._parent)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action, act in (
            (self.rename, lambda: self.rename_wanted.emit(targets[0])),
            (self.pin, lambda: self.pin_requested.emit(targets, pin)),
            (self.delete, lambda: self.ask_delete(targets)),
        ):
            item = menu.addAction(action.text())
            item.setShortcut(action.shortcut())
            item.setEnabled(action is not self.rename or len(targets) == 1)
            item.triggered.connect(act)
        for extend in self.menu_extensions:
            extend(menu, targets)
        return menu

    def on_rename_triggered(self) -> None:
        targets = self._targets()
        if len(targets) == 1:
            self.rename_wanted.emit(targets[0])

    def on_pin_triggered(self) -> None:
        """Pin them all, or unpin them all when every one is pinned already."""
        targets = self._targets()
        if targets:
            self.pin_requested.emit(targets, not all(self._pinned(cid) for cid in targets))

    def on_delete_triggered(self) -> None:
        self.ask_delete(self._targets())

    def ask_delete(self, targets: list[int]) -> None:
        """Ask before deleting: a conversation is gone for good once the store drops it.
        One question names the count (or the title of the only one).

        The question is shown with open(), not exec(): no nested event loop under qasync.
        """
        if not targets:
            return
        title = self._title_of(targets[0]) if len(targets) == 1 else None
        if len(targets) > 1:
            heading = self.tr("Delete conversations")
            question = self.tr(
                "Delete %n conversation(s) and all their messages? This cannot be undone.",
                "",
                len(targets),
            )
        else:
            heading = self.tr("Delete conversation")
            question = self.tr(
                "Delete “{title}” and all its messages? This cannot be undone."
            ).format(title=title or self.tr("New conversation"))
        ask_to_delete(
            self._parent,
            heading,
            question,
            self.tr("Delete"),
            lambda: self.delete_requested.emit(targets),
            "deleteConversationQuestion",
        )
