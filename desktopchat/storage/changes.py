"""The writes the history queues for its writer thread, and how a read sees them early.

Each change is data (not a closure), for two reasons:

- the writer thread applies them in the order they were made, and a change that cannot be
  written yet (another program holds the lock) waits in memory, still whole;
- a read made while changes wait (the next turn, a conversation opened again) lays them
  over what the file holds (`overlay_*`), so the app sees its own writes at once whether or
  not they have reached the disk.

Laying a change over is idempotent: a change that was written between the moment the
pending list was taken and the read is simply applied twice with the same result, which
is why a reader takes the pending list first and reads second.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktopchat.domain.reply_end import reply_end_json
from desktopchat.domain.tool_calls import steps_json
from desktopchat.domain.types import Conversation, Message, MessageStatus, Usage
from desktopchat.domain.web_search import web_search_json
from desktopchat.storage.attachment_rows import Blob, write_attachments, write_blobs
from desktopchat.storage.conversation_columns import SETTABLE
from desktopchat.storage.drafts import SaveDraft
from desktopchat.storage.imports import AddWholeConversations
from desktopchat.storage.project_rows import ProjectChange
from desktopchat.storage.sync_rows import ApplySynced
from desktopchat.storage.tree import subtree

CONVERSATION_FIELDS = frozenset(SETTABLE)
MESSAGE_FIELDS = frozenset(
    {
        "text",
        "status",
        "usage",
        "error",
        "duration",
        "reasoning",
        "served_model",
        "left_out",
        "tool_steps",
        "web_search",
        "reply_end",
    }
)
USAGE_COLUMNS = (
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cached_tokens",
    "cost",
    "cost_source",
)


class ConversationGone(KeyError):
    """The conversation was deleted (by another instance, or a moment ago in this one)."""

    def __init__(self, conversation_id: int) -> None:
        super().__init__(f"no conversation {conversation_id}")
        self.conversation_id = conversation_id


@dataclass(frozen=True)
class AddConversation:
    conversation: Conversation

    def apply(self, connection: sqlite3.Connection) -> None:
        c = self.conversation
        connection.execute(
            "INSERT INTO conversations (id, title, created, updated, provider, model,"
            " temperature, system_prompt, current_leaf_id, max_tokens, reasoning_effort,"
            " thinking_budget, continues, pinned, project_id, web_search)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c.id, c.title, c.created, c.updated, c.provider, c.model, c.temperature,
             c.system_prompt, c.current_leaf_id, c.max_tokens, c.reasoning_effort,
             c.thinking_budget, c.continues, int(c.pinned), c.project_id, int(c.web_search)),
        )  # fmt: skip

    def describe(self) -> str:
        return f"new conversation {self.conversation.title!r}"


@dataclass(frozen=True)
class UpdateConversation:
    """Settings or title; `updated` stays, so the list is not reordered by a setting."""

    conversation_id: int
    fields: Mapping[str, Any]

    def apply(self, connection: sqlite3.Connection) -> None:
        assignments = ", ".join(f"{name} = ?" for name in self.fields)
        cursor = connection.execute(
            f"UPDATE conversations SET {assignments} WHERE id = ?",
            (*self.fields.values(), self.conversation_id),
        )
        if cursor.rowcount == 0:
            raise ConversationGone(self.conversation_id)

    def describe(self) -> str:
        return f"{', '.join(self.fields)} of conversation {self.conversation_id}"


@dataclass(frozen=True)
class DeleteConversation:
    """With its messages; the triggers take them out of the search index."""

    conversation_id: int

    def apply(self, connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM conversations WHERE id = ?", (self.conversation_id,))

    def describe(self) -> str:
        return f"deleting conversation {self.conversation_id}"


@dataclass(frozen=True)
class AddMessage:
    """Add a message under its parent, with its attachments (bytes stored once per content);
    it becomes the conversation's current leaf, and the conversation moves to the top of
    the list."""

    message: Message
    blobs: Mapping[str, Blob] = field(default_factory=dict, compare=False)

    def apply(self, connection: sqlite3.Connection) -> None:
        m = self.message
        bumped = connection.execute(
            "UPDATE conversations SET updated = ?, current_leaf_id = ? WHERE id = ?",
            (m.created, m.id, m.conversation_id),
        )
        if bumped.rowcount == 0:
            raise ConversationGone(m.conversation_id)
        connection.execute(
            "INSERT INTO messages (id, conversation_id, role, text, created, status, provider,"
            " model, parent_id, project_files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (m.id, m.conversation_id, m.role.value, m.text, m.created, m.status.value,
             m.provider, m.model, m.parent_id, m.project_files),
        )  # fmt: skip
        if m.attachments:
            write_blobs(connection, self.blobs)
            write_attachments(connection, "message_attachments", "message_id", m.id, m.attachments)

    def describe(self) -> str:
        m = self.message
        return f"{m.role.value} message ({len(m.text)} characters) in {m.conversation_id}"


@dataclass(frozen=True)
class UpdateMessage:
    """New values for some of a message's fields (text, status, usage, error, duration).

    A message deleted meanwhile (regenerated, or its conversation deleted) is left alone.
    Only a message of `conversation_id` is touched: an id gone astray can never write into
    another conversation's message.
    """

    conversation_id: int
    message_id: int
    fields: Mapping[str, Any]

    def apply(self, connection: sqlite3.Connection) -> None:
        columns: dict[str, Any] = {}
        for name, value in self.fields.items():
            if name == "usage":
                for column in USAGE_COLUMNS:
                    columns[column] = getattr(value, column) if value else None
                columns["usage_estimated"] = 1 if value and value.estimated else None
            elif name == "reasoning":
                columns["reasoning"] = value.text if value else None
                columns["reasoning_signature"] = value.signature if value else None
                columns["reasoning_seconds"] = value.seconds if value else None
            elif name == "left_out":
                columns["left_out"] = int(bool(value))
            elif name == "tool_steps":
                columns["tool_steps"] = steps_json(value)
            elif name == "web_search":
                columns["web_search"] = web_search_json(value)
            elif name == "reply_end":
                columns["reply_end"] = reply_end_json(value)
            elif name == "status":
                columns["status"] = MessageStatus(value).value
            elif name == "error":  # its kind and details: worded when shown (migration 2)
                kind, details = value.to_record() if value else (None, None)
                columns["error_kind"], columns["error_details"] = kind, details
            else:
                columns[name] = value
        assignments = ", ".join(f"{column} = ?" for column in columns)
        connection.execute(
            f"UPDATE messages SET {assignments} WHERE id = ? AND conversation_id = ?",
            (*columns.values(), self.message_id, self.conversation_id),
        )

    def describe(self) -> str:
        text = self.fields.get("text")
        size = f" ({len(text)} characters)" if text is not None else ""
        return f"update of message {self.message_id}{size}"


@dataclass(frozen=True)
class DeleteFrom:
    """A message and everything below it (every branch that follows it); the conversation
    then shows `new_leaf_id` (worked out by the caller from the tree it showed)."""

    conversation_id: int
    message_id: int
    new_leaf_id: int | None

    def apply(self, connection: sqlite3.Connection) -> None:
        connection.execute(
            """
            WITH RECURSIVE below (id) AS (
                SELECT id FROM messages WHERE id = ? AND conversation_id = ?
                UNION SELECT messages.id FROM messages JOIN below ON messages.parent_id = below.id
                WHERE messages.conversation_id = ?
            )
            DELETE FROM messages WHERE id IN below AND conversation_id = ?
            """,
            (self.message_id, self.conversation_id, self.conversation_id, self.conversation_id),
        )
        connection.execute(
            "UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
            (self.new_leaf_id, self.conversation_id),
        )

    def describe(self) -> str:
        return f"deleting message {self.message_id} and what follows it"


@dataclass(frozen=True)
class SetLeftOut:
    """Mark messages of a conversation as kept but not sent to the model (or sent again)."""

    conversation_id: int
    message_ids: tuple[int, ...]
    left_out: bool

    def apply(self, connection: sqlite3.Connection) -> None:
        connection.executemany(
            "UPDATE messages SET left_out = ? WHERE id = ? AND conversation_id = ?",
            [
                (int(self.left_out), message_id, self.conversation_id)
                for message_id in self.message_ids
            ],
        )

    def describe(self) -> str:
        return f"marking {len(self.message_ids)} messages as {'not ' if self.left_out else ''}sent"


@dataclass(frozen=True)
class RecoverInterrupted:
    """At start: replies a crash left STREAMING become INTERRUPTED (and searchable)."""

    counted: list[int] = field(default_factory=list, compare=False)

    def apply(self, connection: sqlite3.Connection) -> None:
        cursor = connection.execute(
            "UPDATE messages SET status = ? WHERE status = ?",
            (MessageStatus.INTERRUPTED.value, MessageStatus.STREAMING.value),
        )
        self.counted.append(cursor.rowcount)

    def describe(self) -> str:
        return "marking replies left streaming as interrupted"


@dataclass(frozen=True)
class KeepIdField:
    """Renew (or take back) this instance's claim on its id field (storage/ids.py)."""

    instance_field: int

    def apply(self, connection: sqlite3.Connection) -> None:
        connection.execute(
            "INSERT INTO id_fields (field, seen) VALUES (?, ?)"
            " ON CONFLICT (field) DO UPDATE SET seen = excluded.seen",
            (self.instance_field, time.time()),
        )

    def describe(self) -> str:
        return f"the claim of id field {self.instance_field}"


@dataclass(frozen=True)
class ReleaseIdField:
    """At close: the instance makes no more ids, another may take its field."""

    instance_field: int

    def apply(self, connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM id_fields WHERE field = ?", (self.instance_field,))

    def describe(self) -> str:
        return f"the release of id field {self.instance_field}"


BOOKKEEPING = (KeepIdField, ReleaseIdField)
"""Changes the person never needs to hear were not written (a claim expires by itself)."""

Change = (
    AddConversation
    | UpdateConversation
    | DeleteConversation
    | AddMessage
    | UpdateMessage
    | DeleteFrom
    | SetLeftOut
    | RecoverInterrupted
    | SaveDraft
    | KeepIdField
    | ReleaseIdField
    | AddWholeConversations
    | ApplySynced
    | ProjectChange
)
"""Every write the writer takes. Reads lay the pending ones they know over what is stored
(the overlays below); whole imported conversations and what sync brings are not laid
over: they show once written."""


def overlay_conversations(
    conversations: Iterable[Conversation], pending: Sequence[Change]
) -> list[Conversation]:
    """Conversations as they will be once `pending` is written, newest first."""
    by_id = {c.id: c for c in conversations}
    for change in pending:
        match change:
            case AddConversation(conversation):
                by_id.setdefault(conversation.id, conversation)
            case UpdateConversation(conversation_id, fields) if conversation_id in by_id:
                by_id[conversation_id] = dataclasses.replace(by_id[conversation_id], **fields)
            case DeleteConversation(conversation_id):
                by_id.pop(conversation_id, None)
            case AddMessage(message) if message.conversation_id in by_id:
                by_id[message.conversation_id] = dataclasses.replace(
                    by_id[message.conversation_id],
                    updated=message.created,
                    current_leaf_id=message.id,
                )
            case DeleteFrom(conversation_id, _, new_leaf_id) if conversation_id in by_id:
                by_id[conversation_id] = dataclasses.replace(
                    by_id[conversation_id], current_leaf_id=new_leaf_id
                )
    return sorted(by_id.values(), key=place_in_list, reverse=True)


def place_in_list(conversation: Conversation) -> tuple[int, float, int]:
    """Where a conversation sits in the list, larger first: pinned ones on top, then the
    most recently updated, ties by the newer id (the index conversations_by_place)."""
    return (int(conversation.pinned), conversation.updated, conversation.id)


def overlay_messages(
    messages: Iterable[Message], pending: Sequence[Change], conversation_id: int | None = None
) -> list[Message]:
    """Messages (of one conversation, or the ones read by id) as they will be once
    `pending` is written, in id order. New messages join only when `conversation_id` says
    which conversation is being read."""
    by_id = {m.id: m for m in messages}
    for change in pending:
        match change:
            case AddMessage(message) if message.conversation_id == conversation_id:
                by_id.setdefault(message.id, message)
            case UpdateMessage(owner, message_id, fields) if _of(by_id, message_id, owner):
                by_id[message_id] = dataclasses.replace(by_id[message_id], **fields)
            case DeleteFrom(owner, first_id, _) if _of(by_id, first_id, owner):
                for gone in subtree(first_id, by_id.values()):
                    del by_id[gone]
            case SetLeftOut(owner, message_ids, left_out):
                for message_id in message_ids:
                    if _of(by_id, message_id, owner):
                        by_id[message_id] = dataclasses.replace(
                            by_id[message_id], left_out=left_out
                        )
            case DeleteConversation(gone):
                for message in list(by_id.values()):
                    if message.conversation_id == gone:
                        del by_id[message.id]
            case RecoverInterrupted():
                for message in list(by_id.values()):
                    if message.status is MessageStatus.STREAMING:
                        by_id[message.id] = dataclasses.replace(
                            message, status=MessageStatus.INTERRUPTED
                        )
    return sorted(by_id.values(), key=lambda m: m.id)


def _of(by_id: Mapping[int, Message], message_id: int, conversation_id: int) -> bool:
    """Whether the message is there and belongs to that conversation (as the SQL checks)."""
    message = by_id.get(message_id)
    return message is not None and message.conversation_id == conversation_id


def usage_of(row: sqlite3.Row) -> Usage | None:
    """A message row's usage, or None when nothing about it is known."""
    values = {column: row[column] for column in USAGE_COLUMNS}
    if all(value is None for value in values.values()):
        return None
    return Usage(**values, estimated=bool(row["usage_estimated"]))
