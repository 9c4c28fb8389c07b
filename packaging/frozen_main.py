"""The entry script of the frozen build (packaging/build): the `desktopchat` command, or one
of its own child processes (system/child_python.py), as there is no Python to run them with.

Every program this process starts must start afresh, with the person's environment:
- PyInstaller's bootloader puts the bundle's library folder on LD_LIBRARY_PATH (the
  person's own value kept in LD_LIBRARY_PATH_ORIG); the loader has read it by now, so it is
  put back: an MCP server or a browser opened for a link loads its own system libraries;
- the bootloader's _PYI_* variables would make a frozen program started from here (our own
  children, or a server frozen with PyInstaller) take itself for this process's restarted
  half and hang: PYINSTALLER_RESET_ENVIRONMENT tells it to start as a new program.
"""

import os
import sys

from desktopchat.system.child_python import FROZEN_CHILD_FLAG, run_frozen_child


def start_children_afresh() -> None:
    """The environment every program started from here inherits (see above)."""
    if not getattr(sys, "frozen", False):
        return
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original
    os.environ["PYINSTALLER_RESET_ENVIRONMENT"] = "1"


if __name__ == "__main__":
    start_children_afresh()
    if len(sys.argv) > 1 and sys.argv[1] == FROZEN_CHILD_FLAG:
        run_frozen_child(sys.argv[2:])
    else:
        from desktopchat.cli import main

        sys.exit(main())
