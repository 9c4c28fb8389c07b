"""Writing a journalled payload into the history (storage/sync_rows.py ApplySynced),
with the attachments' bytes it needs fetched first, opened and checked against their hash.

Idempotent: a payload written twice (a sync killed after writing, before forgetting the
journal entry) gives the same history.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from desktopchat.services.sync.files import BLOB_LIMIT, BLOBS
from desktopchat.services.sync.report import SyncReport
from desktopchat.storage.attachment_rows import Blob
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.sync_rows import (
    ApplySynced,
    SyncedConversation,
    SyncedMessage,
    SyncOutcome,
    blobs_present,
)
from desktopchat.sync.crypto import Keys
from desktopchat.sync.errors import Refused, TransportError, TransportFailure
from desktopchat.sync.transport import Transport

APPLY_TIMEOUT = 600.0
"""Seconds to wait for the writer thread (another program may hold the history's lock)."""


def write_payload(
    store: ConversationStore,
    payload: dict[str, Any],
    fetch: Callable[[list[SyncedMessage]], dict[str, Blob]],
    note: Callable[[str], None],
) -> tuple[SyncOutcome, dict[int, Any]]:
    """Write a journal entry into the history; the outcome, and the messages that must
    wait (their conversation or an attachment has not arrived), by id."""
    messages = [SyncedMessage(tuple(row), tuple(tuple(a) for a in atts))
                for row, atts in payload["m"]]  # fmt: skip
    change = ApplySynced(
        conversations=tuple(
            SyncedConversation(cid, fields, frozenset(changed), origin, create)
            for cid, fields, changed, origin, create in payload["c"]
        ),
        messages=tuple(messages),
        delete_messages=tuple(payload["dm"]),
        delete_conversations=tuple(payload["dc"]),
        blobs=fetch(messages),
    )
    outcome = store.apply_synced(change).result(APPLY_TIMEOUT).outcome
    later = set(outcome.waiting) | {mid for mid, _ in outcome.failed}
    waiting = {m.id: [list(m.row), [list(a) for a in m.attachments]]
               for m in messages if m.id in later}  # fmt: skip
    for mid, reason in outcome.failed:
        note(f"could not write message {mid}: {reason}")
    return outcome, waiting


def fetch_blobs(
    store: ConversationStore,
    transport: Transport,
    keys: Keys,
    messages: list[SyncedMessage],
    report: SyncReport,
) -> dict[str, Blob]:
    """The bytes of the attachments these messages name that the history lacks."""
    mimes = {a[4]: a[2] for m in messages for a in m.attachments if a[4] is not None}
    if not mimes:
        return {}
    here = store.read_rows(lambda connection: blobs_present(connection, list(mimes)))
    fetched = {}
    for sha, mime in sorted(mimes.items()):
        if sha in here:
            continue
        place = f"{BLOBS}/{keys.blob_name(sha)}.dcb"
        try:
            data = keys.open(place, transport.read(place, BLOB_LIMIT), BLOB_LIMIT)
        except TransportError as error:
            if error.kind not in (TransportFailure.NOT_FOUND, TransportFailure.TOO_BIG):
                raise
            report.notes.append(f"an attachment has not arrived yet ({place}); its message waits")
            continue
        except Refused as error:
            report.notes.append(f"refused {place}: {error}")
            continue
        if hashlib.sha256(data).hexdigest() != sha:
            report.notes.append(f"refused {place}: its bytes are not the attachment's")
            continue
        report.blobs_received += 1
        report.bytes_read += len(data)
        fetched[sha] = Blob(str(mime), data)
    return fetched
