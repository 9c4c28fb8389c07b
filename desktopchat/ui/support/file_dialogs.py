"""File dialogs a coroutine can await, opened with open() (DESIGN.md §5).

QFileDialog's static helpers (the save, open and folder ones) run a nested event loop: every
task, timer and stream on the qasync loop is stepped from inside the helper, and a task that
awaits one is re-entered in the middle of its own step. Here the dialog is opened window-
modal, its `finished` signal answers a future, and the task simply awaits it. The dialog is
Qt's QFileDialog with its default options, so it is the native one wherever the static
helpers gave a native one; its keyboard access is the dialog's own. A cancelled task closes
its dialog.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget


async def ask_save_file(parent: QWidget, caption: str, suggested: Path, filters: str) -> str:
    """A path to write, starting in `suggested`'s folder with its name filled in; "" when
    the person cancels. Overwriting an existing file is confirmed by the dialog."""
    dialog = _dialog(parent, caption, suggested.parent, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.selectFile(suggested.name)
    return await _answer(dialog)


async def ask_open_file(parent: QWidget, caption: str, folder: Path, filters: str) -> str:
    """An existing file to read, starting in `folder`; "" when the person cancels."""
    dialog = _dialog(parent, caption, folder, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return await _answer(dialog)


async def ask_folder(parent: QWidget, caption: str, folder: Path) -> str:
    """An existing folder, starting in `folder`; "" when the person cancels."""
    dialog = _dialog(parent, caption, folder, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    return await _answer(dialog)


def documents_folder() -> Path:
    """Where an export or import dialog starts: Documents when it exists, else the home
    folder (a folder that does not exist makes Qt's dialog open wherever the app was
    launched from)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if location and Path(location).is_dir():
        return Path(location)
    return Path.home()


def _dialog(parent: QWidget, caption: str, folder: Path, filters: str) -> QFileDialog:
    dialog = QFileDialog(parent, caption, str(folder), filters)
    dialog.setObjectName("fileDialog")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


async def _answer(dialog: QFileDialog) -> str:
    answered: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        chosen = dialog.selectedFiles() if result == QDialog.DialogCode.Accepted else []
        if not answered.done():
            answered.set_result(chosen[0] if chosen else "")

    def destroyed() -> None:  # its window closed under it: no answer will come
        if not answered.done():
            answered.set_result("")

    dialog.finished.connect(finished)
    dialog.destroyed.connect(destroyed)
    dialog.open()
    try:
        return await answered
    finally:
        if answered.cancelled():  # the task was cancelled: the question goes with it
            with contextlib.suppress(RuntimeError):  # already deleted with its window
                dialog.finished.disconnect(finished)
                dialog.reject()
