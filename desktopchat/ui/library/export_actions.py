"""File → Export: the dialogs around the history service's exports, every failure said.

Reading the conversations and writing the files run off the loop (HistoryService); these
coroutines ask where (a file dialog opened, never run: ui/support/file_dialogs.py), wait for
that, and say what happened. Results are said in plain message boxes (`tell`, opened, not
run): folder and file names are outside text (R6). A finished export is said in the notice
bar, with "Show in folder", rather than in a box that must be closed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktopchat.domain.markdown_export import default_export_name
from desktopchat.services.history import HistoryService
from desktopchat.ui.support.file_dialogs import ask_folder, ask_save_file, documents_folder
from desktopchat.ui.support.plain import tell
from desktopchat.ui.window.notice_bar import NoticeBar


class Export(QObject):
    """The "Export" context's sentences with a count: lupdate marks a sentence as plural
    (French has two forms) only when it is read from a class's `self.tr(text, "", n)`, never
    from `QCoreApplication.translate`."""

    def exported(self, count: int) -> str:
        return self.tr("Exported %n conversations to %1", "", count)


def _say_exported(notices: NoticeBar, text: str, folder: Path) -> None:
    def show_folder() -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    notices.show_notice(text, (QCoreApplication.translate("Export", "Show in folder"), show_folder))


def _say_failed(parent: QWidget, message: str, where: str, error: OSError) -> None:
    text = message.replace("%1", where).replace("%2", error.strerror or str(error))
    tell(
        parent,
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("Export", "Export failed"),
        text,
    )


async def export_one(
    parent: QWidget, notices: NoticeBar, history: HistoryService, conversation_id: int
) -> Path | None:
    """Ask where, write the conversation atomically, say where it went."""
    conversation = await history.conversation(conversation_id)
    if conversation is None:
        return None
    suggested = documents_folder() / default_export_name(conversation)
    name = await ask_save_file(
        parent,
        QCoreApplication.translate("Export", "Export conversation"),
        suggested,
        QCoreApplication.translate("Export", "Markdown (*.md)"),
    )
    if not name:
        return None
    try:
        path = await history.export_conversation(Path(name), conversation_id)
    except OSError as error:
        _say_failed(
            parent,
            QCoreApplication.translate(
                "Export", "The conversation could not be written to %1:\n%2"
            ),
            name,
            error,
        )
        return None
    if path is None:
        return None
    _say_exported(
        notices,
        QCoreApplication.translate("Export", "Exported to %1").replace("%1", str(path)),
        path.parent,
    )
    return path


async def export_everything(
    parent: QWidget, notices: NoticeBar, history: HistoryService
) -> list[Path]:
    """Every conversation to its own Markdown file in a folder the person picks."""
    folder = await ask_folder(
        parent,
        QCoreApplication.translate("Export", "Export all conversations to a folder"),
        documents_folder(),
    )
    if not folder:
        return []
    try:
        paths = await history.export_all(Path(folder))
    except OSError as error:
        _say_failed(
            parent,
            QCoreApplication.translate(
                "Export", "The conversations could not be written to %1:\n%2"
            ),
            folder,
            error,
        )
        return []
    if len(paths) == 1:  # said without a catalogue too (English needs one for plurals)
        said = QCoreApplication.translate("Export", "Exported 1 conversation to %1")
    else:
        said = Export().exported(len(paths))
    _say_exported(notices, said.replace("%1", folder), Path(folder))
    return paths


async def copy_as_markdown(history: HistoryService, conversation_id: int) -> bool:
    text = await history.markdown(conversation_id)
    if text is None:
        return False
    QGuiApplication.clipboard().setText(text)
    return True
