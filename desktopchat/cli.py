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
plugs in as one more entry in COMMANDS.

Works beside a running app: the history takes writes from two processes (DESIGN.md R8).
A history that cannot be opened as a file (damaged, from a newer DesktopChat, locked) is
refused rather than imported into memory and lost.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktopchat import __version__
from desktopchat.services.sync.names import (
    PASSPHRASE_ACCOUNT,
    PASSPHRASE_ENV,
    WEBDAV_PASSWORD_ENV,
)

if TYPE_CHECKING:
    import argparse

    from desktopchat.storage.history import ConversationStore
    from desktopchat.system.keys import KeyStore


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    """One line, shown in `desktopchat --help`."""
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[ConversationStore, argparse.Namespace, TextIO, TextIO], int]
    """(store, arguments, out, err) → exit status."""


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point of both launchers and of `python -m desktopchat`.

    The plain window start (no argument, or only --debug) reads no parser: argparse and
    the commands' table are not needed to show the window (DESIGN.md P1)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    debug = arguments == ["--debug"]
    if arguments and not debug:
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


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="desktopchat",
        usage="%(prog)s [-h] [--version] [--debug] [COMMAND ...]",
        description="DesktopChat: a native desktop chat client for large language models. "
        "Without a command, opens the window. Data lives in the platform's data folder, or "
        "under $DESKTOPCHAT_HOME when set.",
        epilog="`desktopchat COMMAND --help` tells more about a command. Exit status: 0 "
        "done, 1 failed (the reason on stderr), 2 wrong arguments.",
    )
    window = parser.add_argument_group("window options")
    window.add_argument("--version", action="version", version=f"DesktopChat {__version__}")
    window.add_argument("--debug", action="store_true", help="log debug details (never keys)")
    commands = parser.add_subparsers(
        dest="command",
        prog="desktopchat",
        title="commands (no window, no display needed)",
        metavar="COMMAND",
    )
    for command in COMMANDS:
        sub = commands.add_parser(
            command.name, help=command.summary, description=command.summary + "."
        )
        command.arguments(sub)
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Exits with status 2 and a usage line on wrong arguments (0 for --help, --version)."""
    return build_parser().parse_args(argv)


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


def run_command(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore
    from desktopchat.system.paths import app_paths

    paths = app_paths()
    for unwritable in paths.ensure():
        print(f"cannot write to {unwritable.folder}: {unwritable.reason}", file=err)
        return 1
    db, problem = open_database(paths.database)
    if problem is not None:
        db.close()
        print(
            f"the history at {paths.database} cannot be used ({problem.kind}: "
            f"{problem.detail}); nothing done",
            file=err,
        )
        return 1
    store = ConversationStore(db)
    try:
        command = next(c for c in COMMANDS if c.name == args.command)
        return command.run(store, args, out, err)
    finally:
        store.close()
        db.close()


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help="a ChatGPT or Claude export (.zip or conversations.json), a DesktopChat "
        "Markdown export (.md), or a folder of them",
    )


def _import(store: ConversationStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktopchat.services.importers.reader import read_import
    from desktopchat.services.importers.service import ImportService
    from desktopchat.services.importers.tree import ImportProblem

    if not args.path.exists():
        print(f"cannot import {args.path}: there is no such file or folder", file=err)
        return 1
    try:
        parsed = read_import(args.path, _progress("reading", err))
    except (ImportProblem, OSError, UnicodeDecodeError) as error:
        print(f"cannot import {args.path}: {error}", file=err)
        return 1
    span = parsed.date_range
    dates = f", {_day(span[0])} to {_day(span[1])}" if span else ""
    print(
        f"{args.path}: a {parsed.source} export of "
        f"{counted(len(parsed.conversations), 'conversation')}, "
        f"{counted(parsed.message_count, 'message')}{dates}",
        file=out,
    )
    report = ImportService(store).write_now(parsed, _progress("writing", err))
    print(
        f"imported {counted(report.added, 'conversation')} "
        f"({counted(report.messages, 'message')}); {report.skipped} already there, skipped",
        file=out,
    )
    for problem in report.problems:
        print(f"left out {problem.title!r}: {problem.reason}", file=out)
    return 0


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder", type=Path, metavar="DIR", help="the folder to write into (created if needed)"
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--all",
        action="store_true",
        help="every conversation (the default), a project's in a folder of its own",
    )
    which.add_argument(
        "--title",
        action="append",
        metavar="TEXT",
        help="only the conversations whose title contains TEXT, ignoring case; may be repeated",
    )
    parser.add_argument(
        "--branches", action="store_true", help="write every branch, not only the one shown"
    )


def _export(store: ConversationStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktopchat.services.project_export import export_by_project

    select = None
    if args.title:
        wanted = [text.casefold() for text in args.title]
        ids = {
            c.id
            for c in store.list_conversations()
            if any(text in c.title.casefold() for text in wanted)
        }
        if not ids:
            titles = " or ".join(repr(text) for text in args.title)
            print(f"no conversation's title contains {titles}; nothing exported", file=err)
            return 1
        select = lambda c: c.id in ids  # noqa: E731
    try:
        written = export_by_project(store, args.folder, tree=args.branches, select=select)
    except OSError as error:
        print(f"cannot export to {args.folder}: {error}", file=err)
        return 1
    print(f"exported {counted(len(written), 'conversation')} to {args.folder}", file=out)
    return 0


def _backup(store: ConversationStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktopchat.storage import backup

    database = store.writer.database.path
    if database is None:  # run_command opens the history's file or stops
        print("the history is not a file; nothing to back up", file=err)
        return 1
    try:
        taken = backup.take_backup(database, backup.backups_folder(database), reason="manual")
        backup.prune(backup.backups_folder(database))
    except OSError as error:
        print(f"cannot back up the history: {error}", file=err)
        return 1
    print(f"history copied to {taken}", file=out)
    return 0


def _sync_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--folder",
        type=Path,
        metavar="PATH",
        help="a folder another program carries between computers (Syncthing, Dropbox, "
        "Nextcloud, a share)",
    )
    where.add_argument("--webdav", metavar="URL", help="a WebDAV server's address (https://…)")
    parser.add_argument("--user", metavar="NAME", help="the WebDAV user name")
    parser.epilog = (
        "Where to sync is remembered: plain `desktopchat sync` syncs there again. The "
        f"passphrase comes from ${PASSPHRASE_ENV}, the keychain, or is asked; a WebDAV "
        f"password from ${WEBDAV_PASSWORD_ENV}, the keychain, or is asked. Neither is ever written "
        "to a file."
    )


def _sync(store: ConversationStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktopchat.services.sync.engine import SyncEngine
    from desktopchat.services.sync.service import remember_success
    from desktopchat.services.sync.target import SyncTarget, remember, remembered
    from desktopchat.storage.sync_state import STATE_FILE, SyncBusy, SyncState
    from desktopchat.sync.errors import SyncError
    from desktopchat.system.keys import KeyStore

    database = store.writer.database.path
    if database is None:  # run_command opens the history's file or stops
        print("the history is not a file; nothing to sync", file=err)
        return 1
    state = SyncState(Path(database).with_name(STATE_FILE))
    try:
        target = remembered(state)
        if args.folder is not None:
            target = SyncTarget.folder(args.folder)
        elif args.webdav is not None:
            user = args.user or (target.user if target and target.location == args.webdav else None)
            if not user:
                print("--webdav needs --user NAME", file=err)
                return 2
            try:
                target = SyncTarget.webdav(args.webdav, user)
            except ValueError as error:
                print(f"cannot sync: {error}", file=err)
                return 2
        elif args.user is not None:
            print("--user goes with --webdav URL", file=err)
            return 2
        if target is None:
            print(
                "where to? desktopchat sync --folder PATH, or --webdav URL --user NAME "
                "(remembered afterwards)",
                file=err,
            )
            return 1
        keys = KeyStore()
        passphrase, asked = _secret(
            keys,
            PASSPHRASE_ACCOUNT,
            PASSPHRASE_ENV,
            "Sync passphrase (the same on every computer): ",
        )
        if not passphrase:
            print(f"no sync passphrase: set {PASSPHRASE_ENV} or run this in a terminal", file=err)
            return 1
        password, password_asked = None, False
        if target.needs_password:
            password, password_asked = _secret(
                keys,
                target.password_account,
                WEBDAV_PASSWORD_ENV,
                f"Password for {target.describe()}: ",
            )
            if password is None:
                print(
                    f"no WebDAV password: set {WEBDAV_PASSWORD_ENV} or run this in a terminal",
                    file=err,
                )
                return 1
        try:
            transport = target.transport(password)
        except ValueError as error:
            print(f"cannot sync: {error}", file=err)
            return 2
        try:
            progress = (lambda text: print(text, file=err, flush=True)) if err.isatty() else None
            report = SyncEngine(store, state, transport, passphrase, progress=progress).run()
        except (SyncError, SyncBusy) as error:
            print(f"sync with {target.describe()} failed: {error}", file=err)
            return 1
        finally:
            transport.close()
        remember(state, target)
        remember_success(state, report)
    finally:
        state.close()
    print(
        f"synced with {target.describe()} ({counted(report.computers, 'other computer')} there)",
        file=out,
    )
    print(
        f"sent {counted(report.sent_conversations, 'conversation')}, "
        f"{counted(report.sent_messages, 'message')}, "
        f"{counted(report.sent_deletions, 'deletion')}, "
        f"{counted(report.blobs_sent, 'attachment')}",
        file=out,
    )
    print(
        f"received {counted(report.received_conversations, 'conversation')}, "
        f"{counted(report.received_messages, 'message')}, "
        f"{counted(report.received_deletions, 'deletion')}, "
        f"{counted(report.blobs_received, 'attachment')}",
        file=out,
    )
    for note in report.notes:
        print(f"note: {note}", file=out)
    for account, secret, was_asked in (
        (PASSPHRASE_ACCOUNT, passphrase, asked),
        (target.password_account if target.needs_password else "", password, password_asked),
    ):
        if was_asked and secret:
            _keep(keys, account, secret, err)
    return 0


def _secret(keys: KeyStore, account: str, env_var: str, prompt: str) -> tuple[str | None, bool]:
    """(the secret, whether the person typed it): the environment, the keychain, the
    terminal, in that order; None when none has it and there is no terminal to ask."""
    import asyncio

    from desktopchat.services.sync.service import secret_from

    kept = asyncio.run(secret_from(keys, os.environ, account, env_var))
    if kept:
        return kept, False
    if not sys.stdin.isatty():
        return None, False
    import getpass

    typed = getpass.getpass(prompt)
    return (typed or None), True


def _keep(keys: KeyStore, account: str, secret: str, err: TextIO) -> None:
    """Keep what the person typed in the keychain for the next sync (never in a file)."""
    import asyncio

    from desktopchat.system.keychain_problems import KeychainError
    from desktopchat.system.keys import KeySource

    try:
        where = asyncio.run(keys.aset(account, secret))
    except (KeychainError, ValueError):
        where = KeySource.NONE
    if where is not KeySource.KEYCHAIN:
        print("(not kept in the keychain: it will be asked again next time)", file=err)


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    pass


COMMANDS: tuple[Command, ...] = (
    Command(
        "import",
        "add the conversations of a ChatGPT, Claude or DesktopChat Markdown export to the "
        "history (never twice)",
        _import_arguments,
        _import,
    ),
    Command(
        "export",
        "write conversations as Markdown files into a folder (all of them, or by title)",
        _export_arguments,
        _export,
    ),
    Command(
        "backup",
        "copy the history into its backups folder now",
        _no_arguments,
        _backup,
    ),
    Command(
        "sync",
        "merge the history with your other computers' through a shared folder or WebDAV, "
        "end-to-end encrypted",
        _sync_arguments,
        _sync,
    ),
)


def counted(number: int, noun: str) -> str:
    """ "1 conversation", "2 conversations", "0 conversations"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _progress(stage: str, err: TextIO) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        print(f"\r{stage}: {done}/{total}", end="" if done < total else "\n", file=err, flush=True)

    return show


def _day(moment: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(moment).date().isoformat()
