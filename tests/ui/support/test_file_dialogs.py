"""File dialogs a task awaits: opened (no nested event loop), answered through `finished`,
closed with a cancelled task (ui/support/file_dialogs.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from desktopchat.ui.support.file_dialogs import ask_folder, ask_open_file, ask_save_file
from tests.file_dialogs import answering_file_dialogs


def _open_dialogs() -> list[QFileDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()
    ]


def test_a_save_dialog_is_window_modal_starts_at_the_suggestion_and_answers(qtbot, qloop, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    target = tmp_path / "out.md"
    with answering_file_dialogs(target) as asked:
        task = qloop.create_task(
            ask_save_file(parent, "Export", tmp_path / "x.md", "Markdown (*.md)")
        )
        qtbot.waitUntil(task.done, timeout=5000)
    assert task.result() == str(target)
    assert asked[0].caption == "Export" and asked[0].folder == tmp_path
    assert asked[0].offered == tmp_path / "x.md"


def test_cancel_answers_nothing(qtbot, qloop, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    with answering_file_dialogs(None):
        task = qloop.create_task(ask_open_file(parent, "Import", tmp_path, "All files (*)"))
        qtbot.waitUntil(task.done, timeout=5000)
    assert task.result() == ""


def test_a_cancelled_task_closes_its_dialog(qtbot, qloop, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    task = qloop.create_task(ask_folder(parent, "Export all", tmp_path))
    qtbot.waitUntil(lambda: bool(_open_dialogs()), timeout=5000)
    [dialog] = _open_dialogs()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    task.cancel()
    qtbot.waitUntil(task.done, timeout=5000)
    assert _open_dialogs() == []
