"""Copies of the history kept beside it, so a bad migration, a mistaken delete or a damaged
disk costs at most a day.

A copy is due when the newest one is a day old or older than the newest change in the
history, so what was written on the first day has a copy too (a copy of the empty history
taken at the very first start would otherwise be "fresh" until the next day). A history
with no conversation has nothing to keep and gets no copy.

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
import stat
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
KEPT_ALWAYS = ("before-restore", "before-migration")
"""Reasons whose copies pruning never removes: each holds a history that no other copy may
hold (the one a replace threw away, the schema before an update), and they are rare."""
_NAME = re.compile(r"^history-(\d{8}-\d{6})(?:-(\d+))?-([a-z0-9-]+)\.db$")
_SIDECARS = ("-wal", "-shm", "-journal")
MARKER_LIMIT = 64 * 1024
"""The restore marker holds one path; a larger file is not one."""


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
        os.utime(partial, (moment, moment))  # when the copy began: see list_backups
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
            taken = _taken(entry, datetime.strptime(match[1], "%Y%m%d-%H%M%S").timestamp())
            counts = _counts(entry) if count else (None, None)
            found.append(BackupInfo(entry, taken, match[3], *counts))
    return sorted(found, key=lambda info: (info.taken, info.path.name), reverse=True)


def _taken(path: Path, named: float) -> float:
    """When the copy at `path` began: its name says so to the second, its modification time
    (set by take_backup) to the microsecond, unless something since changed it."""
    try:
        modified = path.stat().st_mtime
    except OSError:
        return named
    return modified if named <= modified < named + 1 else named


READ_SECONDS = 5.0
"""How long counting a copy may take: a real one is counted in milliseconds."""


def _counts(path: Path) -> tuple[int | None, int | None]:
    """The conversations and messages a copy holds; (None, None) when it cannot be read.

    Anything in the backups folder with a backup's name is read, so a file made to hurt
    (a recursive view named `conversations` would spin a CPU for ever, hold the restore
    list and keep Quit waiting) is refused by its schema, and every read has a deadline.
    """
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            deadline = time.monotonic() + READ_SECONDS
            connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
            if not _plain_tables(connection):
                return None, None
            conversations = connection.execute("SELECT count(*) FROM conversations").fetchone()
            messages = connection.execute("SELECT count(*) FROM messages").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None, None
    return conversations[0], messages[0]


def _plain_tables(connection: sqlite3.Connection) -> bool:
    """Whether the history's tables are tables, and there is no view: our schema has none."""
    kinds = dict(
        connection.execute(
            "SELECT name, type FROM sqlite_master WHERE name IN ('conversations', 'messages')"
            " OR type = 'view'"
        ).fetchall()
    )
    return kinds == {"conversations": "table", "messages": "table"}


def readable(path: Path) -> bool:
    """Whether the copy at `path` is a history that can be read (blocking, bounded)."""
    return _counts(path)[0] is not None


def newest_change(database: Path) -> float | None:
    """When the history at `database` last changed (a conversation or a draft written), or
    None when it holds no conversation and no draft (nothing a copy would keep)."""
    try:
        connection = sqlite3.connect(f"{Path(database).absolute().as_uri()}?mode=ro", uri=True)
        try:
            [conversations] = connection.execute(
                "SELECT max(updated) FROM conversations"
            ).fetchone()
            [drafts] = connection.execute("SELECT max(updated) FROM drafts").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    changes = [moment for moment in (conversations, drafts) if moment is not None]
    return max(changes) if changes else None


def backup_due(
    folder: Path,
    changed: float | None,
    *,
    now: float | None = None,
    max_age: float = DAY_SECONDS,
) -> bool:
    """Whether a copy is due for a history last `changed` then (None: it holds nothing): when
    there is no copy, the newest is older than `max_age`, or began before the change."""
    if changed is None:
        return False
    newest = list_backups(folder, count=False)
    moment = time.time() if now is None else now
    return not newest or moment - newest[0].taken >= max_age or changed >= newest[0].taken


def prune(folder: Path, *, daily: int = DAILY_KEPT, weekly: int = WEEKLY_KEPT) -> list[Path]:
    """Keep the newest copy of each of the last `daily` days that have one, and of each of
    the `weekly` weeks before those, and every copy taken for a reason of KEPT_ALWAYS;
    delete the others. Returns what was deleted."""
    backups = [
        info
        for info in list_backups(folder, count=False)
        if not info.reason.startswith(KEPT_ALWAYS)
    ]
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
    marker = Path(database).parent / PENDING_RESTORE
    try:
        found = marker.stat()  # a FIFO or a device put there is never opened (it could hang)
        if not stat.S_ISREG(found.st_mode) or found.st_size > MARKER_LIMIT:
            return None
        text = marker.read_text(encoding="utf-8")
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
    if not readable(backup):
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
