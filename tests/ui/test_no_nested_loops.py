"""No dialog spins a nested event loop (DESIGN.md §5: "Dialogs open with open(), never
exec() or the static QFileDialog.get… helpers").

A nested loop steps every task on the qasync loop from inside a slot or a task's own step:
a task awaiting the dialog is re-entered, and a stream's repaint runs under a half-finished
handler. The package's source is read (AST) for the static helpers of QFileDialog,
QMessageBox and QInputDialog, and for any `.exec()` / `.exec_()` call; ruff's banned-API
rule (pyproject.toml) names the file dialogs' helpers as well, as one types them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktopchat"

STATIC_HELPERS = {
    "QFileDialog": {
        "getOpenFileName",
        "getOpenFileNames",
        "getSaveFileName",
        "getExistingDirectory",
        "getOpenFileUrl",
        "getOpenFileUrls",
        "getSaveFileUrl",
        "getExistingDirectoryUrl",
        "getOpenFileContent",
    },
    "QMessageBox": {"about", "aboutQt", "critical", "information", "question", "warning"},
    "QInputDialog": {"getText", "getMultiLineText", "getInt", "getDouble", "getItem"},
    "QColorDialog": {"getColor"},
    "QFontDialog": {"getFont"},
}
RUNS = {"exec", "exec_"}


def nested_loops(source: str, name: str) -> list[str]:
    """Every static dialog helper named and every `.exec()` called in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            owner = node.value
            if isinstance(owner, ast.Name) and node.attr in STATIC_HELPERS.get(owner.id, ()):
                found.append(f"{name}:{node.lineno} {owner.id}.{node.attr}")
        call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        if call and node.func.attr in RUNS:
            found.append(f"{name}:{node.lineno} .{node.func.attr}()")
    return found


def test_no_dialog_runs_a_nested_event_loop():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += nested_loops(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    assert found == []


@pytest.mark.parametrize(
    "planted",
    [
        "name, _ = QFileDialog.getSaveFileName(self, 'Save')",
        "ask = QFileDialog.getExistingDirectory",
        "QFileDialog.getOpenFileName(None)",
        "QFileDialog.getOpenFileNames(None)",
        "QMessageBox.question(None, 't', 'q')",
        "QMessageBox.about(None, 't', 'q')",
        "dialog.exec()",
        "box.exec_()",
        "QInputDialog.getText(None, 't', 'l')",
    ],
)
def test_each_kind_is_found(planted):
    assert nested_loops(f"def f(self, dialog, box):\n    {planted}\n", "planted.py")


def test_opening_is_not_flagged():
    source = "dialog.open()\nbox.show()\nQFileDialog(parent).selectFile('x')\nre.exec = 1\n"
    assert nested_loops(source, "fine.py") == []
