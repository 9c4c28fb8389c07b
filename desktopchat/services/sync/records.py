"""What a change file says, as plain JSON records, and the checks every record passes
before it comes near the history.

A change file (sealed by sync/crypto.py) holds::

    {"format": 1, "device": "d-…", "seq": 12, "kind": "changes" | "snapshot",
     "records": [ … ]}

and each record is one of:

- a conversation: ``{"k": "c", "id", "t", "d", "x": 0|1, "f": {field: [value, t, d]},
  "o": origin}``: its existence (``x`` = 1: deleted) and each field merge by latest
  (t, d) on their own, so a rename here and a model change there both stay; "updated"
  merges by the larger value;
- a message: ``{"k": "m", "id", "c", "t", "d", "x": 0|1, "r": row, "a": attachments}``:
  the row in storage/sync_rows.MESSAGE_COLUMNS order, whole (a message changes rarely:
  a reply finished, left out of the context), or a tombstone (``x`` = 1, no row).

`t` is the writer's clock (milliseconds, never going back, storage/sync_state.py `tick`),
`d` its device id: (t, d) orders every write of the same thing.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from desktopchat.storage.sync_rows import (
    ATTACHMENT_FIELDS,
    CONVERSATION_FIELDS,
    MESSAGE_COLUMNS,
    Row,
)

FORMAT = 1
_MAX_ID = (1 << 63) - 1
_ROLES = {"user", "assistant"}
_STATUSES = {"complete", "interrupted", "failed", "streaming"}
_DEVICE_LIMIT = 64
_OLDEST_MESSAGE_ROW = MESSAGE_COLUMNS.index("tool_steps")
"""A message row's length before replies had tool calls (schema 7): a shorter one is
damaged. Columns added since (tool_steps, project_files at schema 9, web_search at 10,
reply_end at 11) are padded."""


class BadRecord(ValueError):
    """A record that is not one DesktopChat writes: left out, with a note."""


def file_body(device: str, seq: int, kind: str, records: list[dict[str, Any]]) -> bytes:
    body = {"format": FORMAT, "device": device, "seq": seq, "kind": kind, "records": records}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_body(data: bytes, device: str, seq: int) -> list[Any]:
    """The records of a file that opened, after checking it says what its name says (a file
    renamed by someone with the key still cannot pose as another)."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRecord("not JSON inside") from error
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise BadRecord("written by another version of DesktopChat's sync")
    if body.get("device") != device or body.get("seq") != seq:
        raise BadRecord("it claims another name than its own")
    records = body.get("records")
    if not isinstance(records, list):
        raise BadRecord("no records")
    return records


def digest(row: Row | list[Any], attachments: list[Any] | tuple[Any, ...]) -> str:
    """What a message holds, in 128 bits: the same for the same values on every computer
    (the repr of str, int, float and None is fixed by the language; floats print the
    shortest text that reads back the same). Run on every message at every sync, so it is
    the fastest stable serialisation there is, not JSON."""
    values = tuple(row)
    while len(values) > _OLDEST_MESSAGE_ROW and values[-1] is None:
        # A message without the newer columns' values (no tool calls, project files, sources
        # or short end) hashes as it did before they existed (schemas 7, 9, 10, 11), so the
        # first sync after an upgrade sends nothing again.
        values = values[:-1]
    packed = repr((values, tuple(tuple(a) for a in attachments)))
    return hashlib.blake2b(packed.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def check_record(record: Any) -> dict[str, Any]:
    """The record if it is well formed, else BadRecord. Checks types and ranges only:
    the values themselves came, sealed, from a computer that knows the passphrase."""
    if not isinstance(record, dict):
        raise BadRecord("a record that is not an object")
    kind = record.get("k")
    _id(record.get("id"))
    _clock(record.get("t"))
    _device(record.get("d"))
    if record.get("x") not in (0, 1):
        raise BadRecord("no deletion mark")
    if kind == "c":
        fields = record.get("f")
        if not isinstance(fields, dict):
            raise BadRecord("a conversation without fields")
        for name, register in fields.items():
            if name not in CONVERSATION_FIELDS:
                raise BadRecord(f"unknown conversation field {name!r}")
            if not isinstance(register, list) or len(register) != 3:
                raise BadRecord("a field that is not [value, t, d]")
            _value(register[0])
            _clock(register[1])
            _device(register[2])
        origin = record.get("o")
        if origin is not None and not isinstance(origin, str):
            raise BadRecord("an origin that is not text")
        return record
    if kind == "m":
        _id(record.get("c"))
        if record["x"] == 1:
            return record
        row = record.get("r")
        if isinstance(row, list) and _OLDEST_MESSAGE_ROW <= len(row) < len(MESSAGE_COLUMNS):
            # written before the last columns existed: they are added at the end, so
            # what it lacks is the newer ones, empty for it
            row = record["r"] = [*row, *[None] * (len(MESSAGE_COLUMNS) - len(row))]
        if not isinstance(row, list) or len(row) != len(MESSAGE_COLUMNS):
            raise BadRecord("a message row of the wrong length")
        for value in row:
            _value(value)
        if row[0] != record["id"] or row[1] != record["c"]:
            raise BadRecord("a message row for another message")
        if row[3] not in _ROLES or row[6] not in _STATUSES:
            raise BadRecord("a message with an unknown role or status")
        attachments = record.get("a", [])
        if not isinstance(attachments, list):
            raise BadRecord("attachments that are not a list")
        for attachment in attachments:
            if not isinstance(attachment, list) or len(attachment) != len(ATTACHMENT_FIELDS):
                raise BadRecord("an attachment of the wrong shape")
            for value in attachment:
                _value(value)
            sha = attachment[4]
            if sha is not None and not (
                isinstance(sha, str)
                and len(sha) == 64
                and all(c in "0123456789abcdef" for c in sha)
            ):
                raise BadRecord("an attachment hash that is not sha256")
        return record
    raise BadRecord(f"an unknown kind of record {kind!r}")


def _id(value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= _MAX_ID:
        raise BadRecord("an id out of range")


def _clock(value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_ID:
        raise BadRecord("a clock out of range")


def _device(value: Any) -> None:
    if not isinstance(value, str) or not 0 < len(value) <= _DEVICE_LIMIT:
        raise BadRecord("a device id that is not one")


def _value(value: Any) -> None:
    """A value SQLite can hold: None, an integer in 64 bits, a float, or text it can encode."""
    if value is None or isinstance(value, float):
        return
    if isinstance(value, bool):
        raise BadRecord("a boolean where SQLite keeps numbers")
    if isinstance(value, int):
        if not -(1 << 63) <= value <= _MAX_ID:
            raise BadRecord("an integer past 64 bits")
        return
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise BadRecord("text with a lone surrogate") from error
        return
    raise BadRecord(f"a value of type {type(value).__name__}")
