"""Drafts: what the person typed (and attached) but has not sent, per conversation.

Kept in the history rather than the preferences so that a draft survives a crash or a
`kill -9` with its attachments, whose bytes are blobs like a sent message's. Conversation id
0 holds the draft of a chat not started yet.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from desktopchat.domain.types import Attachment
from desktopchat.storage.attachment_rows import (
    ATTACHMENT_COLUMNS,
    Blob,
    group_attachments,
    write_attachments,
    write_blobs,
)

NEW_CHAT = 0
"""The draft of a chat that has no conversation yet."""

Draft = tuple[str, tuple[Attachment, ...]]


@dataclass(frozen=True)
class SaveDraft:
    """Replace one conversation's draft; an empty one (no text, nothing attached) is
    deleted. Attachments are rewritten only when they changed, so saving the text every
    half second while the person types never rewrites a picture."""

    conversation_id: int
    text: str
    attachments: tuple[Attachment, ...] = ()
    blobs: Mapping[str, Blob] = field(default_factory=dict, compare=False)

    def apply(self, connection: sqlite3.Connection) -> None:
        if not self.text and not self.attachments:
            connection.execute(
                "DELETE FROM drafts WHERE conversation_id = ?", (self.conversation_id,)
            )
            return
        connection.execute(
            "INSERT INTO drafts (conversation_id, text, updated) VALUES (?, ?, ?)"
            " ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text,"
            " updated = excluded.updated",
            (self.conversation_id, self.text, time.time()),
        )
        stored = _read_attachments(connection, self.conversation_id)
        if stored.get(self.conversation_id, ()) == self.attachments:
            return
        connection.execute(
            "DELETE FROM draft_attachments WHERE conversation_id = ?", (self.conversation_id,)
        )
        write_blobs(connection, self.blobs)
        write_attachments(
            connection, "draft_attachments", "conversation_id", self.conversation_id,
            self.attachments,
        )  # fmt: skip

    def describe(self) -> str:
        return f"the draft of conversation {self.conversation_id}"


def read_drafts(connection: sqlite3.Connection) -> dict[int, Draft]:
    """Every stored draft: conversation id → (text, attachments)."""
    texts = connection.execute("SELECT conversation_id, text FROM drafts").fetchall()
    attachments = _read_attachments(connection, None)
    return {row[0]: (row[1], attachments.get(row[0], ())) for row in texts}


def overlay_drafts(drafts: dict[int, Draft], pending: Sequence[object]) -> dict[int, Draft]:
    """Drafts as they will be once the queued saves are written."""
    for change in pending:
        if isinstance(change, SaveDraft):
            if change.text or change.attachments:
                drafts[change.conversation_id] = (change.text, change.attachments)
            else:
                drafts.pop(change.conversation_id, None)
    return drafts


def _read_attachments(
    connection: sqlite3.Connection, conversation_id: int | None
) -> dict[int, tuple[Attachment, ...]]:
    where = "" if conversation_id is None else " WHERE conversation_id = ?"
    rows = connection.execute(
        f"SELECT conversation_id, {ATTACHMENT_COLUMNS} FROM draft_attachments{where}"
        " ORDER BY conversation_id, position",
        () if conversation_id is None else (conversation_id,),
    ).fetchall()
    return group_attachments(rows, "conversation_id")
