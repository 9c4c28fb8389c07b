"""Starting one of DesktopChat's own modules as a child process (PDF text, formulas).

The child must import the same copy of DesktopChat as the app: `python -m` alone puts the
current folder first on the child's path, so an app started inside a checkout (a
`desktopchat/` folder there) would run the checkout's code in its children. `-P` leaves the
current folder out, and the folder this package was imported from is put first instead.
One place, so a frozen build has one thing to change.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
"""The folder holding the `desktopchat` package the app runs from."""


def child_command(module: str, args: Sequence[str] = ()) -> tuple[list[str], dict[str, str]]:
    """The argv and environment that run `python -m module args…` on this very package."""
    inherited = os.environ.get("PYTHONPATH")
    path = os.pathsep.join([PACKAGE_ROOT, inherited] if inherited else [PACKAGE_ROOT])
    return [sys.executable, "-P", "-m", module, *args], {**os.environ, "PYTHONPATH": path}
