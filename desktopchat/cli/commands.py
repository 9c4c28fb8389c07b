"""The commands that need no window (import, export, backup, sync): their table, the
parser built from it, and the one way each runs, on the history opened as a file.

Apart from the entry point (cli/__init__.py) so that the plain window start imports neither
argparse nor this table (DESIGN.md P1); each command imports what it uses only when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktopchat import __version__
from desktopchat.cli.output import counted, day, progress
from desktopchat.cli.sync_command import run_sync, sync_arguments

if TYPE_CHECKING:
    import argparse

    from desktopchat.storage.history import ConversationStore


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    """One line, shown in `desktopchat --help`."""
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[ConversationStore, argparse.Namespace, TextIO, TextIO], int]
    """(store, arguments, out, err) → exit status."""


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
        parsed = read_import(args.path, progress("reading", err))
    except (ImportProblem, OSError, UnicodeDecodeError) as error:
        print(f"cannot import {args.path}: {error}", file=err)
        return 1
    span = parsed.date_range
    dates = f", {day(span[0])} to {day(span[1])}" if span else ""
    print(
        f"{args.path}: a {parsed.source} export of "
        f"{counted(len(parsed.conversations), 'conversation')}, "
        f"{counted(parsed.message_count, 'message')}{dates}",
        file=out,
    )
    report = ImportService(store).write_now(parsed, progress("writing", err))
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
        sync_arguments,
        run_sync,
    ),
)
