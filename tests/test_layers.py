"""Imports point down the layers of DESIGN.md section 2, never up or sideways.

Three checks hold the rule, and CI runs the first two on their own as well:
- `lint-imports` (import-linter, contracts in pyproject.toml) reads every import the package
  makes, at the top of a module or inside a function, absolute or relative;
- ruff bans relative imports (TID252) and imports by name (`importlib.import_module`,
  `importlib.__import__`, `builtins.__import__`: TID251), which import-linter cannot see;
- `_dynamic_imports` below finds the builtin `__import__` called by its bare name, which
  ruff's banned-API rule does not look at (it checks imports and attributes only).

The checks are then shown to work: each violation of a known kind is planted in a copy of the
package, and the copy must fail; the clean copy must pass.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktopchat"

_LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command; "
    "sys.argv[0] = 'lint-imports'; lint_imports_command()"
)


def _needs(module: str) -> None:
    """Skip without the tool on a developer's machine; CI must have it (the test extra)."""
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is not installed: CI must install the test extra")
        pytest.skip(f"{module} is not installed")


def _dynamic_imports(package: Path) -> list[str]:
    """Every use of the builtin `__import__` by its bare name, as `path:line`."""
    found = []
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "__import__" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Name) and node.id == "__import__":
                found.append(f"{path.relative_to(package.parent)}:{node.lineno}")
    return found


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", _LINT_IMPORTS, "--no-cache", "--no-logo", "pyproject.toml"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _ruff(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--output-format",
            "concise",
            "--config",
            "pyproject.toml",
            "desktopchat",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


@dataclass(frozen=True)
class Planted:
    """One violation, added as a function at the end of a module of the copy."""

    module: str
    body: str
    import_contract: str | None = None
    """The contract `lint-imports` must call broken, if it is one it can see."""
    ruff_rule: str | None = None
    dynamic: bool = False


PLANTED = {
    "relative upward import": Planted(
        "storage/tree.py",
        "from ..services import history\n    return history",
        import_contract="Imports point down the layers",
        ruff_rule="TID252",
    ),
    "ui imports providers by name": Planted(
        "ui/library/import_dialog.py",
        "import importlib\n"
        '    return importlib.import_module("desktopchat.providers.openai_compat")',
        ruff_rule="TID251",
    ),
    "lazy Qt import in services": Planted(
        "services/usage.py",
        "from PySide6.QtCore import QObject\n    return QObject",
        import_contract="Only ui and app.py import Qt",
    ),
    "SDK imported by name in services": Planted(
        "services/usage.py", 'return __import__("openai")', dynamic=True
    ),
    "relative storage import from ui": Planted(
        "ui/library/restore_dialog.py",
        "from ...storage.history import ConversationStore\n    return ConversationStore",
        import_contract="ui reaches data and providers through services only",
        ruff_rule="TID252",
    ),
}


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PACKAGE, root / "desktopchat", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_package_keeps_the_import_contracts():
    _needs("importlinter")
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_imports_nothing_by_a_bare_name():
    assert _dynamic_imports(PACKAGE) == []


def test_ui_never_reaches_a_store():
    """DESIGN.md section 2: ui never holds a store object. Services that need one (imports,
    backups) are built in app/assembly.py and come in `Services`; `history.store` is not a
    way round."""
    found = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if ".store" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and node.attr == "store":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_a_clean_copy_passes_every_check(tmp_path):
    _needs("importlinter")
    _needs("ruff")
    root = _copy(tmp_path)
    imports = _lint_imports(root)
    assert imports.returncode == 0, imports.stdout + imports.stderr
    lint = _ruff(root)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert _dynamic_imports(root / "desktopchat") == []


@pytest.mark.parametrize("case", list(PLANTED))
def test_a_planted_violation_fails_the_checks(tmp_path, case):
    _needs("importlinter")
    _needs("ruff")
    planted = PLANTED[case]
    root = _copy(tmp_path)
    module = root / "desktopchat" / planted.module
    with module.open("a", encoding="utf-8") as source:
        source.write(f"\n\ndef _planted():\n    {planted.body}\n")

    # Only the checks meant to catch this kind run (the clean copy shows none of them
    # fails without a reason): each costs a second or two.
    caught = []
    if planted.import_contract is not None:
        imports = _lint_imports(root)
        assert imports.returncode != 0, imports.stdout + imports.stderr
        assert planted.import_contract in imports.stdout
        assert "BROKEN" in imports.stdout
        caught.append("lint-imports")
    if planted.ruff_rule is not None:
        lint = _ruff(root)
        assert lint.returncode != 0, lint.stdout
        assert f"desktopchat/{planted.module}:" in lint.stdout
        assert planted.ruff_rule in lint.stdout
        caught.append("ruff")
    if planted.dynamic:
        found = _dynamic_imports(root / "desktopchat")
        assert found == [f"desktopchat/{planted.module}:{_planted_line(module)}"]
        caught.append("dynamic imports")
    assert caught, f"no check is expected to catch {case!r}"


def _planted_line(module: Path) -> int:
    lines = module.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if "__import__" in line)
