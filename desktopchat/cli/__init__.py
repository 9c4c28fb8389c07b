"""The one `desktopchat` command: the window, or a command that needs none.

`desktopchat` (optionally with --debug) opens the window; `desktopchat import PATH`,
`desktopchat export [--all | --title TEXT] DIR`, `desktopchat backup`, `desktopchat sync
[--folder PATH | --webdav URL --user NAME]` run without a window
and without a display, say what they did on stdout, and exit 0; what went wrong goes to
stderr with exit status 1 (wrong arguments: argparse's usage line and 2). Both launchers
(`desktopchat`, and `desktopchat-gui` which opens no console on Windows) and
`python -m desktopchat` come here.

This module decides before anything heavy is imported: a command never loads Qt or the
event loop, and the window's modules are imported only when the window opens. A command
plugs in as one more entry in COMMANDS (cli/commands.py; sync in cli/sync_command.py,
what they print in cli/output.py).

Works beside a running app: the history takes writes from two processes (DESIGN.md R8).
A history that cannot be opened as a file (damaged, from a newer DesktopChat, locked) is
refused rather than imported into memory and lost.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point of both launchers and of `python -m desktopchat`.

    The plain window start (no argument, or only --debug) reads no parser: argparse and
    the commands' table are not needed to show the window (DESIGN.md P1)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    debug = arguments == ["--debug"]
    if arguments and not debug:
        from desktopchat.cli.commands import parse_args, run_command

        args = parse_args(arguments)
        if args.command is not None:
            return run_command(args)
        debug = args.debug
    problem = missing_display(os.environ, sys.platform)
    if problem is not None:
        print(f"desktopchat: {problem}", file=sys.stderr)
        return 1
    from desktopchat.app.start import main as open_window

    return open_window(debug=debug)


def missing_display(environ: Mapping[str, str], platform: str) -> str | None:
    """Why the window cannot open here, or None when it may try.

    Without a display Qt aborts with a message about a missing xcb library, which sends
    people looking for a package they already have. Only the plain case is caught: a Linux
    or BSD desktop platform, chosen by Qt itself (no QT_QPA_PLATFORM, as the tests' offscreen
    runs set), with neither an X display nor a Wayland socket to talk to.
    """
    if platform in ("win32", "cygwin", "darwin") or environ.get("QT_QPA_PLATFORM"):
        return None
    if any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET")):
        return None
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime and (Path(runtime) / "wayland-0").exists():  # Wayland's default socket
        return None
    return (
        "no display to open the window on: set DISPLAY or WAYLAND_DISPLAY, or run a "
        "command (import, export, backup, sync); see desktopchat --help"
    )
