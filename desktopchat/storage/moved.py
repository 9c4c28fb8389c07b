"""A history file deleted or replaced while the app runs: notice it, and keep what it holds.

SQLite keeps writing to the file it opened, even once that file has no name any more (a
person or a sync tool deleted it, or put another file in its place): every later turn would
be lost at quit without a word. The writer thread compares the file at the path with the
one it has open (device and inode, one stat per batch) and, when they differ, writes the
open database out again with SQLite's backup API, which reads the open file whole, -wal
included:

- deleted: a new history at the same path (SQLite's leftover -wal/-shm beside it are moved
  aside first: replayed into the new file they would damage it);
- replaced: the other file is left alone, and the history goes beside it as
  `<name>.recovered-<date>-<time>.db`.

Writing then goes on in the new file; the person is told where it is (writer.SaveStatus).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from desktopchat.storage.db import Database, connect, rename_without_overwrite

_SIDECARS = ("-wal", "-shm")


def identity(path: Path | None) -> tuple[int, int] | None:
    """The file's device and inode, or None for no path; (0, 0) when nothing is there."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return (0, 0)
    return (info.st_dev, info.st_ino)


def write_out_again(database: Database) -> tuple[Database, Path]:
    """Copy the open database to the path (or beside it); return a connection to the copy,
    and where it is. The old connection is closed."""
    assert database.path is not None
    path = database.path
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if path.exists():
        target = path.with_name(f"{path.stem}.recovered-{stamp}{path.suffix}")
    else:
        target = path
        for suffix in _SIDECARS:
            stale = path.with_name(path.name + suffix)
            with contextlib.suppress(FileNotFoundError):
                rename_without_overwrite(stale, stale.with_name(f"{stale.name}.stale-{stamp}"))
    partial = target.with_name(target.name + ".part")
    previous_mask = os.umask(0o077)
    try:
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            with database.lock:
                database.connection.backup(copy)
        finally:
            copy.close()
        rename_without_overwrite(partial, target)
        connection = connect(str(target), 5.0)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
    finally:
        os.umask(previous_mask)
    database.close()
    return Database(connection, target), target
