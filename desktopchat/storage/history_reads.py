"""What the history holds, read for ConversationStore: the reads laid over the write queue.

Kept apart from the store's writes (storage/history.py) because reads follow their own rule:
each runs on a read connection of its own, blocking the calling thread (callers run them in
a worker thread, services/history.py), and lays the changes still queued for the writer over
what the file holds, so the app reads its own writes whether or not another program holds
the write lock. Search reads only what is written.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Sequence
from typing import TypeVar

from desktopchat.domain.types import Conversation, ConversationPage, Message, Role, Thread
from desktopchat.storage.attachment_rows import ATTACHMENT_COLUMNS, Blob, group_attachments
from desktopchat.storage.changes import (
    AddMessage,
    overlay_conversations,
    overlay_messages,
    place_in_list,
)
from desktopchat.storage.db import Database, open_reader
from desktopchat.storage.drafts import Draft, overlay_drafts, read_drafts
from desktopchat.storage.rows import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    conversation_of,
    message_of,
)
from desktopchat.storage.search import (
    ConversationHit,
    SearchHit,
    search_conversations,
    search_history,
)
from desktopchat.storage.tree import thread_of
from desktopchat.storage.writer import HistoryWriter

T = TypeVar("T")


class HistoryReads:
    """The read half of ConversationStore, which sets these attributes up."""

    _writer: HistoryWriter
    _reader: Database
    _reader_of: Database

    # Conversations

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        found = overlay_conversations(map(conversation_of, rows), pending)
        return next((c for c in found if c.id == conversation_id), None)

    def list_conversations(self, limit: int | None = None) -> list[Conversation]:
        """Pinned first, then the most recently updated (ties: the newer conversation)."""
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations"
            " ORDER BY pinned DESC, updated DESC, id DESC LIMIT ?",
            (-1 if limit is None else limit + len(pending),),
        )
        found = overlay_conversations(map(conversation_of, rows), pending)
        return found if limit is None else found[:limit]

    def conversation_page(
        self, after: tuple[int, float, int] | None, limit: int, project_id: int | None = None
    ) -> ConversationPage:
        """Up to `limit` conversations in the list's order that come after `after` (the
        `place_in_list` of the last one already shown; None: from the top), read through
        the index in one step whatever the history's size (300,000 conversations).
        `project_id`: that project's conversations only (through its own index).

        Changes not written yet are laid over the page: a conversation they move stays on
        the page it now belongs to, so paging on shows each conversation once."""
        pending = self._writer.pending()
        conditions: list[str] = []
        parameters: tuple[object, ...] = ()
        if project_id is not None:
            conditions.append("project_id = ?")
            parameters = (project_id,)
        if after is not None:
            conditions.append("(pinned, updated, id) < (?, ?, ?)")
            parameters = (*parameters, *after)
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations{where}"
            " ORDER BY pinned DESC, updated DESC, id DESC LIMIT ?",
            (*parameters, limit + 1),
        )
        more = len(rows) > limit
        read = [conversation_of(row) for row in rows[:limit]]
        found = overlay_conversations(read, pending)
        last = place_in_list(read[-1]) if more and read else None
        kept = [
            c
            for c in found
            if (project_id is None or c.project_id == project_id)
            and (after is None or place_in_list(c) < after)
            and (last is None or place_in_list(c) >= last)
        ]
        return ConversationPage(tuple(kept), more, last)

    # Messages

    def get_message(self, message_id: int) -> Message | None:
        pending = self._writer.pending()
        rows = self._query(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        found = self._with_attachments([message_of(row) for row in rows])
        found += [
            c.message for c in pending if isinstance(c, AddMessage) and c.message.id == message_id
        ]
        return next((m for m in overlay_messages(found[:1], pending) if m.id == message_id), None)

    def messages(self, conversation_id: int) -> list[Message]:
        """Every message of the conversation, all branches, in the order they were made."""
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        found = self._with_attachments([message_of(row) for row in rows], conversation_id)
        return overlay_messages(found, pending, conversation_id)

    def thread(self, conversation_id: int) -> Thread:
        """The branch the conversation shows: the path from its first message to its
        current leaf, and the siblings of each message on it (storage/tree.py)."""
        conversation = self.get_conversation(conversation_id)
        leaf = conversation.current_leaf_id if conversation else None
        return thread_of(conversation_id, self.messages(conversation_id), leaf)

    def skeleton(self, conversation_id: int) -> list[Message]:
        """Every message of the conversation with only its id, role and parent (no text):
        enough to find a branch in a long conversation without reading a megabyte."""
        pending = self._writer.pending()
        rows = self._query(
            "SELECT id, parent_id, role FROM messages WHERE conversation_id = ?",
            (conversation_id,),
        )
        found = [
            Message(message_id, conversation_id, Role(role), "", 0.0, parent_id=parent)
            for message_id, parent, role in rows
        ]
        return overlay_messages(found, pending, conversation_id)

    def messages_by_id(self, conversation_id: int, ids: Sequence[int]) -> list[Message]:
        """These messages of a conversation, whole, in the order of `ids`."""
        pending = self._writer.pending()
        found: list[Message] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self._query(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id IN ({marks})", tuple(chunk)
            )
            found += self._with_attachments([message_of(row) for row in rows])
        by_id = {m.id: m for m in overlay_messages(found, pending, conversation_id)}
        return [by_id[i] for i in ids if i in by_id]

    def blob(self, sha256: str) -> bytes | None:
        """An attachment's bytes, or None when no message or draft keeps them."""
        for change in self._writer.pending():
            blob: Blob | None = getattr(change, "blobs", {}).get(sha256)
            if blob is not None:
                return blob.data
        rows = self._query("SELECT data FROM blobs WHERE sha256 = ?", (sha256,))
        return bytes(rows[0][0]) if rows else None

    # Drafts

    def drafts(self) -> dict[int, Draft]:
        """Every unsent draft: conversation id → (text, attachments)."""
        return {key: draft for key, (draft, _) in self.drafts_versions().items()}

    def drafts_versions(self) -> dict[int, tuple[Draft, float]]:
        """Every unsent draft with its version: conversation id → (draft, updated)."""
        pending = self._writer.pending()
        return overlay_drafts(self._reading().read(read_drafts), pending)

    # Search

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Titles, then messages, that contain every word typed; see storage/search.py.

        What is written is searched: a change still waiting for the lock is not found yet.
        """
        return search_history(self._reading(), query, limit)

    def search_conversations(
        self, query: str, limit: int = 50, project_id: int | None = None
    ) -> list[ConversationHit]:
        """One result per conversation, with its count of hits (a project's only when
        `project_id` is given); see storage/search.py."""
        return search_conversations(self._reading(), query, limit, project_id)

    def read_rows(self, reading: Callable[[sqlite3.Connection], T]) -> T:
        """Run `reading` on the read connection: what is written, not what is queued."""
        return self._reading().read(reading)

    # The read connection

    def _reading(self) -> Database:
        """The read connection, moved to the new file if the writer had to write the history
        out again (storage/moved.py)."""
        written = self._writer.database
        if written is not self._reader_of:
            old, self._reader = self._reader, open_reader(written)
            self._reader_of = written
            old.close()
        return self._reader

    def _query(self, sql: str, parameters: tuple[object, ...]) -> list[sqlite3.Row]:
        return self._reading().query(sql, parameters)

    def _with_attachments(
        self, messages: list[Message], conversation_id: int | None = None
    ) -> list[Message]:
        """The messages with their attachments read (one query for the conversation)."""
        if not messages:
            return messages
        if conversation_id is None:
            marks = ", ".join("?" for _ in messages)
            where, parameters = f"message_id IN ({marks})", tuple(m.id for m in messages)
        else:
            where = "message_id IN (SELECT id FROM messages WHERE conversation_id = ?)"
            parameters = (conversation_id,)
        rows = self._query(
            f"SELECT message_id, {ATTACHMENT_COLUMNS} FROM message_attachments"
            f" WHERE {where} ORDER BY message_id, position",
            parameters,
        )
        found = group_attachments(rows, "message_id")
        if not found:
            return messages
        return [
            dataclasses.replace(m, attachments=found[m.id]) if m.id in found else m
            for m in messages
        ]
