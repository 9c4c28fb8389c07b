"""File → Import… and File → Restore from backup…, for the menus (which are given them as
callables). Their dialogs, and the importers and the backup service these bring, are
imported when first used, not with the window (DESIGN.md P1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desktopchat.ui.support.asyncutils import Tasks

if TYPE_CHECKING:
    from desktopchat.services.backups import BackupService
    from desktopchat.services.importers.service import ImportService


def import_history(parent: QWidget, imports: Callable[[], ImportService], tasks: Tasks) -> None:
    from desktopchat.ui.library.import_dialog import import_conversations

    tasks.spawn(import_conversations(parent, imports))


def restore_backup(parent: QWidget, backups: Callable[[], BackupService], tasks: Tasks) -> None:
    from desktopchat.ui.library.restore_dialog import open_restore_dialog

    open_restore_dialog(parent, backups, tasks)
