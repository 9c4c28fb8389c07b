"""What the window says about saving: quietly when it is behind, plainly when it matters.

The history's writer thread publishes a SaveStatus (services/history.py). Behind (another
program holds the lock for a moment) is a small text in the status bar, gone once all is
written; stalled (held for minutes: nothing is lost while the app stays open, but the
person should look at what holds it) and a history file written out again elsewhere are
said in the notice bar, once each.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from desktopchat.services.history import SaveState, SaveStatus
from desktopchat.ui.window.notice_bar import NoticeBar


class SaveStatusLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveStatus")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._said_moved: Path | None = None
        self._said_stalled = False

    def show_status(self, status: SaveStatus, notices: NoticeBar) -> None:
        if status.state is SaveState.SAVED:
            self.clear()
            self._said_stalled = False
        else:
            self.setText(self.tr("Saving is behind: another program holds the history"))
        if status.state is SaveState.STALLED and not self._said_stalled:
            self._said_stalled = True
            notices.show_error(
                self.tr(
                    "Your history has been locked by another program for minutes, so new "
                    "messages cannot be saved yet. Nothing is lost while DesktopChat stays "
                    "open: close the program that holds it (a database browser, a sync tool) "
                    "and everything is saved."
                )
            )
        if status.moved_to is not None and status.moved_to != self._said_moved:
            self._said_moved = status.moved_to
            if status.moved_kind == "deleted":
                text = self.tr(
                    "Your history file was deleted while DesktopChat was running. "
                    "Everything it held was saved again to %1, with your new messages."
                )
            else:
                text = self.tr(
                    "Your history file was replaced by another file while DesktopChat was "
                    "running. That file was left alone; your history and your new messages "
                    "are saved to %1."
                )
            notices.show_notice(text.replace("%1", str(status.moved_to)))
