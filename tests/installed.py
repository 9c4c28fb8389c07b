"""The `desktopchat` command the process-level tests run: the installed launcher.

What people run is the launcher pip puts beside the interpreter, importing the installed
wheel, not the source tree; CI installs the project non-editable from the lock
(`.ci/run`), so the end-to-end, reliability, command-line and benchmark tests run exactly
that. A developer's checkout without an installed launcher (a deps-only environment with
PYTHONPATH pointing at the tree) falls back to `python -m desktopchat`; under CI=true the
launcher must be there, so a run that tested the source tree instead can never pass as a
test of the install.

DESKTOPCHAT_LAUNCHER=/usr/bin/desktopchat (any path) runs those tests on another build of
the app instead: packaging/test-installed points it at the frozen build, installed from the
.deb or unpacked from the tarball.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAUNCHER_NAME = "desktopchat.exe" if sys.platform == "win32" else "desktopchat"
LAUNCHER_ENV = "DESKTOPCHAT_LAUNCHER"


def installed_launcher() -> Path | None:
    """The `desktopchat` launcher under test: $DESKTOPCHAT_LAUNCHER when set (it must be
    there), else the one installed beside this interpreter, if there is one."""
    chosen = os.environ.get(LAUNCHER_ENV)
    if chosen:
        if not Path(chosen).is_file():
            raise RuntimeError(f"${LAUNCHER_ENV} is {chosen}, which is not a file")
        return Path(chosen)
    candidate = Path(sys.executable).with_name(LAUNCHER_NAME)
    return candidate if candidate.is_file() else None


def desktopchat_command() -> list[str]:
    """The argv prefix that starts DesktopChat as a person would (append the arguments)."""
    launcher = installed_launcher()
    if launcher is not None:
        return [str(launcher)]
    if os.environ.get("CI") == "true":
        raise RuntimeError(
            f"no installed desktopchat launcher beside {sys.executable}: CI must test the "
            "installed app (pip install -c requirements.lock '.[test]', not -e)"
        )
    return [sys.executable, "-m", "desktopchat"]


def desktopchat_env(env: Mapping[str, str]) -> dict[str, str]:
    """`env` made right for a process started with desktopchat_command().

    The installed launcher must import the installed copy: the checkout is taken off
    PYTHONPATH (a developer's shell or a test runner may have put it there), so the
    source tree cannot stand in for the wheel by accident. The `python -m desktopchat`
    fallback is the source tree: the checkout is put first on PYTHONPATH, so it runs from
    any working folder.
    """
    entries = [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]
    others = [entry for entry in entries if Path(entry).resolve() != REPO]
    if installed_launcher() is None:
        others.insert(0, str(REPO))
    result = {name: value for name, value in env.items() if name != "PYTHONPATH"}
    if others:
        result["PYTHONPATH"] = os.pathsep.join(others)
    return result
