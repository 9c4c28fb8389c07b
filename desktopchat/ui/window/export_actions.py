"""File → Export: the dialogs around services.export, with every failure said in words.

Folder and file names are shown in plain message boxes: a name is outside text (R6)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktopchat.domain.markdown_export import conversation_to_markdown, default_export_name
from desktopchat.services.export import export_all, export_conversation
from desktopchat.storage.history import ConversationStore
from desktopchat.ui.support.plain import tell


def _documents_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location or Path.home())


def export_one(parent: QWidget, store: ConversationStore, conversation_id: int) -> Path | None:
    """Ask where, write the conversation atomically, say where it went."""
    conversation = store.get_conversation(conversation_id)
    if conversation is None:
        return None
    suggested = _documents_dir() / default_export_name(conversation)
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("Export", "Export conversation"),
        str(suggested),
        QCoreApplication.translate("Export", "Markdown (*.md)"),
    )
    if not name:
        return None
    try:
        path = export_conversation(Path(name), conversation, store.messages(conversation_id))
    except OSError as error:
        tell(
            parent,
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Export", "Export failed"),
            QCoreApplication.translate("Export", "The conversation could not be written to %1:\n%2")
            .replace("%1", name)
            .replace("%2", error.strerror or str(error)),
        )
        return None
    tell(
        parent,
        QMessageBox.Icon.Information,
        QCoreApplication.translate("Export", "Export done"),
        QCoreApplication.translate("Export", "The conversation was saved to %1").replace(
            "%1", str(path)
        ),
    )
    return path


def export_everything(parent: QWidget, store: ConversationStore) -> list[Path]:
    """Every conversation to its own Markdown file in a folder the person picks."""
    folder = QFileDialog.getExistingDirectory(
        parent,
        QCoreApplication.translate("Export", "Export all conversations to a folder"),
        str(_documents_dir()),
    )
    if not folder:
        return []
    conversations = store.list_conversations()
    try:
        paths = export_all(Path(folder), ((c, store.messages(c.id)) for c in conversations))
    except OSError as error:
        tell(
            parent,
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Export", "Export failed"),
            QCoreApplication.translate(
                "Export", "The conversations could not be written to %1:\n%2"
            )
            .replace("%1", folder)
            .replace("%2", error.strerror or str(error)),
        )
        return []
    tell(
        parent,
        QMessageBox.Icon.Information,
        QCoreApplication.translate("Export", "Export done"),
        QCoreApplication.translate("Export", "Conversations saved: %1, in %2")
        .replace("%1", str(len(paths)))
        .replace("%2", folder),
    )
    return paths


def copy_as_markdown(store: ConversationStore, conversation_id: int) -> bool:
    conversation = store.get_conversation(conversation_id)
    if conversation is None:
        return False
    text = conversation_to_markdown(conversation, store.messages(conversation_id))
    QGuiApplication.clipboard().setText(text)
    return True
