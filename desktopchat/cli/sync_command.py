"""`desktopchat sync`: where to sync (given, or remembered), the passphrase and a WebDAV
password (the environment, the keychain, or asked in the terminal, kept in the keychain
afterwards, never in a file), one SyncEngine run, and what it did.

Apart from the other commands (cli/commands.py) because it alone asks for secrets and
chooses a place; like them, it imports the sync machinery only when it runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktopchat.cli.output import counted
from desktopchat.services.sync.names import (
    PASSPHRASE_ACCOUNT,
    PASSPHRASE_ENV,
    WEBDAV_PASSWORD_ENV,
)

if TYPE_CHECKING:
    import argparse

    from desktopchat.storage.history import ConversationStore
    from desktopchat.system.keys import KeyStore


def sync_arguments(parser: argparse.ArgumentParser) -> None:
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


def run_sync(store: ConversationStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
