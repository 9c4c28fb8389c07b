"""The wheel is the product (DESIGN.md R12): what people install holds every module and data
file of the package, and declares every distribution the package imports.

The wheel is built from the git-tracked files only, copied to a scratch folder, so a file
that works from the checkout but never reached the wheel (a package without an entry in
pyproject.toml, a new kind of resource) fails here rather than in a person's install. The
build runs without isolation (setuptools and build come with the `test` extra), so it needs
no network and takes a few seconds.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.installed import installed_launcher

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "desktopchat"
BUILD_INPUTS = ("pyproject.toml", "README.md")
"""What the build reads besides the package: its configuration and the long description."""


def tracked(*paths: str) -> list[str]:
    """The git-tracked files under `paths`, as they are in the working tree (a tracked file
    deleted and not yet committed is left out)."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *paths],
        cwd=REPO,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\0")
    return sorted(name for name in listed if name and (REPO / name).is_file())


def build_wheel(tmp_path: Path) -> Path:
    for module in ("build", "setuptools"):
        try:
            __import__(module)
        except ImportError:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip(f"{module} is not installed (it comes with the `test` extra)")
    source = tmp_path / "source"
    for name in tracked(PACKAGE, *BUILD_INPUTS):
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    out = tmp_path / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"the wheel did not build:\n{done.stdout}\n{done.stderr}"
    (wheel,) = out.glob("*.whl")
    return wheel


def test_the_wheel_holds_every_module_and_data_file_of_the_package(tmp_path):
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = next(name.split("/")[0] for name in names if ".dist-info/" in name)
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode()

    expected = set(tracked(PACKAGE))
    missing = sorted(expected - names)
    assert not missing, f"the wheel lacks {len(missing)} file(s) of the package: {missing}"
    strays = sorted(name for name in names if not name.startswith((f"{PACKAGE}/", f"{dist_info}/")))
    assert not strays, f"the wheel holds files outside the package: {strays}"
    # One command: the console launcher, and the same without a console for shortcuts.
    assert re.search(r"^desktopchat = desktopchat\.cli:main$", entry_points, re.M), entry_points
    assert re.search(r"^desktopchat-gui = desktopchat\.cli:main$", entry_points, re.M)


def imported_top_levels() -> dict[str, str]:
    """Every top-level module the package imports (lazily or not) → one file that does."""
    found: dict[str, str] = {}
    for path in sorted((REPO / PACKAGE).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], str(path.relative_to(REPO)))
    return found


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_distribution_is_declared():
    """An import of a distribution that only arrives as another one's dependency works until
    that one drops it; each must be named in pyproject.toml's dependencies."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        normalized(re.match(r"[A-Za-z0-9._-]+", requirement)[0])
        for requirement in project["dependencies"]
    }
    providers = importlib.metadata.packages_distributions()
    undeclared = []
    for module, where in sorted(imported_top_levels().items()):
        if module in sys.stdlib_module_names or module in ("__future__", PACKAGE):
            continue
        distributions = {normalized(name) for name in providers.get(module, [])}
        if not distributions:
            undeclared.append(f"{module} (imported by {where}) is not installed")
        elif not distributions & declared:
            undeclared.append(f"{module} (imported by {where}) comes from {distributions}")
    assert not undeclared, "undeclared dependencies:\n" + "\n".join(undeclared)


def test_the_installed_launcher_runs_an_installed_copy_not_the_checkout():
    """Where a launcher is installed (always in CI), it belongs to a regular, non-editable
    install holding every file of the package: the process-level tests run that copy."""
    if installed_launcher() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no installed desktopchat launcher beside the interpreter in CI")
        pytest.skip("no installed launcher (a checkout run with PYTHONPATH)")
    distribution = importlib.metadata.distribution(PACKAGE)
    direct_url = json.loads(distribution.read_text("direct_url.json") or "{}")
    assert not direct_url.get("dir_info", {}).get("editable"), (
        "desktopchat is installed editable: install it as the README does, "
        "pip install -c requirements.lock '.[test]'"
    )
    installed = {str(file) for file in distribution.files or ()}
    missing = sorted(set(tracked(PACKAGE)) - installed)
    assert not missing, f"the installed copy lacks: {missing}"
