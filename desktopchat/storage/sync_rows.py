"""The history as sync sees it: every conversation and message as plain rows (read in one
transaction), and the change that writes what other computers sent (services/sync/).

Rows rather than domain values: what is read here is compared with what was sent before by
a digest of the very values SQLite holds, and what arrives is written back as those values,
so a message that crossed two computers is the same row, bit for bit, on both.

ApplySynced is idempotent (adding a message that is there, deleting one that is not, does
nothing), so a sync killed between writing the history and remembering it can replay it.
It never deletes what something newer depends on: a message is kept, with what it
continues from, while a message not named in the deletion is below it; a conversation is
kept while it has such a message. What it kept, and what it could not write yet (its
conversation is not here, an attachment's bytes did not arrive), it says.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktopchat.storage.attachment_rows import Blob, write_blobs
from desktopchat.storage.conversation_columns import RECORDED

MESSAGE_COLUMNS = (
    "id",
    "conversation_id",
    "parent_id",
    "role",
    "text",
    "created",
    "status",
    "provider",
    "model",
    "served_model",
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cached_tokens",
    "cost",
    "cost_source",
    "error",
    "error_kind",
    "error_details",
    "duration",
    "reasoning",
    "reasoning_signature",
    "reasoning_seconds",
    "left_out",
    "tool_steps",
    "project_files",
    "web_search",
    "reply_end",
)
CONVERSATION_FIELDS = RECORDED
ATTACHMENT_FIELDS = ("kind", "name", "mime", "size", "sha256", "text", "note")

Row = tuple[Any, ...]


@dataclass(frozen=True)
class HistoryRows:
    conversations: dict[int, tuple[dict[str, Any], str | None]]
    """id → (fields, origin)."""
    messages: dict[int, Row]
    """id → row in MESSAGE_COLUMNS order; replies still streaming are left out."""
    attachments: dict[int, list[Row]]
    """message id → its attachments in order (ATTACHMENT_FIELDS)."""
    streaming: set[int]
    """Replies being written right now (by this app or another): sent once finished."""
    high_water: int = 0
    """The largest id this file ever gave (sqlite_sequence): it never goes down, unless
    the file was replaced by an older copy (a backup restored, a new history)."""


def read_history_rows(
    connection: sqlite3.Connection, only: Collection[int] | None = None
) -> HistoryRows:
    """Everything sync compares, read in one transaction (a consistent picture even while
    another process writes); `only`: just these conversations."""
    connection.execute("BEGIN")
    cursor = connection.cursor()
    cursor.row_factory = None  # plain tuples: 20,000 sqlite3.Row conversions cost ~0.5 s
    ids: tuple[int, ...] = ()
    in_conversations = in_messages = of_messages = ""
    if only is not None:
        ids = tuple(only)
        marks = ", ".join("?" for _ in ids) or "NULL"
        in_conversations = f" AND id IN ({marks})"
        in_messages = f" AND conversation_id IN ({marks})"
        of_messages = f" WHERE message_id IN (SELECT id FROM messages WHERE 1{in_messages})"
    try:
        conversations = {
            row[0]: (dict(zip(CONVERSATION_FIELDS, row[1:-1], strict=True)), row[-1])
            for row in cursor.execute(
                f"SELECT id, {', '.join(CONVERSATION_FIELDS)}, origin FROM conversations"
                f" WHERE 1{in_conversations}",
                ids,
            )
        }
        messages = {
            row[0]: row
            for row in cursor.execute(
                f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM messages"
                f" WHERE status != 'streaming'{in_messages}",
                ids,
            )
        }
        streaming = {
            row[0]
            for row in connection.execute(
                f"SELECT id FROM messages WHERE status = 'streaming'{in_messages}", ids
            )
        }
        attachments: dict[int, list[Row]] = {}
        for row in cursor.execute(
            f"SELECT message_id, {', '.join(ATTACHMENT_FIELDS)} FROM message_attachments"
            f"{of_messages} ORDER BY message_id, position",
            ids,
        ):
            attachments.setdefault(row[0], []).append(tuple(row[1:]))
        high_water = cursor.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence").fetchone()[
            0
        ]
    finally:
        connection.execute("COMMIT")
    return HistoryRows(conversations, messages, attachments, streaming, int(high_water))


def high_water(connection: sqlite3.Connection) -> int:
    row = connection.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence").fetchone()
    return int(row[0])


def read_blob(connection: sqlite3.Connection, sha256: str) -> Blob | None:
    row = connection.execute("SELECT mime, data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else Blob(row[0], bytes(row[1]))


def blobs_present(connection: sqlite3.Connection, wanted: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = list(wanted[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        found.update(
            row[0]
            for row in connection.execute(
                f"SELECT sha256 FROM blobs WHERE sha256 IN ({marks})", chunk
            )
        )
    return found


@dataclass(frozen=True)
class SyncedConversation:
    id: int
    fields: Mapping[str, Any]
    """Every field (a conversation new here is written with them all)."""
    changed: frozenset[str]
    """The fields another computer changed (the only ones written into one already here)."""
    origin: str | None = None
    create: bool = True
    """False: only change it if it is here (it was deleted elsewhere; were it kept here
    because a message continues it, it keeps the latest title and settings)."""


@dataclass(frozen=True)
class SyncedMessage:
    row: Row
    attachments: tuple[Row, ...] = ()

    @property
    def id(self) -> int:
        return int(self.row[0])

    @property
    def conversation_id(self) -> int:
        return int(self.row[1])


@dataclass
class SyncOutcome:
    created: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    deleted_conversations: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    """Messages whose deletion was refused: a message not deleted continues from them."""
    kept_conversations: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    """Messages not written yet: their conversation or an attachment's bytes are missing."""
    failed: list[tuple[int, str]] = field(default_factory=list)

    def clear(self) -> None:
        for value in vars(self).values():
            value.clear()


@dataclass(frozen=True)
class ApplySynced:
    """Write what other computers changed: conversations, messages, deletions."""

    conversations: tuple[SyncedConversation, ...] = ()
    messages: tuple[SyncedMessage, ...] = ()
    delete_messages: tuple[int, ...] = ()
    delete_conversations: tuple[int, ...] = ()
    blobs: Mapping[str, Blob] = field(default_factory=dict)
    outcome: SyncOutcome = field(default_factory=SyncOutcome, compare=False)

    def apply(self, connection: sqlite3.Connection) -> None:
        self.outcome.clear()
        for conversation in self.conversations:
            self._conversation(connection, conversation)
        write_blobs(connection, self.blobs)
        for message in self.messages:
            self._message(connection, message)
        self._delete_messages(connection)
        for conversation_id in self.delete_conversations:
            left = connection.execute(
                "SELECT 1 FROM messages WHERE conversation_id = ? LIMIT 1", (conversation_id,)
            ).fetchone()
            if left is not None:
                self.outcome.kept_conversations.append(conversation_id)
                continue
            gone = connection.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            if gone.rowcount:
                self.outcome.deleted_conversations.append(conversation_id)

    def describe(self) -> str:
        return (
            f"synced changes ({len(self.conversations)} conversation(s), "
            f"{len(self.messages)} message(s), "
            f"{len(self.delete_messages) + len(self.delete_conversations)} deletion(s))"
        )

    def _conversation(self, connection: sqlite3.Connection, c: SyncedConversation) -> None:
        there = connection.execute("SELECT 1 FROM conversations WHERE id = ?", (c.id,)).fetchone()
        try:
            if there is None:
                if not c.create:
                    return
                origin = c.origin
                if (
                    origin is not None
                    and connection.execute(
                        "SELECT 1 FROM conversations WHERE origin = ?", (origin,)
                    ).fetchone()
                ):
                    origin = None  # the same archive imported here too: both are kept
                names = [name for name in CONVERSATION_FIELDS if name in c.fields]
                connection.execute(
                    f"INSERT INTO conversations (id, {', '.join(names)}, origin)"
                    f" VALUES (?, {', '.join('?' for _ in names)}, ?)",
                    (c.id, *(c.fields[name] for name in names), origin),
                )
                self.outcome.created.append(c.id)
                return
            names = [n for n in CONVERSATION_FIELDS if n in c.changed and n in c.fields]
            if names:
                connection.execute(
                    f"UPDATE conversations SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
                    (*(c.fields[name] for name in names), c.id),
                )
        except (sqlite3.IntegrityError, ValueError, OverflowError) as error:
            self.outcome.failed.append((c.id, str(error)))

    def _message(self, connection: sqlite3.Connection, m: SyncedMessage) -> None:
        if (
            connection.execute(
                "SELECT 1 FROM conversations WHERE id = ?", (m.conversation_id,)
            ).fetchone()
            is None
        ):
            self.outcome.waiting.append(m.id)
            return
        existing = connection.execute(
            f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM messages WHERE id = ?", (m.id,)
        ).fetchone()
        try:
            if existing is not None:
                if tuple(existing) != tuple(m.row) and existing[1] == m.conversation_id:
                    names = MESSAGE_COLUMNS[3:]  # id, conversation and parent never change
                    connection.execute(
                        f"UPDATE messages SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
                        (*m.row[3:], m.id),
                    )
                    self.outcome.updated.append(m.id)
                return
            shas = [a[4] for a in m.attachments if a[4] is not None]
            if shas and len(blobs_present(connection, shas)) < len(set(shas)):
                self.outcome.waiting.append(m.id)
                return
        except (sqlite3.IntegrityError, ValueError, OverflowError) as error:
            self.outcome.failed.append((m.id, str(error)))
            return
        connection.execute("SAVEPOINT synced_message")
        try:
            connection.execute(
                f"INSERT INTO messages ({', '.join(MESSAGE_COLUMNS)})"
                f" VALUES ({', '.join('?' for _ in MESSAGE_COLUMNS)})",
                m.row,
            )
            connection.executemany(
                f"INSERT INTO message_attachments (message_id, position,"
                f" {', '.join(ATTACHMENT_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(m.id, position, *a) for position, a in enumerate(m.attachments)],
            )
        except (sqlite3.IntegrityError, ValueError, OverflowError) as error:
            connection.execute("ROLLBACK TO synced_message")
            self.outcome.failed.append((m.id, str(error)))
        else:
            self.outcome.added.append(m.id)
        connection.execute("RELEASE synced_message")

    def _delete_messages(self, connection: sqlite3.Connection) -> None:
        doomed = set(self.delete_messages)
        if not doomed:
            return
        rows: list[tuple[int, int | None]] = []
        ids = sorted(doomed)
        conversations: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            conversations.update(
                row[0]
                for row in connection.execute(
                    f"SELECT DISTINCT conversation_id FROM messages WHERE id IN ({marks})", chunk
                )
            )
        for conversation_id in conversations:
            rows += connection.execute(
                "SELECT id, parent_id FROM messages WHERE conversation_id = ?", (conversation_id,)
            ).fetchall()
        parent = dict(rows)
        kept = _kept_for_survivors(parent, doomed)
        gone = [i for i in parent if i in doomed and i not in kept]
        for start in range(0, len(gone), 500):
            chunk = gone[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            connection.execute(f"DELETE FROM messages WHERE id IN ({marks})", chunk)
        self.outcome.deleted.extend(gone)
        self.outcome.kept.extend(sorted(kept))


def _kept_for_survivors(parent: Mapping[int, int | None], doomed: set[int]) -> set[int]:
    """The doomed messages a surviving message continues from (its ancestors), in time
    linear in the messages: each is walked through once."""
    kept: set[int] = set()
    walked: set[int] = set()
    for survivor in parent:
        if survivor in doomed:
            continue
        current = parent.get(survivor)
        while current is not None and current in parent and current not in walked:
            walked.add(current)
            if current in doomed:
                kept.add(current)
            current = parent.get(current)
    return kept
