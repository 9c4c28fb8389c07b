"""Answer the app's file dialogs in a test, as a person would: the app opens a real
QFileDialog (ui/support/file_dialogs.py) and awaits its answer; a timer finds each dialog as
it shows and picks a path, or cancels."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit


@dataclass(frozen=True)
class Asked:
    """A file dialog as it showed: its title, the folder it started in, and the path it
    offered (a save dialog's suggested file; else the folder)."""

    caption: str
    folder: Path
    offered: Path


@contextmanager
def answering_file_dialogs(*answers: str | Path | None) -> Iterator[list[Asked]]:
    """Answer the file dialogs opened inside the block, in turn, with `answers` (None:
    Cancel; the last answer serves any further dialog). Yields what each dialog showed."""
    asked: list[Asked] = []

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if not isinstance(widget, QFileDialog) or not widget.isVisible():
                continue
            if widget.property("answered_by_test"):
                continue
            widget.setProperty("answered_by_test", True)
            selected = widget.selectedFiles()
            folder = Path(widget.directory().absolutePath())
            asked.append(
                Asked(widget.windowTitle(), folder, Path(selected[0]) if selected else folder)
            )
            reply = answers[min(len(asked), len(answers)) - 1] if answers else None
            if reply is None:
                widget.reject()
            else:
                edit = widget.findChild(QLineEdit, "fileNameEdit")
                if widget.fileMode() == QFileDialog.FileMode.Directory and Path(reply).is_dir():
                    widget.setDirectory(str(reply))  # a folder: go into it, pick nothing
                    if edit is not None:
                        edit.clear()
                elif widget.fileMode() == QFileDialog.FileMode.Directory and edit is not None:
                    # A folder that does not exist yet: its path typed, as a person would.
                    blocked = edit.blockSignals(True)
                    edit.setText(str(reply))
                    edit.blockSignals(blocked)
                else:
                    widget.selectFile(str(reply))
                    if edit is not None:
                        # Typed in full as well: selectFile keeps only the name of a path
                        # whose folder does not exist. Without the edit's signals, or the
                        # dialog's completer would write a listed name back.
                        blocked = edit.blockSignals(True)
                        edit.setText(str(reply))
                        edit.blockSignals(blocked)
                widget.done(QDialog.DialogCode.Accepted)

    timer = QTimer(interval=10)
    timer.timeout.connect(answer)
    timer.start()
    try:
        yield asked
    finally:
        timer.stop()
