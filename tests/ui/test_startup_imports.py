"""Start-up's import cost (DESIGN.md P1): PySide6 does not read the source of the modules
imported after it once the app has turned its scan off."""

from __future__ import annotations

import inspect
import sys

import pytest

from desktopchat.app.start import skip_pyside_source_scan


@pytest.fixture
def pyside_feature():
    import PySide6  # noqa: F401

    feature = sys.modules["shibokensupport.feature"]
    original = feature._mod_uses_pyside
    yield feature
    feature._mod_uses_pyside = original


def test_modules_imported_after_pyside_are_not_read(pyside_feature, tmp_path, monkeypatch):
    def no_reading(_module):
        raise AssertionError("PySide6 read a module's source")

    skip_pyside_source_scan()
    monkeypatch.setattr(inspect, "getsource", no_reading)
    (tmp_path / "dc_fresh_module.py").write_text("from PySide6.QtCore import QObject\nX = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = __import__("dc_fresh_module")  # as an import statement does (the hook is on it)
    assert module.X == 1
    assert pyside_feature.pyside_feature_dict["dc_fresh_module"] == 0  # "no feature"
    monkeypatch.delitem(sys.modules, "dc_fresh_module")
