"""Start-up's import cost (DESIGN.md P1): PySide6 does not read the source of the modules
imported after it once the app has turned its scan off."""

from __future__ import annotations

import builtins
import inspect
import sys
import uuid

import PySide6  # noqa: F401  (loads shiboken's support modules, the import hook's among them)
import pytest

from desktopchat.app.start import skip_pyside_source_scan

FEATURE = sys.modules["shibokensupport.feature"]
PYSIDE_SCAN = FEATURE._mod_uses_pyside
"""PySide6's own scan, as this module is collected (before any test can switch it off)."""
PYSIDE_IMPORT = builtins.__feature_import__
"""PySide6's import hook, called by name: `builtins.__import__` is not always the hook.
While the hook looks at a module that another thread imported (a lexer, an SDK left
importing by an earlier test), PySide6 puts the plain import back for the whole process
(PYSIDE-3054), and a module imported then is never seen: this test failed so, after others."""


@pytest.fixture
def scan(monkeypatch):
    """The scan PySide6 runs on each new module, put back as it was after the test."""
    monkeypatch.setattr(FEATURE, "_mod_uses_pyside", FEATURE._mod_uses_pyside)


def import_fresh_module(tmp_path, monkeypatch) -> tuple[int, bool]:
    """Import a module that imports PySide6 through PySide6's hook, as an import statement
    does; its PySide6 feature selection, and whether its source was read.

    The name is new to the process, so PySide6 cannot answer from an earlier import. Only
    this module's source is watched: inspect.getsource is the whole process's, and other
    threads and finalizers may call it meanwhile (anyio reads its package's own source when
    an import first brings it in); failing theirs would say nothing about PySide6.
    """
    name = f"dc_fresh_{uuid.uuid4().hex}"
    assert name not in FEATURE.pyside_feature_dict
    read: list[str] = []
    getsource = inspect.getsource

    def watched(subject):
        if getattr(subject, "__name__", None) == name:
            read.append(name)
        return getsource(subject)

    monkeypatch.setattr(inspect, "getsource", watched)
    (tmp_path / f"{name}.py").write_text("from PySide6.QtCore import QObject\nX = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert PYSIDE_IMPORT(name).X == 1
        return FEATURE.pyside_feature_dict[name], bool(read)
    finally:
        sys.modules.pop(name, None)
        FEATURE.pyside_feature_dict.pop(name, None)


def test_modules_imported_after_pyside_are_not_read(scan, tmp_path, monkeypatch):
    skip_pyside_source_scan()
    selection, read = import_fresh_module(tmp_path, monkeypatch)
    assert not read, "PySide6 read a module's source"
    assert selection == 0  # "no feature"


def test_pyside_reads_them_unless_told_not_to(scan, tmp_path, monkeypatch):
    """What the test above watches for happens without the switch."""
    monkeypatch.setattr(FEATURE, "_mod_uses_pyside", PYSIDE_SCAN)
    selection, read = import_fresh_module(tmp_path, monkeypatch)
    assert read
    assert selection == 0  # the module names PySide6: "no feature" too
