"""What this computer remembers about sync, in its own small SQLite file beside the history
(`sync-state.db`): its device id, where it syncs to (never a password), the clock, the
winning version of every conversation and message it knows (for merging by latest time
and for noticing what changed here since), which of the other computers' files it has
applied, the attachments already uploaded, and a journal of changes decided but maybe not
yet written into the history.

Its own file, not a table of the history: the history's migrations belong to the app, and
this file can be deleted at any time (the next sync then sends and compares everything
again, and adds nothing twice: merging is by id).

Crash safety: what to write into the history is put in the journal in the same transaction
that records the files it came from as applied; the journal entry is removed once the
history holds it. A sync killed in between replays the journal (the history change is
idempotent), so nothing applied is lost and nothing is applied twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STATE_FILE = "sync-state.db"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS conversations (
        id INTEGER PRIMARY KEY, t INTEGER NOT NULL, d TEXT NOT NULL,
        deleted INTEGER NOT NULL, fields TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS messages (
        id INTEGER PRIMARY KEY, conversation INTEGER NOT NULL, t INTEGER NOT NULL,
        d TEXT NOT NULL, deleted INTEGER NOT NULL, digest TEXT)""",
    "CREATE TABLE IF NOT EXISTS devices (device TEXT PRIMARY KEY, applied INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS journal (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS waiting (id INTEGER PRIMARY KEY, record BLOB NOT NULL)",
)
_RESET = ("conversations", "messages", "devices", "blobs", "journal", "waiting")


class SyncBusy(Exception):
    """Another sync of this history is running (the app, or a `desktopchat sync`)."""


@dataclass
class Register:
    """One value that merges by latest time: (clock, device) orders every write."""

    value: Any
    t: int
    d: str


@dataclass
class ConversationState:
    t: int
    d: str
    deleted: bool
    fields: dict[str, Register]


@dataclass
class MessageState:
    conversation: int
    t: int
    d: str
    deleted: bool
    digest: str | None


class SyncState:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._connection = sqlite3.connect(
            str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
        )
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)
        self._connection.execute("PRAGMA journal_mode = WAL")
        self._connection.execute("PRAGMA synchronous = FULL")
        for statement in _SCHEMA:
            self._connection.execute(statement)
        self._lock = threading.Lock()
        self._lock_file: int | None = None

    def close(self) -> None:
        self.unlock()
        self._connection.close()

    # One sync at a time per history.

    def lock(self) -> None:
        """SyncBusy when another process (or this one) is syncing this history."""
        if not self._lock.acquire(blocking=False):
            raise SyncBusy("a sync is already running")
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock_exclusively(fd)
        except OSError as error:
            os.close(fd)
            self._lock.release()
            raise SyncBusy("another sync of this history is running") from error
        self._lock_file = fd

    def unlock(self) -> None:
        if self._lock_file is not None:
            os.close(self._lock_file)  # releases the lock
            self._lock_file = None
            self._lock.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield self._connection
            self._connection.execute("COMMIT")
        except BaseException:
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            raise

    # Small facts.

    def get(self, key: str) -> str | None:
        row = self._connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str, connection: sqlite3.Connection | None = None) -> None:
        (connection or self._connection).execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def drop(self, key: str) -> None:
        self._connection.execute("DELETE FROM meta WHERE key = ?", (key,))

    def device(self) -> str:
        """This computer's folder in the sync folder, drawn once: `d-` and 16 hex digits."""
        device = self.get("device")
        if device is None:
            device = "d-" + secrets.token_hex(8)
            self.put("device", device)
        return device

    def forget_folder(self, folder_id: str) -> bool:
        """Start over when syncing to another sync folder than last time (its salt differs):
        everything is compared and sent again. True when it did."""
        if self.get("folder") == folder_id:
            return False
        with self.transaction() as connection:
            for table in _RESET:
                connection.execute(f"DELETE FROM {table}")
            connection.execute("DELETE FROM meta WHERE key IN ('next_seq', 'clock')")
            self.put("folder", folder_id, connection)
        return True

    def tick(self, seen: int = 0) -> int:
        """A clock that never goes back and stays above every clock seen from others (a
        computer whose clock is behind still orders its later changes after what it read)."""
        last = int(self.get("clock") or 0)
        now = max(int(time.time() * 1000), last + 1, seen + 1)
        self.put("clock", str(now))
        return now

    # What is known.

    def conversations(self) -> dict[int, ConversationState]:
        found = {}
        for row in self._connection.execute("SELECT id, t, d, deleted, fields FROM conversations"):
            fields = {name: Register(*value) for name, value in json.loads(row[4]).items()}
            found[row[0]] = ConversationState(row[1], row[2], bool(row[3]), fields)
        return found

    def messages(self) -> dict[int, MessageState]:
        return {
            row[0]: MessageState(row[1], row[2], row[3], bool(row[4]), row[5])
            for row in self._connection.execute(
                "SELECT id, conversation, t, d, deleted, digest FROM messages"
            )
        }

    @staticmethod
    def save_conversations(
        connection: sqlite3.Connection, states: dict[int, ConversationState]
    ) -> None:
        connection.executemany(
            "INSERT OR REPLACE INTO conversations (id, t, d, deleted, fields)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (
                    cid,
                    s.t,
                    s.d,
                    int(s.deleted),
                    json.dumps({n: [r.value, r.t, r.d] for n, r in s.fields.items()}),
                )
                for cid, s in states.items()
            ],
        )

    @staticmethod
    def save_messages(connection: sqlite3.Connection, states: dict[int, MessageState]) -> None:
        connection.executemany(
            "INSERT OR REPLACE INTO messages (id, conversation, t, d, deleted, digest)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (mid, s.conversation, s.t, s.d, int(s.deleted), s.digest)
                for mid, s in states.items()
            ],
        )

    def forget(self, conversations: set[int], messages: set[int]) -> None:
        """Know nothing of these any more, and read every computer's files again: the
        history was replaced by an older copy, and what it lacks must come back rather
        than be sent as deleted."""
        with self.transaction() as connection:
            connection.executemany(
                "DELETE FROM conversations WHERE id = ?", [(i,) for i in conversations]
            )
            connection.executemany("DELETE FROM messages WHERE id = ?", [(i,) for i in messages])
            connection.execute("DELETE FROM devices")

    def applied(self) -> dict[str, int]:
        return dict(self._connection.execute("SELECT device, applied FROM devices").fetchall())

    @staticmethod
    def set_applied(connection: sqlite3.Connection, device: str, seq: int) -> None:
        connection.execute(
            "INSERT INTO devices (device, applied) VALUES (?, ?)"
            " ON CONFLICT (device) DO UPDATE SET applied = excluded.applied",
            (device, seq),
        )

    def uploaded_blobs(self) -> set[str]:
        return {row[0] for row in self._connection.execute("SELECT sha256 FROM blobs")}

    def add_uploaded_blob(self, sha256: str) -> None:
        self._connection.execute("INSERT OR IGNORE INTO blobs (sha256) VALUES (?)", (sha256,))

    # The journal and what waits.

    @staticmethod
    def add_journal(connection: sqlite3.Connection, payload: Any) -> int:
        packed = zlib.compress(json.dumps(payload).encode("utf-8"), 1)
        cursor = connection.execute("INSERT INTO journal (payload) VALUES (?)", (packed,))
        return int(cursor.lastrowid or 0)

    def journal(self) -> list[tuple[int, Any]]:
        return [
            (row[0], json.loads(zlib.decompress(row[1])))
            for row in self._connection.execute("SELECT id, payload FROM journal ORDER BY id")
        ]

    @staticmethod
    def remove_journal(connection: sqlite3.Connection, entry: int) -> None:
        connection.execute("DELETE FROM journal WHERE id = ?", (entry,))

    def waiting(self) -> dict[int, Any]:
        return {
            row[0]: json.loads(row[1])
            for row in self._connection.execute("SELECT id, record FROM waiting")
        }

    @staticmethod
    def set_waiting(connection: sqlite3.Connection, records: dict[int, Any]) -> None:
        connection.execute("DELETE FROM waiting")
        connection.executemany(
            "INSERT INTO waiting (id, record) VALUES (?, ?)",
            [(mid, json.dumps(record)) for mid, record in records.items()],
        )


def _lock_exclusively(fd: int) -> None:
    """An advisory lock the OS releases when the process ends, however it ends."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
