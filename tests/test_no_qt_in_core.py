"""The core, providers and storage packages never import Qt, qasync or an SDK at import time.

Run in a fresh interpreter, importing every module found under those packages (modules added
later are covered without editing this test).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("PySide6", "qasync", "openai", "anthropic")

_IMPORT_ALL = """
import importlib, json, pkgutil, sys
imported = []
for package_name in (
    "desktopchat.domain",
    "desktopchat.system",
    "desktopchat.providers",
    "desktopchat.storage",
    "desktopchat.sync",
    "desktopchat.services",
    "desktopchat.tools",
):
    package = importlib.import_module(package_name)
    imported.append(package_name)
    for info in pkgutil.walk_packages(package.__path__, package_name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"imported": imported, "loaded": loaded}))
"""


def test_core_providers_and_storage_import_without_qt_or_sdks():
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "desktopchat.providers.openai_compat" in report["imported"]
    assert "desktopchat.providers.anthropic" in report["imported"]
    assert "desktopchat.domain.errors" in report["imported"]
    assert [name for name in FORBIDDEN if name in report["loaded"]] == []
