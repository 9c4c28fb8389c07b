"""The SQLite connection behind the history, and what to do when the file is not usable.

A person's history must survive crashes, a second running instance and a damaged disk, so:

- WAL journal: readers never wait for the writer, and a `kill -9` loses nothing committed.
  `synchronous=NORMAL` keeps that guarantee against a killed process (only a power cut can
  drop the last commits) while sparing an fsync on every streamed update.
- Every write runs in `BEGIN IMMEDIATE`, so two instances queue for the write lock up front
  instead of failing half-way through a transaction. Once open, writes go through the
  writer thread (storage/writer.py), which waits out a lock held by another program in
  the background; reads use a connection of their own (`open_reader`), which a writer's
  lock never blocks under WAL.
- The file and its -wal/-shm are the owner's alone (0600): a history is private.
- Failures a person can act on (full disk, read-only folder, another program holding the
  lock, a damaged file) become a `StorageError` with a kind the UI can word; anything else
  is a bug and stays an ordinary exception.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from desktopchat.storage import backup, migrations

T = TypeVar("T")

BUSY_TIMEOUT_SECONDS = 5.0
"""How long opening (and migrating) waits at start for another instance's transaction, and
how long a read waits in its worker thread; the writer thread sets its own."""
_LOCKED_RETRY_SECONDS = 0.05

_SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""

_SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database; they belong to it and move with it."""

_KIND_BY_PRIMARY_CODE = {
    sqlite3.SQLITE_FULL: "disk_full",
    sqlite3.SQLITE_READONLY: "read_only",
    sqlite3.SQLITE_BUSY: "locked",
    sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_PROTOCOL: "locked",
    sqlite3.SQLITE_CORRUPT: "corrupt",
    sqlite3.SQLITE_NOTADB: "corrupt",
    sqlite3.SQLITE_IOERR: "io",
    sqlite3.SQLITE_CANTOPEN: "io",
    sqlite3.SQLITE_PERM: "io",
    sqlite3.SQLITE_NOLFS: "io",
}

# What an error met while opening means for the person at start.
_PROBLEM_BY_ERROR_KIND = {
    "corrupt": "corrupt",
    "read_only": "read_only",
    "locked": "locked",
    "disk_full": "unreadable",
    "io": "unreadable",
}


class StorageError(Exception):
    """A read or write failed for a reason outside the program: the person must be told.

    kind is one of "disk_full", "read_only", "locked", "corrupt", "io"; for a write that
    failed in the writer thread also "conflict" (a constraint refused it: an id or origin
    already there) or "failed" (any other SQLite error: a bug, still to be said); and
    "bug" or "gone" for a queued write reported by services/history.py.
    """

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}")


@dataclass(frozen=True)
class StorageProblem:
    """What went wrong when opening the history, to show once at start.

    kind is one of "corrupt", "unreadable", "future_schema", "read_only", "locked".
    moved_to is where a damaged file was set aside (never overwritten, never deleted).
    """

    kind: str
    detail: str
    moved_to: Path | None = None


def storage_error_of(error: sqlite3.Error) -> StorageError | None:
    """The StorageError an SQLite failure means for the person; None for a bug in our SQL."""
    kind = _error_kind(error)
    return None if kind is None else StorageError(kind, str(error))


def _error_kind(error: sqlite3.Error) -> str | None:
    """The StorageError kind for an SQLite failure, or None when it is a bug in our SQL."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    return _KIND_BY_PRIMARY_CODE.get(code & 0xFF)


@contextlib.contextmanager
def _storage_errors() -> Iterator[None]:
    """Turn SQLite failures the person can act on into StorageError; let bugs through."""
    try:
        yield
    except sqlite3.Error as error:
        kind = _error_kind(error)
        if kind is None:
            raise
        raise StorageError(kind, str(error)) from error


class Database:
    """One connection and the lock that keeps its transactions whole.

    The connection may be used from any thread (the app may move storage calls off the
    event loop), but only one thread at a time: every access goes through `transaction()`
    or `query()`, which hold the lock.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self.connection = connection
        self.connection.row_factory = sqlite3.Row
        self.path = path
        self.lock = threading.RLock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        with self.lock, _storage_errors():
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
                self.connection.execute("COMMIT")
            except BaseException:
                if self.connection.in_transaction:
                    # SQLite may already have rolled back (a full disk does); the first
                    # error is the one worth reporting.
                    with contextlib.suppress(sqlite3.Error):
                        self.connection.execute("ROLLBACK")
                raise

    def query(
        self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[sqlite3.Row]:
        """Run one read and return all its rows."""
        with self.lock, _storage_errors():
            return self.connection.execute(sql, parameters).fetchall()

    def read(self, reading: Callable[[sqlite3.Connection], T]) -> T:
        """Run several reads that belong together (`reading(connection)`) under the lock."""
        with self.lock, _storage_errors():
            return reading(self.connection)

    def close(self) -> None:
        """Close the connection; calling it twice is harmless (and so is closing the
        shared connection of an in-memory history from its reader and its writer)."""
        with self.lock:
            self.connection.close()


class _OpenRefused(Exception):
    """The file cannot be used; carries what to tell the person."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def open_database(
    path: Path | None, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS
) -> tuple[Database, StorageProblem | None]:
    """Open (creating and migrating as needed) the history database at `path`.

    `None` opens an in-memory database, for tests. The app always gets a working database
    back; when the file cannot be used, the problem says why, and the file is kept:

    - damaged (garbage, truncated, malformed): the file and its -wal/-shm/-journal are moved
      aside to `<name>.corrupt-<date>-<time>` (a new suffix rather than overwrite anything),
      and a fresh database is created in its place. If they cannot be moved, the session
      runs in memory instead.
    - written by a newer DesktopChat ("future_schema"), read-only, unreadable, or locked by
      another program beyond the busy timeout: nothing is written to the file (a file that
      may be newer or damaged is only read through a read-only connection, which cannot
      even checkpoint its WAL), and the session runs on an empty in-memory database: the
      person can still chat, is told nothing will be saved, and loses nothing on disk.

    The one write before these checks is SQLite's own crash recovery of a hot rollback
    journal, which a read-only connection cannot do; our files use WAL and do not leave one.
    """
    if path is None:
        return _open_in_memory(), None
    path = Path(path)
    with contextlib.suppress(OSError, sqlite3.Error):
        backup.apply_pending_replace(path)  # File → Restore's "replace", chosen last run
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            return _open_file(path, busy_timeout), None
        except _OpenRefused as refused:
            problem = StorageProblem(refused.kind, refused.detail)
        # SQLite answers some lock upgrades (switching to WAL, a reader becoming a writer
        # while another instance creates the file) with BUSY at once, without its busy
        # handler: wait for the lock here as the handler would have.
        if problem.kind != "locked" or time.monotonic() >= deadline:
            break
        time.sleep(_LOCKED_RETRY_SECONDS)
    if problem.kind == "corrupt":
        return _start_fresh_beside(path, problem.detail, busy_timeout)
    return _open_in_memory(), problem


def open_reader(database: Database) -> Database:
    """A connection for reads beside `database`'s writes: WAL readers see the last commit
    and are never blocked by a writer, ours or another program's. An in-memory database has
    only the one connection, shared under its lock."""
    if database.path is None:
        return database
    connection = connect(str(database.path), BUSY_TIMEOUT_SECONDS)
    connection.execute("PRAGMA query_only = ON")
    return Database(connection, database.path)


def _open_in_memory() -> Database:
    database = Database(connect(":memory:", BUSY_TIMEOUT_SECONDS), None)
    with database.transaction() as connection:
        migrations.migrate(connection)
    return database


def connect(target: str, busy_timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    connection = sqlite3.connect(
        target, timeout=busy_timeout, isolation_level=None, check_same_thread=False, uri=uri
    )
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _open_file(path: Path, busy_timeout: float) -> Database:
    """Open, create or migrate a file database, or raise _OpenRefused having written
    nothing to it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        kind = "read_only" if isinstance(error, PermissionError) else "unreadable"
        raise _OpenRefused(kind, f"cannot create {path.parent}: {error.strerror}") from error
    if path.exists():
        _check_before_writing(path, busy_timeout)
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _OpenRefused("read_only", f"{path} cannot be written")
    previous_mask = os.umask(0o077)  # the file, -wal and -shm are made owner-only
    try:
        connection = connect(str(path), busy_timeout)
    except sqlite3.Error as error:
        os.umask(previous_mask)
        _refuse(error)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        database = Database(connection, path)
        _back_up_before_migrating(connection, path)
        with database.transaction() as transaction:
            migrations.migrate(transaction)
        _keep_private(path)
    except migrations.SchemaTooNew as error:
        connection.close()
        raise _OpenRefused("future_schema", str(error)) from error
    except (sqlite3.Error, StorageError) as error:
        connection.close()
        _refuse(error)
    except BaseException:
        connection.close()
        raise
    finally:
        os.umask(previous_mask)
    return database


def _back_up_before_migrating(connection: sqlite3.Connection, path: Path) -> None:
    """A copy of a history that a migration is about to change (DESIGN.md section 3)."""
    version = migrations.schema_version(connection)
    if 0 < version < migrations.LATEST_VERSION:
        backup.take_backup(
            connection, backup.backups_folder(path), reason=f"before-migration-{version + 1}"
        )


def _keep_private(path: Path) -> None:
    """Take group and other permissions off a history made by an older version (0644):
    the owner's own bits are kept, so a read-only file stays read-only."""
    for name in (path, *(_with_suffix(path, s) for s in _SIDECAR_SUFFIXES)):
        with contextlib.suppress(OSError):
            mode = name.stat().st_mode & 0o777
            if mode & 0o077:
                name.chmod(mode & 0o700)


def _check_before_writing(path: Path, busy_timeout: float) -> None:
    """Refuse a file that is not a database, is damaged or is newer than this code, having
    only read it: SQLite never sees a file without its header, and the schema version is
    read through a read-only connection, which cannot even checkpoint a leftover WAL."""
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise _OpenRefused("unreadable", f"cannot read {path}: {error.strerror}") from error
    if header and header != _SQLITE_HEADER:
        raise _OpenRefused("corrupt", f"{path} is not an SQLite database")
    try:
        connection = connect(f"{path.absolute().as_uri()}?mode=ro", busy_timeout, uri=True)
        try:
            version = migrations.schema_version(connection)
        finally:
            connection.close()
    except sqlite3.Error as error:
        if _error_kind(error) == "read_only":
            # Reading needs a write first (a hot journal to roll back after a crash): the
            # read-write open does that recovery, as SQLite always does, then checks again.
            return
        _refuse(error)
    if version > migrations.LATEST_VERSION:
        raise _OpenRefused("future_schema", str(migrations.SchemaTooNew(version)))


def _refuse(error: sqlite3.Error | StorageError) -> NoReturn:
    """Raise what an error met while opening means at start; a bug in our SQL stays a bug."""
    if isinstance(error, StorageError):
        raise _OpenRefused(_PROBLEM_BY_ERROR_KIND[error.kind], error.detail) from error
    kind = _error_kind(error)
    if kind is None:
        raise error
    raise _OpenRefused(_PROBLEM_BY_ERROR_KIND[kind], str(error)) from error


def _start_fresh_beside(
    path: Path, detail: str, busy_timeout: float
) -> tuple[Database, StorageProblem]:
    """Move a damaged database aside and open a new one where it was."""
    try:
        moved_to = _move_aside(path)
    except OSError as error:
        problem = StorageProblem("corrupt", f"{detail}; it could not be moved aside: {error}")
        return _open_in_memory(), problem
    problem = StorageProblem("corrupt", detail, moved_to)
    try:
        _move_sidecars(path, moved_to)
        return _open_file(path, busy_timeout), problem
    except (OSError, _OpenRefused) as error:
        # A leftover -wal beside a fresh file would be replayed into it: stay in memory.
        problem = StorageProblem(
            "corrupt", f"{detail}; no fresh database either: {error}", moved_to
        )
        return _open_in_memory(), problem


def _move_aside(path: Path) -> Path:
    """Rename `path` to a name no file (or sidecar) has yet; return the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    attempt = 0
    while True:
        attempt += 1
        suffix = f".corrupt-{stamp}" if attempt == 1 else f".corrupt-{stamp}-{attempt}"
        target = _with_suffix(path, suffix)
        if any(_with_suffix(target, s).exists() for s in ("", *_SIDECAR_SUFFIXES)):
            continue
        try:
            rename_without_overwrite(path, target)
        except FileExistsError:
            continue
        return target


def _move_sidecars(path: Path, moved_to: Path) -> None:
    """Keep the -wal/-shm/-journal with the moved file, so SQLite can still read it whole."""
    for suffix in _SIDECAR_SUFFIXES:
        sidecar = _with_suffix(path, suffix)
        if sidecar.exists():
            rename_without_overwrite(sidecar, _with_suffix(moved_to, suffix))


def _with_suffix(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def rename_without_overwrite(source: Path, target: Path) -> None:
    """Rename, failing with FileExistsError rather than replacing an existing file.

    A hard link then unlink cannot overwrite; filesystems without hard links (FAT on a
    portable stick) fall back to a checked rename.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(target) from None
        os.rename(source, target)
        return
    os.unlink(source)
