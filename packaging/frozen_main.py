"""The entry script of the frozen build (packaging/build): the `desktopchat` command, or one
of its own child processes (system/child_python.py), as there is no Python to run them with.

PyInstaller's bootloader puts the bundle's library folder on LD_LIBRARY_PATH (the person's
own value kept in LD_LIBRARY_PATH_ORIG); the loader has read it by now, so it is put back
before anything starts a program of the person's (an MCP server, a browser for a link),
which must load its own system libraries, not the bundle's.
"""

import os
import sys

from desktopchat.system.child_python import FROZEN_CHILD_FLAG, run_frozen_child

if "LD_LIBRARY_PATH_ORIG" in os.environ:
    os.environ["LD_LIBRARY_PATH"] = os.environ.pop("LD_LIBRARY_PATH_ORIG")
elif getattr(sys, "frozen", False):
    os.environ.pop("LD_LIBRARY_PATH", None)

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == FROZEN_CHILD_FLAG:
        run_frozen_child(sys.argv[2:])
    else:
        from desktopchat.cli import main

        sys.exit(main())
