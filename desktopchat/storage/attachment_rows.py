"""Attachments as rows: their bytes stored once as a blob named by sha256, their facts per
message (or per draft), in order.

Shared by messages and drafts, which keep attachments in two tables of the same shape
(migration 3). A blob no row uses any more is deleted by trigger, so deleting the last
conversation that used a picture frees its bytes.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from desktopchat.domain.types import Attachment, AttachmentKind, AttachmentPayload

ATTACHMENT_COLUMNS = "position, kind, name, mime, size, sha256, text, note"


@dataclass(frozen=True)
class Blob:
    mime: str
    data: bytes


def stored_attachments(
    payloads: Sequence[AttachmentPayload],
) -> tuple[tuple[Attachment, ...], dict[str, Blob]]:
    """What a message will hold for these attachments, and the blobs to store for them.

    Hashes the bytes: call it off the event loop for big files.
    """
    attachments = []
    blobs: dict[str, Blob] = {}
    for payload in payloads:
        sha256 = None
        size = len(payload.text.encode()) if payload.text is not None else 0
        if payload.data is not None:
            sha256 = hashlib.sha256(payload.data).hexdigest()
            blobs[sha256] = Blob(payload.mime, payload.data)
            size = len(payload.data)
        attachments.append(
            Attachment(
                kind=payload.kind,
                name=payload.name,
                mime=payload.mime,
                size=size,
                sha256=sha256,
                text=payload.text,
                note=payload.note,
            )
        )
    return tuple(attachments), blobs


def write_blobs(connection: sqlite3.Connection, blobs: Mapping[str, Blob]) -> None:
    """Store each blob unless its content is stored already."""
    now = time.time()
    connection.executemany(
        "INSERT OR IGNORE INTO blobs (sha256, mime, size, data, created) VALUES (?, ?, ?, ?, ?)",
        [(sha, blob.mime, len(blob.data), blob.data, now) for sha, blob in blobs.items()],
    )


def write_attachments(
    connection: sqlite3.Connection,
    table: str,
    owner_column: str,
    owner_id: int,
    attachments: Iterable[Attachment],
) -> None:
    """Insert the rows of one message's (or draft's) attachments, in order."""
    connection.executemany(
        f"INSERT INTO {table} ({owner_column}, {ATTACHMENT_COLUMNS})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (owner_id, position, a.kind.value, a.name, a.mime, a.size, a.sha256, a.text, a.note)
            for position, a in enumerate(attachments)
        ],
    )


def attachment_of(row: sqlite3.Row) -> Attachment:
    return Attachment(
        kind=AttachmentKind(row["kind"]),
        name=row["name"],
        mime=row["mime"],
        size=row["size"],
        sha256=row["sha256"],
        text=row["text"],
        note=row["note"],
    )


def group_attachments(
    rows: Iterable[sqlite3.Row], owner_column: str
) -> dict[int, tuple[Attachment, ...]]:
    """Rows ordered by owner and position → each owner's attachments."""
    grouped: dict[int, list[Attachment]] = {}
    for row in rows:
        grouped.setdefault(row[owner_column], []).append(attachment_of(row))
    return {owner: tuple(found) for owner, found in grouped.items()}
