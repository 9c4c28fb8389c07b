"""One sync: send what changed here, apply what the other computers sent, never overwrite.

The sync folder (any Transport) holds::

    DesktopChat-sync/
      header.json                 plaintext: scrypt's parameters and salt (sync/crypto.py)
      keycheck                    a known text sealed under the key: wrong passphrase → stop
      d-<16 hex>/                 one folder per computer, written by that computer only
        c-00000001.dcs …          its change files, numbered, append-only, sealed
        s-00000040-001of002.dcs   a snapshot of its own changes up to 40 (compaction)
      blobs/<40 hex>.dcb          attachments' bytes, once each, named by an HMAC of sha256

Steps (`SyncEngine.run`), each safe to kill:

1. open the folder: make the header and key check if it is new, derive the key, check it;
2. replay the journal of a sync killed while writing the history (storage/sync_state.py);
3. send: compare the history with what the state file remembers (a digest per message,
   the value of each conversation field) and write what differs, or disappeared, as new
   records in a new change file stamped with this computer's clock; attachments first;
4. receive: read every other computer's files not applied yet, in order (a snapshot first
   when it covers what was not read), merge each record with what is known (latest (t, d)
   wins, per conversation field; "updated" by the larger), journal the winners and write
   them into the history (storage/sync_rows.py ApplySynced);
5. deletions the history refused (a message not deleted continues from them) are sent
   back at once as the latest version, so the other computers get them again: a
   conversation deleted on one computer and continued on another keeps the continued part
   everywhere, and both people are told;
6. compact: past `compact_after` change files, this computer's own files are rewritten as
   one snapshot (the latest record of each thing it wrote) and the old ones deleted. It
   only ever compacts its own files, so no other computer's change can be lost.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import Any

from desktopchat.services.sync.apply import fetch_blobs, write_payload
from desktopchat.services.sync.files import (
    BLOBS,
    DEVICE,
    FILE_LIMIT,
    PLAIN_LIMIT,
    RECORDS_PER_FILE,
    Plan,
    chunks,
    plan,
    seq_of,
    snapshot_name,
)
from desktopchat.services.sync.merge import Merge, later
from desktopchat.services.sync.records import (
    BadRecord,
    check_record,
    file_body,
    parse_body,
)
from desktopchat.services.sync.report import SyncReport, count, tell
from desktopchat.services.sync.sending import SyncSending
from desktopchat.storage.attachment_rows import Blob
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.sync_rows import (
    SyncedMessage,
    SyncOutcome,
    high_water,
)
from desktopchat.storage.sync_state import (
    ConversationState,
    MessageState,
    SyncState,
)
from desktopchat.sync.crypto import (
    HEADER_LIMIT,
    HEADER_NAME,
    KEYCHECK_NAME,
    KdfParameters,
    Keys,
    derive_keys,
    header_bytes,
    new_parameters,
    parse_header,
)
from desktopchat.sync.errors import (
    AlreadyThere,
    Refused,
    Stopped,
    SyncError,
    TransportError,
    TransportFailure,
)
from desktopchat.sync.transport import Transport

COMPACT_AFTER = 64


class SyncEngine(SyncSending):
    """Runs in a worker thread (or the command line): blocking calls only."""

    def __init__(
        self,
        store: ConversationStore,
        state: SyncState,
        transport: Transport,
        passphrase: str,
        *,
        compact_after: int = COMPACT_AFTER,
        records_per_file: int = RECORDS_PER_FILE,
        progress: Callable[[str], None] | None = None,
        derive: Callable[[str, KdfParameters], Keys] = derive_keys,
        files: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
        joining: bool | None = None,
    ) -> None:
        """`files(done, total)`: the other computers' files read so far (a new computer's
        first sync has many); `stop()` is asked before each file, and when true the sync
        ends with Stopped after keeping what it read (the next one goes on from there);
        `joining`: True when the folder must already hold a sync (this computer joins it),
        False when it must not (a new sync starts there), None for either."""
        self.store = store
        self._derive = derive
        self.state = state
        self.transport = transport
        self._passphrase = passphrase
        self.compact_after = compact_after
        self.records_per_file = records_per_file
        self._progress = progress or (lambda _text: None)
        self._files = files or (lambda _done, _total: None)
        self._stop = stop or (lambda: False)
        self._joining = joining
        self.device = ""
        self.report = SyncReport("")
        self._keys: Keys | None = None
        self._convs: dict[int, ConversationState] = {}
        self._msgs: dict[int, MessageState] = {}
        self._next_seq: int | None = None
        self._read_own = False
        self._remote_blobs: set[str] | None = None

    def run(self) -> SyncReport:
        self.state.lock()
        try:
            self.device = self.state.device()
            self.report = SyncReport(self.device)
            self._open_folder()
            self._replay_journal()
            self._convs = self.state.conversations()
            self._msgs = self.state.messages()
            self._send()
            kept = self._receive()
            if kept:
                self._send(kept)
            self._compact()
            self.state.put("high_water", str(self.store.read_rows(high_water)))
            return self.report
        finally:
            self.state.unlock()

    # 1. The folder and its key.

    def _open_folder(self) -> None:
        names = {entry.name for entry in self.transport.list("")}
        if self._joining and HEADER_NAME not in names:
            raise SyncError(
                f'{self.transport.description} holds no sync yet: choose "start a new sync" '
                "on the first computer, or check the place"
            )
        if self._joining is False and HEADER_NAME in names:
            raise SyncError(
                f'{self.transport.description} already holds a sync: choose "join an '
                'existing sync" and give its passphrase'
            )
        if HEADER_NAME not in names:
            # Another computer may make the folder at the same moment: its header is used.
            with contextlib.suppress(AlreadyThere):
                self.transport.write_new(HEADER_NAME, header_bytes(new_parameters()))
        parameters = parse_header(self.transport.read(HEADER_NAME, HEADER_LIMIT))
        self._keys = self._derive(self._passphrase, parameters)
        try:
            check = self.transport.read(KEYCHECK_NAME, 1024)
        except TransportError as error:
            if error.kind is not TransportFailure.NOT_FOUND:
                raise
            with contextlib.suppress(AlreadyThere):
                self.transport.write_new(KEYCHECK_NAME, self.keys.keycheck())
            check = self.transport.read(KEYCHECK_NAME, 1024)
        self.keys.check(check)
        foreign = sorted(
            name
            for name in names
            if name not in (HEADER_NAME, KEYCHECK_NAME, BLOBS) and not DEVICE.fullmatch(name)
        )
        if foreign:
            self._note(f"left alone, not DesktopChat's: {', '.join(foreign[:5])}")
        folder_id = hashlib.sha256(parameters.salt).hexdigest()[:32]
        self.state.forget_folder(folder_id)

    # 2. A sync killed while writing the history.

    def _replay_journal(self) -> None:
        for entry, payload in self.state.journal():
            self._progress("finishing the last sync")
            outcome, waiting = self._write(payload)
            # The entry's messages were written or wait again; the others still wait.
            tried = {row[0] for row, _ in payload["m"]}
            earlier = {m: v for m, v in self.state.waiting().items() if m not in tried}
            with self.state.transaction() as connection:
                self.state.remove_journal(connection, entry)
                self.state.set_waiting(connection, {**earlier, **waiting})
            count(self.report, outcome)

    # 3. Send: services/sync/sending.py.

    # 4. Receive.

    def _receive(self) -> set[int]:
        """Apply the other computers' new files; the conversations where a deletion was
        refused here (their kept messages are then sent back)."""
        devices = sorted(
            e.name
            for e in self.transport.list("")
            if e.is_folder and DEVICE.fullmatch(e.name) and e.name != self.device
        )
        self.report.computers = len(devices)
        if self._read_own:  # after a restore: what only this computer had comes back too
            devices.append(self.device)
        applied = self.state.applied()
        plans = {device: self._plan(device, applied.get(device, 0)) for device in devices}
        total = sum(len(names) for found in plans.values() for _, names in found)
        done, stopped, sent_back = 0, False, set[int]()
        if total:
            self._files(0, total)
        for device in devices:
            batch: list[Any] = []
            upto = applied.get(device, 0)
            for last, names in plans[device]:
                try:
                    for name in names:
                        if self._stop():
                            stopped = True
                            break
                        batch += self._read_records(device, name, last)
                        done += 1
                        self._files(done, total)
                except (Refused, BadRecord) as error:
                    self._note(f"refused {device}/{names[0]}: {error}")
                    break
                except TransportError as error:
                    if error.kind is TransportFailure.NOT_FOUND:
                        break  # compacted while being read: next time
                    if error.kind is TransportFailure.TOO_BIG:
                        self._note(f"refused {device}/{names[0]}: {error}")
                        break
                    raise
                if stopped:
                    break
                upto = last
                if len(batch) >= self.records_per_file:
                    sent_back |= self._merge(device, upto, batch)
                    batch = []
            if batch or upto != applied.get(device, 0):
                sent_back |= self._merge(device, upto, batch)
            if stopped:
                raise Stopped(f"stopped after {done} of {total} files: the next sync goes on")
        return sent_back

    def _plan(self, device: str, applied: int) -> Plan:
        found, foreign = plan(self.transport.list(device), applied)
        if foreign:
            self._note(f"left alone in {device}: {', '.join(foreign[:5])}")
        return found

    def _read_records(self, device: str, name: str, seq: int) -> list[Any]:
        place = f"{device}/{name}"
        data = self.transport.read(place, FILE_LIMIT)
        self.report.files_read += 1
        self.report.bytes_read += len(data)
        return parse_body(self.keys.open(place, data, PLAIN_LIMIT), device, seq)

    def _merge(self, device: str, upto: int, raw: list[Any]) -> set[int]:
        records, bad = [], 0
        for item in raw:
            try:
                records.append(check_record(item))
            except BadRecord:
                bad += 1
        if bad:
            self._note(f"left out {bad} record(s) from {device} that are not well formed")
        merge = Merge(self._convs, self._msgs)
        for record in records:
            merge.add(record)
        payload = merge.payload(self.state.waiting())
        touched = merge.touched
        with self.state.transaction() as connection:
            self.state.save_conversations(connection, {c: self._convs[c] for c in touched})
            self.state.save_messages(connection, merge.changed_messages)
            self.state.set_applied(connection, device, upto)
            self.state.tick(merge.newest)
            entry = self.state.add_journal(connection, payload)
        self._progress(f"applying {len(records)} change(s) from {device}")
        outcome, waiting = self._write(payload)
        with self.state.transaction() as connection:
            self.state.remove_journal(connection, entry)
            self.state.set_waiting(connection, waiting)
        count(self.report, outcome)
        tell(self.report, outcome, touched, self._convs, self._msgs)
        kept = {self._msgs[m].conversation for m in outcome.kept if m in self._msgs}
        return kept | set(outcome.kept_conversations)

    def _write(self, payload: dict[str, Any]) -> tuple[SyncOutcome, dict[int, Any]]:
        return write_payload(self.store, payload, self._fetch_blobs, self._note)

    def _fetch_blobs(self, messages: list[SyncedMessage]) -> dict[str, Blob]:
        return fetch_blobs(self.store, self.transport, self.keys, messages, self.report)

    # 6. Compaction.

    def _compact(self) -> None:
        mine = self.transport.list(self.device)
        changes = sorted(s for e in mine if (s := seq_of(e.name)) is not None
                         and e.name.startswith("c-"))  # fmt: skip
        if len(changes) < self.compact_after:
            return
        upto = changes[-1]
        latest: dict[tuple[str, int], dict[str, Any]] = {}
        for seq, names in self._plan(self.device, 0):
            for name in names:
                for record in self._read_records(self.device, name, seq):
                    key = (record["k"], record["id"])
                    latest[key] = later(latest.get(key), record)
            if seq >= upto:
                break
        records = list(latest.values())
        # In files no larger than a change file: a larger one is refused by every reader.
        sized = chunks([(record, None) for record in records], self.records_per_file)
        parts = [[record for record, _ in chunk] for chunk in sized] or [[]]
        written = []
        for number, part in enumerate(parts, 1):
            name = snapshot_name(upto, number, len(parts))
            place = f"{self.device}/{name}"
            body = file_body(self.device, upto, "snapshot", part)
            self.transport.delete(place)  # left by a compaction killed half-way
            self.transport.write_new(place, self.keys.seal(place, body))
            written.append(name)
        for entry in mine:
            covered = seq_of(entry.name)
            if covered is not None and covered <= upto and entry.name not in written:
                self.transport.delete(f"{self.device}/{entry.name}")
        self._progress(f"compacted {len(changes)} change files into {len(parts)} snapshot file(s)")
