"""What quitting says while the history is locked by another program: "Saving…" while
queued writes wait (at most app.QUIT_SAVE_LIMIT_S), then what could not be saved."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox


def saving_notice(pending: bool) -> QMessageBox | None:
    """A small "Saving…" window while writes wait for a lock at quit (None if none wait)."""
    if not pending or QApplication.instance() is None:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QApplication.translate("App", "DesktopChat"),
        QApplication.translate(
            "App", "Saving your history… (another program holds it locked; waiting up to 10 s)"
        ),
        QMessageBox.StandardButton.NoButton,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.show()
    return box


async def say_unsaved(unsaved: list[str]) -> None:
    """Tell the person what the quit could not save, and wait until they have read it."""
    if QApplication.instance() is None:
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QApplication.translate("App", "Not everything was saved"),
        QApplication.translate(
            "App",
            "Another program kept your history locked, so these changes could not be saved "
            "before quitting: %1. They are listed in the log file too.",
        ).replace("%1", "; ".join(unsaved[:10]) + (" …" if len(unsaved) > 10 else "")),
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    read = asyncio.get_running_loop().create_future()
    box.finished.connect(lambda _result: read.done() or read.set_result(None))
    box.open()
    await read
