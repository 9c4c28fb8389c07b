"""`/` typed in an empty message box asks for the prompt popup.

An event filter on the composer's text box, kept apart from the composer so the box's own
key handling stays its own: the `/` is typed as usual (Esc in the popup leaves it there),
and `triggered` is emitted once the key has been handled. Ctrl, Alt or Meta with it, a `/`
typed after other text, or one pasted, does nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit

_COMMAND_KEYS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class SlashTrigger(QObject):
    triggered = Signal()

    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.text() == "/"
            and not event.modifiers() & _COMMAND_KEYS
            and self._edit.document().isEmpty()
        ):
            QTimer.singleShot(0, self.triggered.emit)  # after the `/` is in the box
        return False
