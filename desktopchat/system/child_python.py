"""Starting one of DesktopChat's own modules as a child process (PDF text, formulas, tools).

The child must import the same copy of DesktopChat as the app: `python -m` alone puts the
current folder first on the child's path, so an app started inside a checkout (a
`desktopchat/` folder there) would run the checkout's code in its children. `-P` leaves the
current folder out, and the folder this package was imported from is put first instead.

A frozen build (packaging/build) has no Python to run `-m` with: its own executable is
started again with FROZEN_CHILD_FLAG and the module's name, and its entry script
(packaging/frozen_main.py) hands those to run_frozen_child instead of opening the window.
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
"""The folder holding the `desktopchat` package the app runs from."""
FROZEN_CHILD_FLAG = "--desktopchat-child"
"""argv[1] of a frozen build's child: `desktopchat --desktopchat-child MODULE ARGS…`."""


def child_command(module: str, args: Sequence[str] = ()) -> tuple[list[str], dict[str, str]]:
    """The argv and environment that run `python -m module args…` on this very package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, FROZEN_CHILD_FLAG, module, *args], dict(os.environ)
    inherited = os.environ.get("PYTHONPATH")
    path = os.pathsep.join([PACKAGE_ROOT, inherited] if inherited else [PACKAGE_ROOT])
    return [sys.executable, "-P", "-m", module, *args], {**os.environ, "PYTHONPATH": path}


def run_frozen_child(argv: Sequence[str]) -> None:
    """Run `argv` = [MODULE, ARGS…] as `python -m` would (sys.argv[1:] is ARGS); only
    DesktopChat's own modules, so the flag cannot make the build a Python for anything."""
    module = argv[0] if argv else ""
    if not module.startswith("desktopchat."):
        raise SystemExit(f"desktopchat: {FROZEN_CHILD_FLAG} runs DesktopChat's own modules only")
    sys.argv = [module, *argv[1:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
