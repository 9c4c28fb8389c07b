"""File → Import… and File → Restore from backup…, for the menus (which are given them as
callables). Their dialogs, and the importers and the backup service these bring, are
imported when first used, not with the window (DESIGN.md P1). Both dialogs still take the
main window itself (ui/library/import_dialog.py, restore_dialog.py: they reload its
conversation list and make its services), so these hand it on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow


def import_history(window: MainWindow) -> None:
    from desktopchat.ui.library.import_dialog import import_conversations

    window.tasks.spawn(import_conversations(window))


def restore_backup(window: MainWindow) -> None:
    from desktopchat.ui.library.restore_dialog import open_restore_dialog

    open_restore_dialog(window)
