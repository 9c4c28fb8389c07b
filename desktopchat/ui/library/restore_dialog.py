"""File → Restore from backup…: the copies of the history (date, conversations, messages),
what merging the chosen one would add, and the two ways back:

- Merge: the conversations the copy holds and the history lacks are added; nothing in the
  history is changed or removed.
- Replace: the history becomes the copy. The open history cannot be swapped under the
  running app, so this is done on the next start (a marker file; storage/backup.py), after
  a copy of the history being replaced is kept with the others.

Opened with open(); all reading and writing happens off the loop (BackupService).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.services.backups import BackupInfo, BackupService
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel, tell
from desktopchat.ui.support.units import conversations, messages

PREVIEW_TITLES = 200


class RestoreDialog(QDialog):
    def __init__(self, parent: QWidget, service: BackupService, owner: Tasks) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(QCoreApplication.translate("Restore", "Restore from backup"))
        self._service = service
        self.tasks = owner.adopt(Tasks())
        """Its reads end when it closes; a merge under way is finished."""
        self.finished.connect(lambda _result: self.tasks.cancel())
        self._backups: list[BackupInfo] = []
        self.list = QListWidget(objectName="backupList")
        self.list.setAccessibleName(QCoreApplication.translate("Restore", "Backups"))
        self.preview = QPlainTextEdit(objectName="backupPreview", readOnly=True)
        self.preview.setAccessibleName(QCoreApplication.translate("Restore", "What merging adds"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.merge_button = QPushButton(
            QCoreApplication.translate("Restore", "&Merge into the history"),
            objectName="mergeBackup",
        )
        self.replace_button = QPushButton(
            QCoreApplication.translate("Restore", "&Replace the history…"),
            objectName="replaceBackup",
        )
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.replace_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            PlainLabel(
                QCoreApplication.translate("Restore", "Copies of your history, newest first:")
            )
        )
        layout.addWidget(self.list)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self.on_list_row_changed)
        self.merge_button.clicked.connect(lambda: self.tasks.spawn(self.merge(), finish=True))
        self.replace_button.clicked.connect(self.ask_replace)
        self._set_enabled(False)
        self.resize(560, 480)

    async def load(self) -> None:
        self._backups = await self._service.backups()
        self.list.clear()
        for info in self._backups:
            self.list.addItem(QListWidgetItem(_describe(info)))
        if self._backups:
            self.list.setCurrentRow(0)
        else:
            self.preview.setPlainText(
                QCoreApplication.translate("Restore", "There is no backup yet.")
            )

    def on_list_row_changed(self, row: int) -> None:
        self._set_enabled(0 <= row < len(self._backups))
        if 0 <= row < len(self._backups):
            self.tasks.spawn(self._show_preview(self._backups[row]))

    async def _show_preview(self, info: BackupInfo) -> None:
        self.preview.setPlainText(QCoreApplication.translate("Restore", "Reading the backup…"))
        try:
            preview = await self._service.preview(info)
        except OSError as error:
            self.preview.setPlainText(str(error))
            return
        if self._selected() is not info:
            return
        if not preview.titles:
            self.preview.setPlainText(
                QCoreApplication.translate(
                    "Restore", "Every conversation of this backup is in the history."
                )
            )
            return
        head = (
            QCoreApplication.translate("Restore", "Merging adds %1 (%2):")
            .replace("%1", conversations(len(preview.titles)))
            .replace("%2", messages(preview.messages))
        )
        titles = [
            t or QCoreApplication.translate("Restore", "(untitled)")
            for t in preview.titles[:PREVIEW_TITLES]
        ]
        self.preview.setPlainText("\n".join([head, *titles]))

    async def merge(self) -> None:
        info = self._selected()
        if info is None:
            return
        self._set_enabled(False)
        try:
            report = await self._service.merge(info)
        except OSError as error:
            tell(
                self,
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("Restore", "Restore failed"),
                str(error),
            )
            return
        finally:
            self._set_enabled(True)
        text = (
            QCoreApplication.translate("Restore", "Added from the backup: %1 (%2).")
            .replace("%1", conversations(report.added))
            .replace("%2", messages(report.messages))
        )
        tell(
            self,
            QMessageBox.Icon.Information,
            QCoreApplication.translate("Restore", "Backup merged"),
            text,
        )
        self.tasks.spawn(self._show_preview(info))

    def ask_replace(self) -> None:
        info = self._selected()
        if info is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Restore", "Replace the history"),
            QCoreApplication.translate(
                "Restore",
                "Replace the whole history with the backup of %1 the next time DesktopChat "
                "starts? Conversations made since then will be gone from it; a copy of the "
                "current history is kept among the backups first.",
            ).replace("%1", _when(info.taken)),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirmReplace")
        box.finished.connect(lambda result: self._replace(info, result))
        box.open()

    def _replace(self, info: BackupInfo, result: int) -> None:
        if result != QMessageBox.StandardButton.Ok:
            return
        try:
            self._service.replace_on_next_start(info)
        except OSError as error:
            tell(
                self,
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("Restore", "Restore failed"),
                str(error),
            )
            return
        tell(
            self,
            QMessageBox.Icon.Information,
            QCoreApplication.translate("Restore", "Restart to finish"),
            QCoreApplication.translate(
                "Restore", "Quit and start DesktopChat again: the history is replaced as it starts."
            ),
        )

    def _selected(self) -> BackupInfo | None:
        row = self.list.currentRow()
        return self._backups[row] if 0 <= row < len(self._backups) else None

    def _set_enabled(self, enabled: bool) -> None:
        self.merge_button.setEnabled(enabled)
        self.replace_button.setEnabled(enabled)


def _describe(info: BackupInfo) -> str:
    if info.conversations is None:
        counts = QCoreApplication.translate("Restore", "cannot be read")
    else:
        counts = f"{conversations(info.conversations)}, {messages(info.messages or 0)}"
    reason = (
        QCoreApplication.translate("Restore", "before an update")
        if info.reason.startswith("before-migration")
        else ""
    )
    return " — ".join(part for part in (_when(info.taken), counts, reason) if part)


def _when(moment: float) -> str:
    return QLocale().toString(datetime.fromtimestamp(moment), QLocale.FormatType.ShortFormat)


def open_restore_dialog(
    parent: QWidget, backups: Callable[[], BackupService], owner: Tasks
) -> RestoreDialog:
    """The dialog over `parent`, with the backup service `backups` makes (loaded on first
    use); its tasks are adopted by `owner`."""
    dialog = RestoreDialog(parent, backups(), owner)
    dialog.open()
    dialog.tasks.spawn(dialog.load())
    return dialog
