"""ConversationStore: the conversations and messages a person keeps, and search over them.

Every write is one short `BEGIN IMMEDIATE` transaction, so a crash or a second instance
never sees half of it and a streamed reply is on disk within one update of being received.
Failures the person must hear about arrive as StorageError (see storage/db.py).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from desktopchat.domain.types import Conversation, Message, MessageStatus, Role, Usage
from desktopchat.storage.db import Database
from desktopchat.storage.search import SNIPPET_END, SNIPPET_START, SearchHit, search_history

__all__ = ["SNIPPET_END", "SNIPPET_START", "ConversationStore", "SearchHit"]

_CONVERSATION_FIELDS = frozenset({"title", "provider", "model", "temperature", "system_prompt"})

_CONVERSATION_COLUMNS = "id, title, created, updated, provider, model, temperature, system_prompt"
_MESSAGE_COLUMNS = (
    "id, conversation_id, role, text, created, status, provider, model,"
    " input_tokens, output_tokens, error, duration"
)


class ConversationStore:
    """Conversations and their messages, stored in a Database it owns from now on."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # Conversations

    def create_conversation(
        self,
        *,
        title: str = "",
        provider: str | None = None,
        model: str | None = None,
        temperature: float | None = None,
        system_prompt: str = "",
    ) -> Conversation:
        now = time.time()
        with self._db.transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO conversations"
                " (title, created, updated, provider, model, temperature, system_prompt)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, now, now, provider, model, temperature, system_prompt),
            )
        return Conversation(
            id=cursor.lastrowid,
            title=title,
            created=now,
            updated=now,
            provider=provider,
            model=model,
            temperature=temperature,
            system_prompt=system_prompt,
        )

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        rows = self._db.query(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        return _conversation(rows[0]) if rows else None

    def list_conversations(self, limit: int | None = None) -> list[Conversation]:
        """Most recently updated first (ties: the newer conversation first)."""
        rows = self._db.query(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations"
            " ORDER BY updated DESC, id DESC LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [_conversation(row) for row in rows]

    def update_conversation(self, conversation_id: int, **fields: Any) -> Conversation:
        """Change any of title, provider, model, temperature, system_prompt.

        Leaves `updated` alone: changing a setting must not move the conversation to the
        top of the list. Raises KeyError if the conversation does not exist (any more).
        """
        unknown = fields.keys() - _CONVERSATION_FIELDS
        if unknown:
            raise TypeError(f"not a conversation field: {', '.join(sorted(unknown))}")
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            with self._db.transaction() as connection:
                connection.execute(
                    f"UPDATE conversations SET {assignments} WHERE id = ?",
                    (*fields.values(), conversation_id),
                )
        conversation = self.get_conversation(conversation_id)
        if conversation is None:
            raise KeyError(f"no conversation {conversation_id}")
        return conversation

    def rename_conversation(self, conversation_id: int, title: str) -> Conversation:
        return self.update_conversation(conversation_id, title=title)

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete it with its messages; the triggers take them out of the search index."""
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

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
    ) -> Message:
        """Append a message and move its conversation to the top of the list.

        Raises KeyError if the conversation does not exist (another instance may have
        deleted it).
        """
        now = time.time()
        with self._db.transaction() as connection:
            bumped = connection.execute(
                "UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation_id)
            )
            if bumped.rowcount == 0:
                raise KeyError(f"no conversation {conversation_id}")
            cursor = connection.execute(
                "INSERT INTO messages"
                " (conversation_id, role, text, created, status, provider, model)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, role.value, text, now, status.value, provider, model),
            )
        return Message(
            id=cursor.lastrowid,
            conversation_id=conversation_id,
            role=role,
            text=text,
            created=now,
            status=status,
            provider=provider,
            model=model,
        )

    def get_message(self, message_id: int) -> Message | None:
        rows = self._db.query(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
        )
        return _message(rows[0]) if rows else None

    def messages(self, conversation_id: int) -> list[Message]:
        """The whole conversation in order, in one indexed query."""
        rows = self._db.query(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        return [_message(row) for row in rows]

    def last_messages(self, conversation_id: int, limit: int) -> list[Message]:
        """The newest `limit` messages, oldest of them first: a long conversation opens at
        its end without reading the rest."""
        rows = self._db.query(
            f"SELECT {_MESSAGE_COLUMNS} FROM ("
            f" SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?"
            " ORDER BY id DESC LIMIT ?"
            ") ORDER BY id",
            (conversation_id, limit),
        )
        return [_message(row) for row in rows]

    def message_count(self, conversation_id: int) -> int:
        rows = self._db.query(
            "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
        )
        return rows[0][0]

    def update_reply(
        self,
        message_id: int,
        *,
        text: str,
        status: MessageStatus | None = None,
        usage: Usage | None = None,
        error: str | None = None,
        duration: float | None = None,
    ) -> None:
        """Save a reply's full text so far, and whatever else is known (None: unchanged).

        Called every ≤250 ms while a reply streams, so it is one UPDATE; the search index
        is not touched until the status leaves STREAMING (see migrations.py). A message
        deleted meanwhile (the person deleted or regenerated it) is silently left alone.
        """
        values: dict[str, object] = {"text": text}
        if status is not None:
            values["status"] = status.value
        if usage is not None:
            values["input_tokens"] = usage.input_tokens
            values["output_tokens"] = usage.output_tokens
        if error is not None:
            values["error"] = error
        if duration is not None:
            values["duration"] = duration
        self._update_message(message_id, values)

    def update_message_text(self, message_id: int, text: str) -> None:
        """Replace a message's text (a person editing what they wrote)."""
        self._update_message(message_id, {"text": text})

    def delete_messages_from(self, conversation_id: int, message_id: int) -> int:
        """Delete this message and every later one in the conversation; return how many."""
        with self._db.transaction() as connection:
            cursor = connection.execute(
                "DELETE FROM messages WHERE conversation_id = ? AND id >= ?",
                (conversation_id, message_id),
            )
        return cursor.rowcount

    def recover_interrupted(self) -> int:
        """At start: mark replies left STREAMING by a crash as INTERRUPTED; return how many.

        This also indexes them for search. A reply another instance is streaming at this
        very moment is marked too, until that instance saves its final status.
        """
        with self._db.transaction() as connection:
            cursor = connection.execute(
                "UPDATE messages SET status = ? WHERE status = ?",
                (MessageStatus.INTERRUPTED.value, MessageStatus.STREAMING.value),
            )
        return cursor.rowcount

    def _update_message(self, message_id: int, values: dict[str, object]) -> None:
        assignments = ", ".join(f"{column} = ?" for column in values)
        with self._db.transaction() as connection:
            connection.execute(
                f"UPDATE messages SET {assignments} WHERE id = ?", (*values.values(), message_id)
            )

    # Search

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Titles, then messages, that contain every word typed; see storage/search.py."""
        return search_history(self._db, query, limit)

    def close(self) -> None:
        self._db.close()


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
    input_tokens, output_tokens = row["input_tokens"], row["output_tokens"]
    has_usage = input_tokens is not None or output_tokens is not None
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=Role(row["role"]),
        text=row["text"],
        created=row["created"],
        status=MessageStatus(row["status"]),
        provider=row["provider"],
        model=row["model"],
        usage=Usage(input_tokens, output_tokens) if has_usage else None,
        error=row["error"],
        duration=row["duration"],
    )
