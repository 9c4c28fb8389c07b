"""The history's writer thread: every write, in order, off the event loop.

One thread owns the write connection. Changes (storage/changes.py) are queued by any thread
and applied in the order they were queued, as many as are waiting in one `BEGIN IMMEDIATE`
transaction, each in its own savepoint so one that fails (a conversation another instance
deleted) does not take the others with it.

When another program holds the write lock (a sync tool, a database browser, a second
instance mid-write), SQLite answers BUSY after a short wait (WRITER_BUSY_TIMEOUT). The
thread keeps the changes and tries again every `retry_interval`, for as long as it takes;
the changes stay readable meanwhile (reads lay them over the file), so the app goes on as
if they were written. What the person needs to know is published as a SaveStatus to the
listeners: BEHIND once the lock has held a write back for `behind_after`, STALLED once it
has for `stall_after` (nothing is dropped, the thread keeps trying), SAVED again once all
is written. Failures a person can act on (full disk, read-only file) fail the changes of
that batch with StorageError on their futures, and so does every other SQLite failure (a
constraint that refused a write: "conflict"; anything else: "failed"), so none is dropped
by a caller that only listens for StorageError; other bugs fail them with the bug. Each
failure is logged here.

Before each batch the file at the history's path is compared with the one the connection
has open (device and inode): a history deleted or replaced under the app (storage/moved.py)
is written out again from the open connection, and said, rather than written into a file
nobody will see again.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from desktopchat.storage import moved
from desktopchat.storage.changes import Change
from desktopchat.storage.db import Database, StorageError, storage_error_of

log = logging.getLogger(__name__)

WRITER_BUSY_TIMEOUT = 0.1
"""SQLite's own wait for the lock on each attempt, in the writer thread; the retries are ours,
so the thread can notice a quit between them."""

MAX_BATCH = 500


class SaveState(enum.Enum):
    SAVED = "saved"
    """Nothing waiting (or only what is being written right now)."""
    BEHIND = "behind"
    """Another program holds the lock; the writes wait in memory."""
    STALLED = "stalled"
    """Still locked after `stall_after`: the person should look at what holds it."""


@dataclass(frozen=True)
class SaveStatus:
    state: SaveState
    pending: int
    """Changes not written yet."""
    waiting_since: float | None = None
    """time.time() when the lock first held the oldest pending change back."""
    moved_to: Path | None = None
    """Set once the history file was deleted or replaced and written out again here."""
    moved_kind: str | None = None
    """"deleted" or "replaced"."""


Listener = Callable[[SaveStatus], None]


@dataclass
class _Queued:
    change: Change
    future: Future[None]


class HistoryWriter:
    """Owns the write connection and the thread that uses it."""

    def __init__(
        self,
        database: Database,
        *,
        retry_interval: float = 0.25,
        behind_after: float = 0.5,
        stall_after: float = 300.0,
    ) -> None:
        self._db = database
        self._retry_interval = retry_interval
        self._behind_after = behind_after
        self._stall_after = stall_after
        self._queue: deque[_Queued] = deque()
        self._condition = threading.Condition()
        self._closing = False
        self._abandon = False
        self._listeners: list[Listener] = []
        self._status = SaveStatus(SaveState.SAVED, 0)
        self._blocked_since: float | None = None
        self._identity = moved.identity(database.path)
        self._moved: tuple[Path, str] | None = None
        database.connection.execute(f"PRAGMA busy_timeout = {int(WRITER_BUSY_TIMEOUT * 1000)}")
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self._thread.start()

    @property
    def database(self) -> Database:
        """The write connection's database (it changes if the file had to be written anew)."""
        return self._db

    @property
    def status(self) -> SaveStatus:
        return self._status

    def add_listener(self, listener: Listener) -> None:
        """Called from the writer thread with every new SaveStatus."""
        with self._condition:
            self._listeners.append(listener)

    def submit(self, change: Change) -> Future[None]:
        """Queue a change; the future is done once it is written (or failed)."""
        future: Future[None] = Future()
        with self._condition:
            if self._closing:
                raise RuntimeError("the history is closed")
            self._queue.append(_Queued(change, future))
            self._condition.notify_all()
        return future

    def pending(self) -> tuple[Change, ...]:
        """The changes not written yet, oldest first (those being written included)."""
        with self._condition:
            return tuple(queued.change for queued in self._queue)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far is written; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            while self._queue:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._condition.wait(remaining)
            return True

    def close(self, timeout: float) -> list[Change]:
        """Write what is queued, waiting up to `timeout`; return what could not be written.

        Safe to call twice. The connection is closed either way; the changes returned are
        lost once the caller drops them, so it must say which.
        """
        with self._condition:
            self._closing = True
            self._condition.notify_all()
        self._thread.join(timeout)
        if self._thread.is_alive():
            with self._condition:
                self._abandon = True
                self._condition.notify_all()
            self._thread.join(WRITER_BUSY_TIMEOUT * 20)
        with self._condition:
            unsaved = [queued.change for queued in self._queue]
            for queued in self._queue:
                if not queued.future.done():
                    queued.future.set_exception(StorageError("locked", "not saved before quitting"))
            self._queue.clear()
        if not self._thread.is_alive():
            self._db.close()
        return unsaved

    # The thread.

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._queue and not self._closing:
                    self._condition.wait()
                if self._abandon or not self._queue:
                    return
                batch = list(self._queue)[:MAX_BATCH]
            if self._write(batch):
                with self._condition:
                    for _ in batch:
                        self._queue.popleft()
                    self._condition.notify_all()
                self._blocked_since = None
                self._publish()
                continue
            self._publish()
            with self._condition:
                if self._abandon:
                    return
                self._condition.wait(self._retry_interval)

    def _write(self, batch: list[_Queued]) -> bool:
        """Apply a batch; False if the lock held it back (nothing applied, retry later)."""
        try:
            self._check_file()
            outcomes = self._apply(batch)
        except StorageError as error:
            if error.kind == "locked":
                if self._blocked_since is None:
                    self._blocked_since = time.time()
                    log.info("the history is locked by another program; writes wait")
                return False
            log.warning("history write failed: %s", error)
            outcomes = [error] * len(batch)
        except Exception as error:  # a bug: every change of the batch hears of it
            log.exception("history write failed")
            outcomes = [_as_storage_error(error)] * len(batch)
        for queued, outcome in zip(batch, outcomes, strict=True):
            if outcome is None:
                queued.future.set_result(None)
            else:
                queued.future.set_exception(outcome)
        return True

    def _apply(self, batch: list[_Queued]) -> list[BaseException | None]:
        outcomes: list[BaseException | None] = []
        with self._db.transaction() as connection:
            for queued in batch:
                connection.execute("SAVEPOINT change")
                try:
                    queued.change.apply(connection)
                except Exception as error:  # sent to the change's future
                    outcome: BaseException | None = _as_storage_error(error)
                    if isinstance(outcome, StorageError) and outcome.kind == "locked":
                        raise outcome from error
                    _log_failed(queued.change, error)
                    connection.execute("ROLLBACK TO change")
                else:
                    outcome = None
                connection.execute("RELEASE change")
                outcomes.append(outcome)
        return outcomes

    def _check_file(self) -> None:
        """A history deleted or replaced since it was opened is written out again."""
        path = self._db.path
        if path is None or self._identity is None or moved.identity(path) == self._identity:
            return
        kind = "deleted" if not path.exists() else "replaced"
        log.warning("the history file was %s while the app was running", kind)
        self._db, target = moved.write_out_again(self._db)
        self._db.connection.execute(f"PRAGMA busy_timeout = {int(WRITER_BUSY_TIMEOUT * 1000)}")
        self._identity = moved.identity(target)
        self._moved = (target, kind)
        log.warning("the history was written out again to %s", target)

    def _publish(self) -> None:
        with self._condition:
            pending = len(self._queue)
            listeners = list(self._listeners)
        blocked = self._blocked_since
        state = SaveState.SAVED
        if blocked is not None and pending:
            waited = time.time() - blocked
            if waited >= self._stall_after:
                state = SaveState.STALLED
            elif waited >= self._behind_after:
                state = SaveState.BEHIND
        moved_to, moved_kind = self._moved or (None, None)
        status = SaveStatus(state, pending, blocked if pending else None, moved_to, moved_kind)
        previous, self._status = self._status, status
        if (status.state, status.waiting_since, status.moved_to) == (
            previous.state,
            previous.waiting_since,
            previous.moved_to,
        ):
            return
        for listener in listeners:
            try:
                listener(status)
            except Exception:  # a listener's bug must not stop the writes
                log.exception("save status listener failed")


def _as_storage_error(error: Exception) -> Exception:
    """Every SQLite failure of a write as a StorageError, so it is reported and shown, never
    dropped: those a person can act on with their kind, a constraint that refused the write
    (an id already taken, R8) as "conflict", any other (a bug in our SQL) as "failed"."""
    if not isinstance(error, sqlite3.Error):
        return error
    known = storage_error_of(error)
    if known is not None:
        return known
    kind = "conflict" if isinstance(error, sqlite3.IntegrityError) else "failed"
    wrapped = StorageError(kind, str(error))
    wrapped.__cause__ = error
    return wrapped


def _log_failed(change: Change, error: Exception) -> None:
    """A change that could not be written is logged here, whoever hears of it later."""
    if isinstance(error, (sqlite3.Error, StorageError)):
        log.warning("could not write %s: %s", change.describe(), error)
    elif isinstance(error, LookupError):  # ConversationGone: deleted by another instance
        log.info("could not write %s: %s", change.describe(), error)
    else:
        log.error("could not write %s", change.describe(), exc_info=error)
