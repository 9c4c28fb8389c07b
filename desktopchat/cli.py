"""The command line: `desktopchat import PATH`, `desktopchat export --all DIR`,
`desktopchat backup`. No window opens; each says what it did on stdout (and what went
wrong on stderr, with exit status 1).

Works beside a running app: the history takes writes from two processes (DESIGN.md R8).
A history that cannot be opened as a file (damaged, from a newer DesktopChat, locked) is
refused rather than imported into memory and lost.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from desktopchat.storage.history import ConversationStore

COMMANDS = ("import", "export", "backup")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="desktopchat", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser(
        "import",
        help="import a ChatGPT or Claude export (.zip or conversations.json), "
        "or DesktopChat Markdown exports (.md files or a folder of them)",
    )
    importing.add_argument("path", type=Path)
    exporting = commands.add_parser("export", help="write conversations as Markdown")
    exporting.add_argument(
        "--all",
        dest="folder",
        type=Path,
        required=True,
        metavar="DIR",
        help="write every conversation into DIR",
    )
    exporting.add_argument(
        "--branches", action="store_true", help="write every branch, not only the one shown"
    )
    commands.add_parser("backup", help="copy the history into its backups folder now")
    return parser.parse_args(argv)


def main(argv: list[str], out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    args = parse_args(argv)
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
        return _COMMANDS[args.command](store, args, out, err)
    finally:
        store.close()
        db.close()


def _import(store: ConversationStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktopchat.services.importers.reader import read_import
    from desktopchat.services.importers.service import ImportService
    from desktopchat.services.importers.tree import ImportProblem

    try:
        parsed = read_import(args.path, _progress("reading", err))
    except (ImportProblem, OSError, UnicodeDecodeError) as error:
        print(f"cannot import {args.path}: {error}", file=err)
        return 1
    span = parsed.date_range
    dates = f", {_day(span[0])} to {_day(span[1])}" if span else ""
    print(
        f"{args.path}: a {parsed.source} export of {len(parsed.conversations)} "
        f"conversation(s), {parsed.message_count} message(s){dates}",
        file=out,
    )
    report = ImportService(store).write_now(parsed, _progress("writing", err))
    print(
        f"imported {report.added} conversation(s) ({report.messages} messages); "
        f"{report.skipped} already there, skipped",
        file=out,
    )
    for problem in report.problems:
        print(f"left out {problem.title!r}: {problem.reason}", file=out)
    return 0


def _export(store: ConversationStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktopchat.services.export import export_all_from_store

    try:
        written = export_all_from_store(store, args.folder, tree=args.branches)
    except OSError as error:
        print(f"cannot export to {args.folder}: {error}", file=err)
        return 1
    print(f"exported {len(written)} conversation(s) to {args.folder}", file=out)
    return 0


def _backup(store: ConversationStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from desktopchat.storage import backup

    database = store.writer.database.path
    if database is None:
        print("the history is held in memory, not in a file: nothing to copy", file=err)
        return 1
    try:
        taken = backup.take_backup(
            Path(database), backup.backups_folder(Path(database)), reason="manual"
        )
        backup.prune(backup.backups_folder(Path(database)))
    except OSError as error:
        print(f"cannot back up the history: {error}", file=err)
        return 1
    print(f"history copied to {taken}", file=out)
    return 0


_COMMANDS = {"import": _import, "export": _export, "backup": _backup}


def _progress(stage: str, err: TextIO) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        print(f"\r{stage}: {done}/{total}", end="" if done < total else "\n", file=err, flush=True)

    return show


def _day(moment: float) -> str:
    return datetime.fromtimestamp(moment).date().isoformat()
