"""Writing whole conversations that came from elsewhere (an import, a backup merged back):
each one whole or not at all, never one whose origin or id the history already holds.

An import of a thousand conversations is a few changes of many conversations each, queued
for the writer thread like any other write (storage/changes.py): the writer's lock waits and
retries apply to it, and each conversation sits in a savepoint of its own, so one that
cannot be written (a bug, an id taken meanwhile) is reported and the others still land.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from desktopchat.domain.reply_end import reply_end_json
from desktopchat.domain.tool_calls import steps_json
from desktopchat.domain.types import Conversation, Message
from desktopchat.domain.web_search import web_search_json
from desktopchat.storage.attachment_rows import Blob, write_attachments, write_blobs

_MESSAGE_INSERT = (
    "INSERT INTO messages (id, conversation_id, parent_id, role, text, created, status,"
    " provider, model, served_model, input_tokens, output_tokens, reasoning_tokens,"
    " cached_tokens, cost, cost_source, error, error_kind, error_details, duration,"
    " reasoning, reasoning_signature, reasoning_seconds, left_out, usage_estimated,"
    " tool_steps, web_search, reply_end, project_files) VALUES (" + ", ".join("?" * 29) + ")"
)
_CONVERSATION_INSERT = (
    "INSERT INTO conversations (id, title, created, updated, provider, model, temperature,"
    " system_prompt, current_leaf_id, max_tokens, reasoning_effort, thinking_budget,"
    " continues, pinned, web_search, origin, project_id) VALUES (" + ", ".join("?" * 16) + ","
    # A backup's conversation goes back in its project if that project is still here.
    " (SELECT id FROM projects WHERE id = ?))"
)


@dataclass(frozen=True)
class WholeConversation:
    """A conversation with its real ids, ready to write."""

    conversation: Conversation
    messages: Sequence[Message]
    origin: str | None
    blobs: Mapping[str, bytes]


def with_ids(
    conversation: Conversation,
    messages: Sequence[Message],
    origin: str | None,
    blobs: Mapping[str, bytes],
    next_id: Callable[[], int],
) -> WholeConversation:
    """A tree read from a file (local ids, parents first) given ids from `next_id`."""
    real = {message.id: next_id() for message in messages}
    conversation_id = next_id()
    renumbered = [
        replace(
            message,
            id=real[message.id],
            conversation_id=conversation_id,
            parent_id=real.get(message.parent_id) if message.parent_id is not None else None,
        )
        for message in messages
    ]
    leaf = real.get(conversation.current_leaf_id) if conversation.current_leaf_id else None
    header = replace(conversation, id=conversation_id, current_leaf_id=leaf, continues=None)
    return WholeConversation(header, renumbered, origin, blobs)


_REFUSED = (
    sqlite3.IntegrityError,
    sqlite3.InterfaceError,
    sqlite3.DataError,
    sqlite3.ProgrammingError,
    ValueError,  # UnicodeEncodeError: text SQLite cannot hold (a lone surrogate)
    OverflowError,  # an integer past 2**63
    TypeError,
)
"""What one conversation's values can make SQLite refuse: that conversation is left out
and named, its neighbours in the same change are still written. (A full disk or an I/O
error is not among them: it fails the change, to be retried whole.)"""


def _plain(title: str) -> str:
    """The title as the report can print it, whatever made it fail."""
    return title.encode("utf-8", "replace").decode("utf-8")


@dataclass(frozen=True)
class AddWholeConversations:
    """Write conversations whole, each in its own savepoint; skip those already there."""

    conversations: tuple[WholeConversation, ...]
    added: list[int] = field(default_factory=list, compare=False)
    """Ids written, filled when applied (the writer's future says when)."""
    failed: list[tuple[str, str]] = field(default_factory=list, compare=False)
    """(title, reason) of conversations that could not be written."""

    def apply(self, connection: sqlite3.Connection) -> None:
        self.added.clear()
        self.failed.clear()
        for whole in self.conversations:
            if _already_there(connection, whole):
                continue
            connection.execute("SAVEPOINT whole_conversation")
            try:
                _write(connection, whole)
            except _REFUSED as error:
                connection.execute("ROLLBACK TO whole_conversation")
                self.failed.append((_plain(whole.conversation.title), str(error)))
            else:
                self.added.append(whole.conversation.id)
            connection.execute("RELEASE whole_conversation")

    def describe(self) -> str:
        return f"{len(self.conversations)} imported conversation(s)"


def _already_there(connection: sqlite3.Connection, whole: WholeConversation) -> bool:
    row = connection.execute(
        "SELECT 1 FROM conversations WHERE id = ? OR (origin IS NOT NULL AND origin = ?)",
        (whole.conversation.id, whole.origin),
    ).fetchone()
    return row is not None


def _write(connection: sqlite3.Connection, whole: WholeConversation) -> None:
    c = whole.conversation
    connection.execute(
        _CONVERSATION_INSERT,
        (
            c.id,
            c.title,
            c.created,
            c.updated,
            c.provider,
            c.model,
            c.temperature,
            c.system_prompt,
            c.current_leaf_id,
            c.max_tokens,
            c.reasoning_effort,
            c.thinking_budget,
            c.continues,
            int(c.pinned),
            int(c.web_search),
            whole.origin,
            c.project_id,
        ),
    )
    mimes = {a.sha256: a.mime for m in whole.messages for a in m.attachments if a.sha256}
    write_blobs(
        connection,
        {
            sha: Blob(mimes.get(sha, "application/octet-stream"), data)
            for sha, data in whole.blobs.items()
            if sha in mimes
        },
    )
    connection.executemany(_MESSAGE_INSERT, [_message_row(m) for m in whole.messages])
    for message in whole.messages:
        if message.attachments:
            attachments = [
                a if a.sha256 is None or a.sha256 in whole.blobs else replace(a, sha256=None)
                for a in message.attachments
            ]
            write_attachments(
                connection, "message_attachments", "message_id", message.id, attachments
            )


def _message_row(m: Message) -> tuple[object, ...]:
    usage, reasoning = m.usage, m.reasoning
    error_kind, error_details = m.error.to_record() if m.error else (None, None)
    return (
        m.id,
        m.conversation_id,
        m.parent_id,
        m.role.value,
        m.text,
        m.created,
        m.status.value,
        m.provider,
        m.model,
        m.served_model,
        usage.input_tokens if usage else None,
        usage.output_tokens if usage else None,
        usage.reasoning_tokens if usage else None,
        usage.cached_tokens if usage else None,
        usage.cost if usage else None,
        usage.cost_source if usage else None,
        m.error_text,
        error_kind,
        error_details,
        m.duration,
        reasoning.text if reasoning else None,
        reasoning.signature if reasoning else None,
        reasoning.seconds if reasoning else None,
        int(m.left_out),
        1 if usage and usage.estimated else None,
        steps_json(m.tool_steps),
        web_search_json(m.web_search),
        reply_end_json(m.reply_end),
        m.project_files,
    )
