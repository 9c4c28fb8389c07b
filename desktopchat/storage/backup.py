"""Copies of the history kept beside it, so a bad migration, a mistaken delete or a damaged
disk costs at most a day.

A copy is taken with SQLite's online backup (Connection.backup): consistent even while the
app writes, and it includes what the WAL holds. It is written to a hidden temporary file in
`backups/` (owner-only, like the history) and renamed once whole, so a crash never leaves a
half copy that looks like a backup. Names say when and why: `history-20261201-031500-
daily.db`. Keys are never in the history (they live in the keychain), so no copy holds one.

Replacing the history with a copy cannot happen under the running store's feet: the choice
is written to a marker file (`restore-pending`) and carried out by `open_database` on the
next start, before anything opens the file, after a copy of the history being replaced.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER = "backups"
PENDING_RESTORE = "restore-pending"
DAILY_KEPT = 7
WEEKLY_KEPT = 4
DAY_SECONDS = 24 * 3600
_NAME = re.compile(r"^history-(\d{8}-\d{6})(?:-(\d+))?-([a-z0-9-]+)\.db$")
_SIDECARS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupInfo:
    """A copy of the history: when it was taken and why; counts read when listed."""

    path: Path
    taken: float
    reason: str
    """"daily", "before-migration-<n>", "before-restore"."""
    conversations: int | None = None
    messages: int | None = None
    """None: the copy could not be read (damaged)."""


def backups_folder(database: Path) -> Path:
    return Path(database).parent / FOLDER


def take_backup(
    source: sqlite3.Connection | Path,
    folder: Path,
    *,
    reason: str = "daily",
    now: float | None = None,
) -> Path:
    """Copy the history (an open connection, or the file at a path) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    moment = time.time() if now is None else now
    target = _free_name(folder, moment, reason)
    partial = folder / f".{target.name}.partial"
    previous_mask = os.umask(0o077)
    try:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        copy = sqlite3.connect(partial)
        try:
            if isinstance(source, sqlite3.Connection):
                source.backup(copy)
            else:
                original = sqlite3.connect(f"{Path(source).absolute().as_uri()}?mode=ro", uri=True)
                try:
                    original.backup(copy)
                finally:
                    original.close()
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    finally:
        os.umask(previous_mask)
    return target


def _free_name(folder: Path, moment: float, reason: str) -> Path:
    stamp = datetime.fromtimestamp(moment).strftime("%Y%m%d-%H%M%S")
    name = folder / f"history-{stamp}-{reason}.db"
    number = 1
    while name.exists():
        number += 1
        name = folder / f"history-{stamp}-{number}-{reason}.db"
    return name


def list_backups(folder: Path, *, count: bool = True) -> list[BackupInfo]:
    """The copies in `folder`, newest first; with their counts when `count`."""
    found = []
    with contextlib.suppress(FileNotFoundError):
        for entry in folder.iterdir():
            match = _NAME.match(entry.name)
            if match is None or not entry.is_file():
                continue
            taken = datetime.strptime(match[1], "%Y%m%d-%H%M%S").timestamp()
            counts = _counts(entry) if count else (None, None)
            found.append(BackupInfo(entry, taken, match[3], *counts))
    return sorted(found, key=lambda info: (info.taken, info.path.name), reverse=True)


def _counts(path: Path) -> tuple[int | None, int | None]:
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            conversations = connection.execute("SELECT count(*) FROM conversations").fetchone()
            messages = connection.execute("SELECT count(*) FROM messages").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None, None
    return conversations[0], messages[0]


def backup_due(folder: Path, *, now: float | None = None, max_age: float = DAY_SECONDS) -> bool:
    """Whether the newest copy is older than `max_age` (or there is none)."""
    newest = list_backups(folder, count=False)
    moment = time.time() if now is None else now
    return not newest or moment - newest[0].taken >= max_age


def prune(folder: Path, *, daily: int = DAILY_KEPT, weekly: int = WEEKLY_KEPT) -> list[Path]:
    """Keep the newest copy of each of the last `daily` days that have one, and of each of
    the `weekly` weeks before those; delete the others. Returns what was deleted."""
    backups = list_backups(folder, count=False)
    keep: set[Path] = set()
    days: set[object] = set()
    weeks: set[tuple[int, int]] = set()
    weekly_kept = 0
    for info in backups:  # newest first
        moment = datetime.fromtimestamp(info.taken)
        iso = moment.isocalendar()
        day, week = moment.date(), (iso.year, iso.week)
        if len(days) < daily or day in days:
            if day not in days:
                days.add(day)
                weeks.add(week)
                keep.add(info.path)
        elif week not in weeks and weekly_kept < weekly:
            weeks.add(week)
            weekly_kept += 1
            keep.add(info.path)
    deleted = [info.path for info in backups if info.path not in keep]
    for path in deleted:
        with contextlib.suppress(OSError):
            path.unlink()
    return deleted


# Replacing the history on the next start.


def request_replace(database: Path, backup: Path) -> None:
    """Have the next start replace the history at `database` with `backup`."""
    marker = Path(database).parent / PENDING_RESTORE
    partial = marker.with_name(f".{PENDING_RESTORE}.partial")
    partial.write_text(str(Path(backup).absolute()), encoding="utf-8")
    os.replace(partial, marker)


def cancel_replace(database: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (Path(database).parent / PENDING_RESTORE).unlink()


def pending_replace(database: Path) -> Path | None:
    try:
        text = (Path(database).parent / PENDING_RESTORE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text.strip()) if text.strip() else None


def apply_pending_replace(database: Path) -> Path | None:
    """Carry out a replace asked for in the last run; returns the copy now in use, or None.

    The history being replaced is copied first (reason "before-restore"); a copy that has
    gone or is not a database is refused and the marker dropped. Called before this process
    opens the file; while another instance has it open, the replace waits (`_in_use`).
    """
    database = Path(database)
    backup = pending_replace(database)
    if backup is None:
        return None
    if _in_use(database):
        log.info("the history is open elsewhere: its replace waits for the next start")
        return None
    cancel_replace(database)
    if not _is_database(backup):
        log.warning("the copy chosen to restore is gone or damaged: %s", backup)
        return None
    if database.exists():
        take_backup(database, backups_folder(database), reason="before-restore")
    partial = database.with_name(f".{database.name}.restoring")
    previous_mask = os.umask(0o077)
    try:
        shutil.copyfile(backup, partial)
        with open(partial, "rb+") as file:
            os.fsync(file.fileno())
    finally:
        os.umask(previous_mask)
    for sidecar in _sidecars(database):
        with contextlib.suppress(FileNotFoundError):
            sidecar.unlink()
    os.replace(partial, database)
    log.info("history replaced with the copy %s", backup.name)
    return backup


def _in_use(database: Path) -> bool:
    """Whether another process may have the history open: SQLite removes the -wal file when
    the last connection closes, so one that is there means another instance (or a crash,
    whose leftovers the next clean close removes). Replacing the file under a running
    instance would lose what it writes; the replace waits for a start with no one else."""
    return database.with_name(database.name + "-wal").exists()


def _sidecars(database: Path) -> Iterable[Path]:
    return (database.with_name(database.name + suffix) for suffix in _SIDECARS)


def _is_database(path: Path) -> bool:
    return _counts(path)[0] is not None
