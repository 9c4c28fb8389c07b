"""Step 3 of a sync (services/sync/engine.py), sending: what changed in the history since
the last sync, or disappeared from it, written as records in new change files of this
computer's own folder, attachments first; and the folder's key, shared by every step.

Apart from the engine's other steps because sending reads the history and this computer's
state only, and never anything another computer wrote.
"""

import functools
from collections.abc import Callable
from typing import Any

from desktopchat.services.sync.files import (
    BLOBS,
    changes_name,
    chunks,
    seq_of,
)
from desktopchat.services.sync.merge import conversation_record, differs
from desktopchat.services.sync.records import (
    digest,
    file_body,
)
from desktopchat.services.sync.report import SyncReport
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.sync_rows import (
    HistoryRows,
    read_blob,
    read_history_rows,
)
from desktopchat.storage.sync_state import (
    ConversationState,
    MessageState,
    Register,
    SyncState,
)
from desktopchat.sync.crypto import (
    Keys,
)
from desktopchat.sync.errors import (
    AlreadyThere,
)
from desktopchat.sync.transport import Transport

COMPACT_AFTER = 64


class SyncSending:
    """The sending half of SyncEngine, which sets these attributes up."""

    store: ConversationStore
    state: SyncState
    transport: Transport
    records_per_file: int
    device: str
    report: SyncReport
    _keys: Keys | None
    _progress: Callable[[str], None]
    _convs: dict[int, ConversationState]
    _msgs: dict[int, MessageState]
    _next_seq: int | None
    _read_own: bool
    _remote_blobs: set[str] | None

    @property
    def keys(self) -> Keys:
        assert self._keys is not None, "the folder is not open"
        return self._keys

    def _send(self, only: set[int] | None = None) -> None:
        """Send what changed; `only`: just these conversations (what a refused deletion
        kept, sent back without reading and hashing the whole history a second time)."""
        if only is None:
            rows = self.store.read_rows(read_history_rows)
            if rows.high_water < int(self.state.get("high_water") or 0):
                self._restored(rows)
            known_convs, known_msgs = self._convs, self._msgs
        else:
            rows = self.store.read_rows(functools.partial(read_history_rows, only=only))
            known_convs = {c: s for c, s in self._convs.items() if c in only}
            known_msgs = {m: s for m, s in self._msgs.items() if s.conversation in only}
        now = self.state.tick()
        me = self.device
        waiting = set(self.state.waiting())
        records: list[tuple[dict[str, Any], ConversationState | MessageState]] = []
        for cid, (fields, origin) in rows.conversations.items():
            known = self._convs.get(cid)
            if known is None or known.deleted:
                registers = {
                    name: (
                        known.fields[name]
                        if known and name in known.fields and known.fields[name].value == value
                        else Register(value, now, me)
                    )
                    for name, value in fields.items()
                }
                new = ConversationState(now, me, False, registers)
            else:
                changed = [n for n, v in fields.items() if differs(known.fields.get(n), v)]
                if not changed:
                    continue
                registers = dict(known.fields)
                registers.update((n, Register(fields[n], now, me)) for n in changed)
                new = ConversationState(known.t, known.d, False, registers)
            records.append((conversation_record(cid, new, origin), new))
        for cid, known in known_convs.items():
            if not known.deleted and cid not in rows.conversations:
                new = ConversationState(now, me, True, known.fields)
                records.append((conversation_record(cid, new, None), new))
        for mid, row in rows.messages.items():
            attachments = rows.attachments.get(mid, [])
            summary = digest(row, attachments)
            seen = self._msgs.get(mid)
            if seen is not None and not seen.deleted and seen.digest == summary:
                continue
            message = MessageState(row[1], now, me, False, summary)
            record = {"k": "m", "id": mid, "c": row[1], "t": now, "d": me, "x": 0}
            record |= {"r": list(row), "a": [list(a) for a in attachments]}
            records.append((record, message))
        for mid, seen in known_msgs.items():
            if seen.deleted or mid in rows.messages or mid in rows.streaming or mid in waiting:
                continue
            message = MessageState(seen.conversation, now, me, True, None)
            record = {"k": "m", "id": mid, "c": seen.conversation, "t": now, "d": me, "x": 1}
            records.append((record, message))
        if not records:
            return
        self._upload_blobs(rows, [r for r, _ in records if r["k"] == "m" and r.get("a")])
        for chunk in chunks(records, self.records_per_file):
            self._write_changes(chunk)

    def _restored(self, rows: HistoryRows) -> None:
        """The history is an older copy than at the last sync (a backup restored, or a new
        history): what it lacks was not deleted by the person, so it is forgotten here and
        fetched again from every computer's files, this one's own included."""
        conversations = {c for c, s in self._convs.items()
                         if not s.deleted and c not in rows.conversations}  # fmt: skip
        messages = {m for m, s in self._msgs.items() if not s.deleted and m not in rows.messages
                    and m not in rows.streaming}  # fmt: skip
        self.state.forget(conversations, messages)
        for cid in conversations:
            del self._convs[cid]
        for mid in messages:
            del self._msgs[mid]
        self._read_own = True
        self.state.put("high_water", str(rows.high_water))
        self._note(
            "this history is an older copy than at the last sync (restored from a backup?): "
            f"{len(conversations)} conversation(s) and {len(messages)} message(s) it lacks "
            "are fetched again, not deleted"
        )

    def _upload_blobs(self, rows: HistoryRows, records: list[dict[str, Any]]) -> None:
        wanted = {a[4] for r in records for a in r["a"] if a[4] is not None}
        wanted -= self.state.uploaded_blobs()
        if not wanted:
            return
        if self._remote_blobs is None:
            self._remote_blobs = {e.name for e in self.transport.list(BLOBS)}
        for sha in sorted(wanted):
            name = self.keys.blob_name(sha) + ".dcb"
            if name not in self._remote_blobs:
                blob = self.store.read_rows(functools.partial(read_blob, sha256=sha))
                if blob is None:
                    continue  # deleted meanwhile; the message's next version says so
                place = f"{BLOBS}/{name}"
                self._progress(f"sending an attachment ({len(blob.data)} bytes)")
                sealed = self.keys.seal(place, blob.data)
                try:
                    self.transport.write_new(place, sealed)
                    self.report.blobs_sent += 1
                    self.report.bytes_written += len(sealed)
                except AlreadyThere:
                    pass
                self._remote_blobs.add(name)
            self.state.add_uploaded_blob(sha)

    def _write_changes(
        self, chunk: list[tuple[dict[str, Any], ConversationState | MessageState]]
    ) -> None:
        seq = self._seq()
        body = file_body(self.device, seq, "changes", [record for record, _ in chunk])
        while True:
            place = f"{self.device}/{changes_name(seq)}"
            sealed = self.keys.seal(place, body)
            try:
                self.transport.write_new(place, sealed)
                break
            except AlreadyThere:  # a sync killed after writing, before remembering
                seq += 1
                body = file_body(self.device, seq, "changes", [record for record, _ in chunk])
        self._progress(f"sent {place}")
        conversations = {r["id"]: s for r, s in chunk if isinstance(s, ConversationState)}
        messages = {r["id"]: s for r, s in chunk if isinstance(s, MessageState)}
        with self.state.transaction() as connection:
            self.state.save_conversations(connection, conversations)
            self.state.save_messages(connection, messages)
            self.state.put("next_seq", str(seq + 1), connection)
        self._next_seq = seq + 1
        self._convs.update(conversations)
        self._msgs.update(messages)
        self.report.files_written += 1
        self.report.bytes_written += len(sealed)
        for record, _ in chunk:
            if record["k"] == "c":
                self.report.sent_conversations += 0 if record["x"] else 1
                self.report.sent_deletions += record["x"]
            else:
                self.report.sent_messages += 0 if record["x"] else 1
                self.report.sent_deletions += record["x"]

    def _seq(self) -> int:
        if self._next_seq is None:
            remembered = int(self.state.get("next_seq") or 1)
            written = [seq_of(e.name) for e in self.transport.list(self.device)]
            self._next_seq = max([remembered, *(s + 1 for s in written if s is not None)])
        return self._next_seq

    def _note(self, text: str) -> None:
        self.report.notes.append(text)
