"""ConversationStore: the conversations and messages a person keeps, and search over them.

Writes never wait: each becomes a change (storage/changes.py) queued for the writer thread
(storage/writer.py), and the call returns at once with what will be stored (new rows get
their id here, storage/ids.py) and a future that is done once it is on disk. Reads block
the calling thread (callers run them in a worker thread, services/history.py) on a read
connection of their own, and see the changes still queued laid over the file, so the app
reads its own writes whether or not another program holds the lock.

Failures the person must hear about arrive as StorageError (see storage/db.py) on a
write's future, or raised by a read.
"""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Conversation, Message, MessageStatus, Role, Usage
from desktopchat.storage.changes import (
    CONVERSATION_FIELDS,
    AddConversation,
    AddMessage,
    Change,
    ConversationGone,
    DeleteConversation,
    DeleteMessagesFrom,
    RecoverInterrupted,
    UpdateConversation,
    UpdateMessage,
    overlay_conversations,
    overlay_messages,
    usage_or_none,
)
from desktopchat.storage.db import Database, open_reader
from desktopchat.storage.ids import IdAllocator
from desktopchat.storage.search import SNIPPET_END, SNIPPET_START, SearchHit, search_history
from desktopchat.storage.writer import HistoryWriter, SaveStatus

__all__ = [
    "SNIPPET_END",
    "SNIPPET_START",
    "ConversationGone",
    "ConversationStore",
    "Queued",
    "SaveStatus",
    "SearchHit",
]

_CONVERSATION_COLUMNS = "id, title, created, updated, provider, model, temperature, system_prompt"
_MESSAGE_COLUMNS = (
    "id, conversation_id, role, text, created, status, provider, model,"
    " input_tokens, output_tokens, error, error_kind, error_details, duration"
)

T = TypeVar("T")


@dataclass(frozen=True)
class Queued(Generic[T]):
    """A new row as it will be stored, and the future that is done once it is."""

    value: T
    saved: Future

    def result(self, timeout: float | None = None) -> T:
        """Wait until it is written (raising what the write raised); for tests and scripts."""
        self.saved.result(timeout)
        return self.value


class ConversationStore:
    """Conversations and their messages, stored in a Database it owns from now on."""

    def __init__(self, db: Database, **writer_options: Any) -> None:
        self._ids = IdAllocator(floor=_largest_id(db))
        self._writer = HistoryWriter(db, **writer_options)
        self._reader = open_reader(db)
        self._reader_of = db

    @property
    def writer(self) -> HistoryWriter:
        return self._writer

    @property
    def _db(self) -> Database:
        """The write connection's database (tests reach SQLite's own limits through it)."""
        return self._writer.database

    # Conversations

    def create_conversation(
        self,
        *,
        title: str = "",
        provider: str | None = None,
        model: str | None = None,
        temperature: float | None = None,
        system_prompt: str = "",
    ) -> Queued[Conversation]:
        now = time.time()
        conversation = Conversation(
            id=self._ids.next_id(),
            title=title,
            created=now,
            updated=now,
            provider=provider,
            model=model,
            temperature=temperature,
            system_prompt=system_prompt,
        )
        return Queued(conversation, self._submit(AddConversation(conversation)))

    def update_conversation(self, conversation_id: int, **fields: Any) -> Future:
        """Change any of title, provider, model, temperature, system_prompt.

        Leaves `updated` alone: changing a setting must not move the conversation to the
        top of the list. The future fails with ConversationGone if it does not exist (any
        more).
        """
        unknown = fields.keys() - CONVERSATION_FIELDS
        if unknown:
            raise TypeError(f"not a conversation field: {', '.join(sorted(unknown))}")
        return self._submit(UpdateConversation(conversation_id, dict(fields)))

    def rename_conversation(self, conversation_id: int, title: str) -> Future:
        return self.update_conversation(conversation_id, title=title)

    def delete_conversation(self, conversation_id: int) -> Future:
        """Delete it with its messages; the triggers take them out of the search index."""
        return self._submit(DeleteConversation(conversation_id))

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        found = overlay_conversations(map(_conversation, rows), pending)
        return next((c for c in found if c.id == conversation_id), None)

    def list_conversations(self, limit: int | None = None) -> list[Conversation]:
        """Most recently updated first (ties: the newer conversation first)."""
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations"
            " ORDER BY updated DESC, id DESC LIMIT ?",
            (-1 if limit is None else limit + len(pending),),
        )
        found = overlay_conversations(map(_conversation, rows), pending)
        return found if limit is None else found[:limit]

    # Messages

    def add_message(
        self,
        conversation_id: int,
        role: Role,
        text: str,
        *,
        status: MessageStatus = MessageStatus.COMPLETE,
        provider: str | None = None,
        model: str | None = None,
    ) -> Queued[Message]:
        """Append a message and move its conversation to the top of the list.

        The future fails with ConversationGone if the conversation does not exist (another
        instance may have deleted it).
        """
        message = Message(
            id=self._ids.next_id(),
            conversation_id=conversation_id,
            role=role,
            text=text,
            created=time.time(),
            status=status,
            provider=provider,
            model=model,
        )
        return Queued(message, self._submit(AddMessage(message)))

    def get_message(self, message_id: int) -> Message | None:
        pending = self._writer.pending()
        rows = self._query(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        found = [_message(row) for row in rows]
        found += [
            c.message for c in pending if isinstance(c, AddMessage) and c.message.id == message_id
        ]
        return next((m for m in overlay_messages(found[:1], pending) if m.id == message_id), None)

    def messages(self, conversation_id: int) -> list[Message]:
        """The whole conversation in order, in one indexed query."""
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        return overlay_messages(map(_message, rows), pending, conversation_id)

    def last_messages(
        self, conversation_id: int, limit: int, *, before: int | None = None
    ) -> list[Message]:
        """The newest `limit` messages (older than message `before`, if given), oldest of
        them first: a long conversation opens at its end without reading the rest."""
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {_MESSAGE_COLUMNS} FROM ("
            f" SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND id < ?"
            " ORDER BY id DESC LIMIT ?"
            ") ORDER BY id",
            (conversation_id, before or (1 << 63) - 1, limit + len(pending)),
        )
        found = overlay_messages(map(_message, rows), pending, conversation_id)
        if before is not None:
            found = [m for m in found if m.id < before]
        return found[-limit:] if limit > 0 else []

    def update_reply(
        self,
        message_id: int,
        *,
        text: str,
        status: MessageStatus | None = None,
        usage: Usage | None = None,
        error: ChatError | None = None,
        duration: float | None = None,
    ) -> Future:
        """Save a reply's full text so far, and whatever else is known (None: unchanged).

        Called every ≤250 ms while a reply streams, so it is one UPDATE; the search index
        is not touched until the status leaves STREAMING (see migrations.py). A message
        deleted meanwhile (the person deleted or regenerated it) is silently left alone.
        """
        values: dict[str, object] = {"text": text}
        known = {"status": status, "usage": usage, "error": error, "duration": duration}
        values.update((name, value) for name, value in known.items() if value is not None)
        return self._submit(UpdateMessage(message_id, values))

    def update_message_text(self, message_id: int, text: str) -> Future:
        """Replace a message's text (a person editing what they wrote)."""
        return self._submit(UpdateMessage(message_id, {"text": text}))

    def delete_messages_from(self, conversation_id: int, message_id: int) -> Future:
        """Delete this message and every later one in the conversation."""
        return self._submit(DeleteMessagesFrom(conversation_id, message_id))

    def recover_interrupted(self) -> Future:
        """At start: mark replies left STREAMING by a crash as INTERRUPTED; the future's
        result is how many.

        This also indexes them for search. A reply another instance is streaming at this
        very moment is marked too, until that instance saves its final status.
        """
        change = RecoverInterrupted()
        written = self._submit(change)
        counted: Future = Future()
        written.add_done_callback(
            lambda done: (
                counted.set_exception(done.exception())
                if done.exception()
                else counted.set_result(sum(change.counted))
            )
        )
        return counted

    # Search

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Titles, then messages, that contain every word typed; see storage/search.py.

        What is written is searched: a change still waiting for the lock is not found yet.
        """
        return search_history(self._reading(), query, limit)

    # Lifetime

    def wait_written(self, timeout: float | None = None) -> bool:
        """Wait until every change queued so far is on disk; False on timeout."""
        return self._writer.wait_idle(timeout)

    def close(self, timeout: float = 10.0) -> list[Change]:
        """Write what is queued (waiting up to `timeout`) and close; return what could not
        be written, for the caller to say. Calling it twice is harmless."""
        unsaved = self._writer.close(timeout)
        self._reader.close()
        return unsaved

    def _submit(self, change: Change) -> Future:
        return self._writer.submit(change)

    def _reading(self) -> Database:
        """The read connection, moved to the new file if the writer had to write the history
        out again (storage/moved.py)."""
        written = self._writer.database
        if written is not self._reader_of:
            old, self._reader = self._reader, open_reader(written)
            self._reader_of = written
            old.close()
        return self._reader

    def _query(self, sql: str, parameters: tuple) -> list[sqlite3.Row]:
        return self._reading().query(sql, parameters)


def _largest_id(db: Database) -> int:
    """The largest id AUTOINCREMENT or IdAllocator ever gave in this file: new ids go above."""
    rows = db.query("SELECT coalesce(max(seq), 0) FROM sqlite_sequence")
    return rows[0][0]


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"],
        title=row["title"],
        created=row["created"],
        updated=row["updated"],
        provider=row["provider"],
        model=row["model"],
        temperature=row["temperature"],
        system_prompt=row["system_prompt"],
    )


def _message(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=Role(row["role"]),
        text=row["text"],
        created=row["created"],
        status=MessageStatus(row["status"]),
        provider=row["provider"],
        model=row["model"],
        usage=usage_or_none(row["input_tokens"], row["output_tokens"]),
        error=_stored_error(row["error_kind"], row["error_details"]),
        error_text=row["error"],
        duration=row["duration"],
    )


def _stored_error(kind: str | None, details: str | None) -> ChatError | None:
    """The error a failed reply stored, or None (no error, or a row from before schema 2,
    whose words are in `error_text`)."""
    return None if kind is None else ChatError.from_record(kind, details)
