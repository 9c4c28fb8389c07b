"""Imports point down the layers of DESIGN.md section 2, never up or sideways.

Every module's imports are read from its source (AST, nothing is imported), so a lazy import
inside a function counts as much as one at the top: the rule is about what depends on what,
not about when it loads.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktopchat"

# Lower layers first. Adapters (providers, storage, system) share a layer but do not import
# each other: each stands on the domain alone, and the services combine them.
LAYERS: dict[str, int] = {
    "domain": 0,
    "providers": 1,
    "storage": 1,
    "system": 1,
    "services": 2,
    "ui": 3,
    "app": 4,
    "cli": 4,
    "__main__": 4,
    "__init__": 0,
}
SDKS = ("openai", "anthropic")
ROOT = 4
"""The composition root (app, cli, __main__) may import every layer."""
# The UI reaches data through the services only; adapters are theirs to combine.
UI_FORBIDDEN = ("providers", "storage")


def _layer_of(module_path: Path) -> str:
    return module_path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imported_modules(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "desktopchat":
                found.extend((node.lineno, f"desktopchat.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, node.module))
    return found


def _violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = _layer_of(path)
        where = path.relative_to(PACKAGE.parent)
        for line, module in _imported_modules(path.read_text(encoding="utf-8")):
            top = module.split(".")[0]
            if top in SDKS and layer != "providers":
                problems.append(f"{where}:{line} imports the SDK {module}: only providers/ may")
            if top != "desktopchat" or module == "desktopchat":
                continue
            target = module.split(".")[1]
            if target == layer or target not in LAYERS:
                continue
            if layer == "ui" and target in UI_FORBIDDEN:
                problems.append(f"{where}:{line} imports {module}: ui/ goes through services/")
            elif LAYERS[target] >= LAYERS[layer] and LAYERS[layer] < ROOT:
                problems.append(
                    f"{where}:{line} imports {module}: {layer}/ may not depend on {target}/"
                )
    return problems


def test_imports_point_down_the_layers():
    assert _violations() == []


def test_the_rule_sees_an_upward_import(tmp_path):
    """The reader itself works: an upward import in a source is found."""
    source = "from desktopchat.ui.window import main_window\nimport openai\n"
    assert [module for _line, module in _imported_modules(source)] == [
        "desktopchat.ui.window",
        "openai",
    ]
