"""Drafts: what the person typed (and attached) but has not sent, per conversation.

Kept in the history rather than the preferences so that a draft survives a crash or a
`kill -9` with its attachments, whose bytes are blobs like a sent message's. Conversation id
0 holds the draft of a chat not started yet.

Two instances may edit one conversation's draft (R8). Each save says which stored version
it was based on (`based_on`: the `updated` this instance last read or wrote); when the
stored row has changed since, the save keeps the other text too (domain/draft_merge.py)
and says so in its `conflict`, so the window can take the merged text in and tell the
person. No column is needed: `updated` already names the version.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from desktopchat.domain.draft_merge import merged_items, merged_text
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
UNCHECKED = -1.0
"""`based_on` for a save that replaces whatever is stored (tests, scripts)."""


@dataclass(frozen=True)
class DraftConflict:
    """Another instance had changed the draft: what it held, and what is stored now."""

    other_text: str
    added_attachments: tuple[Attachment, ...]
    """The other's attachments this save did not hold, kept after its own."""
    text: str
    """The text written: this save's with the other's below a marker."""


@dataclass(frozen=True)
class SaveDraft:
    """Replace one conversation's draft; an empty one (no text, nothing attached) is
    deleted. Attachments are rewritten only when they changed, so saving the text every
    half second while the person types never rewrites a picture.

    `based_on` is the `updated` of the stored version this text was typed over (None: no
    draft was stored); `stamp` is the `updated` this save writes, chosen when it is made so
    the next save can be based on it before this one is written. When the stored version
    is another one, the other text is kept (merged) and written under a stamp of its own,
    so that saves already queued on the old base merge again rather than overwrite it."""

    conversation_id: int
    text: str
    attachments: tuple[Attachment, ...] = ()
    blobs: Mapping[str, Blob] = field(default_factory=dict, compare=False)
    based_on: float | None = UNCHECKED
    stamp: float = field(default_factory=time.time)
    """`updated` as written (unless merged): chosen when the save is made."""
    conflict: list[DraftConflict] = field(default_factory=list, compare=False)
    """Filled when written: the conflict found, if any."""

    def apply(self, connection: sqlite3.Connection) -> None:
        self.conflict.clear()  # a batch retried after SQLITE_BUSY applies again
        key = self.conversation_id
        text, attachments, stamp = self.text, self.attachments, self.stamp
        blobs = dict(self.blobs)
        row = connection.execute(
            "SELECT text, updated FROM drafts WHERE conversation_id = ?", (key,)
        ).fetchone()
        stored = _read_attachments(connection, key).get(key, ()) if row else ()
        if self.based_on != UNCHECKED and row is not None and row[1] != self.based_on:
            text = merged_text(self.text, row[0])
            attachments = merged_items(self.attachments, stored)
            if (text, attachments) != (self.text, self.attachments):
                stamp = max(time.time(), self.stamp + 1e-3)
                blobs.update(_blobs_of(connection, stored))
                added = attachments[len(self.attachments) :]
                self.conflict.append(DraftConflict(row[0], added, text))
        if not text and not attachments:
            connection.execute("DELETE FROM drafts WHERE conversation_id = ?", (key,))
            return
        connection.execute(
            "INSERT INTO drafts (conversation_id, text, updated) VALUES (?, ?, ?)"
            " ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text,"
            " updated = excluded.updated",
            (key, text, stamp),
        )
        if stored == attachments:
            return
        connection.execute("DELETE FROM draft_attachments WHERE conversation_id = ?", (key,))
        write_blobs(connection, blobs)  # after the delete, whose trigger frees unused blobs
        write_attachments(connection, "draft_attachments", "conversation_id", key, attachments)

    def describe(self) -> str:
        return f"the draft of conversation {self.conversation_id}"


def read_drafts(connection: sqlite3.Connection) -> dict[int, tuple[Draft, float]]:
    """Every stored draft: conversation id → ((text, attachments), updated), read in one
    transaction so the version matches the text."""
    connection.execute("BEGIN")  # one read transaction (one snapshot) for both queries
    try:
        texts = connection.execute("SELECT conversation_id, text, updated FROM drafts").fetchall()
        attachments = _read_attachments(connection, None)
    finally:
        connection.execute("COMMIT")
    return {row[0]: ((row[1], attachments.get(row[0], ())), row[2]) for row in texts}


def overlay_drafts(
    drafts: dict[int, tuple[Draft, float]], pending: Sequence[object]
) -> dict[int, tuple[Draft, float]]:
    """Drafts as they will be once the queued saves are written."""
    for change in pending:
        if isinstance(change, SaveDraft):
            if change.text or change.attachments:
                drafts[change.conversation_id] = ((change.text, change.attachments), change.stamp)
            else:
                drafts.pop(change.conversation_id, None)
    return drafts


def _blobs_of(connection: sqlite3.Connection, attachments: Sequence[Attachment]) -> dict[str, Blob]:
    """The stored bytes of these attachments, to write again after their rows are rewritten
    (deleting the last row that uses a blob frees it)."""
    blobs = {}
    for attachment in attachments:
        if attachment.sha256:
            row = connection.execute(
                "SELECT mime, data FROM blobs WHERE sha256 = ?", (attachment.sha256,)
            ).fetchone()
            if row is not None:
                blobs[attachment.sha256] = Blob(row[0], row[1])
    return blobs


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
