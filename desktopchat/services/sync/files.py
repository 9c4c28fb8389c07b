"""The sync folder's layout: names, numbers, sizes, and which files to read in what order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from desktopchat.sync.transport import Entry

FILE_LIMIT = 96 * 1024 * 1024
"""A change file larger than this is not read (sync writes files of a few MiB)."""
PLAIN_LIMIT = 512 * 1024 * 1024
"""What one change file may hold once decompressed (a zip bomb stops here)."""
BLOB_LIMIT = 512 * 1024 * 1024
RECORDS_PER_FILE = 4000
BYTES_PER_FILE = 24 * 1024 * 1024
BLOBS = "blobs"

DEVICE = re.compile(r"d-[0-9a-f]{16}")
CHANGES = re.compile(r"c-(\d{8})\.dcs")
SNAPSHOT = re.compile(r"s-(\d{8})-(\d{3})of(\d{3})\.dcs")

Plan = list[tuple[int, list[str]]]
"""Files to read in order: (the sequence number reached once read, their names)."""


def changes_name(seq: int) -> str:
    return f"c-{seq:08d}.dcs"


def snapshot_name(seq: int, part: int, parts: int) -> str:
    return f"s-{seq:08d}-{part:03d}of{parts:03d}.dcs"


def plan(entries: Iterable[Entry], applied: int) -> tuple[Plan, list[str]]:
    """What to read of one computer's folder after `applied`, and the names that are not
    ours. Its newest whole snapshot first when it covers more than was applied; then change
    files in order, stopping at a gap (a folder syncer may deliver them out of order)."""
    changes: dict[int, str] = {}
    snapshots: dict[int, dict[int, tuple[int, str]]] = {}
    foreign = []
    for entry in entries:
        if match := CHANGES.fullmatch(entry.name):
            changes[int(match[1])] = entry.name
        elif match := SNAPSHOT.fullmatch(entry.name):
            parts = snapshots.setdefault(int(match[1]), {})
            parts[int(match[2])] = (int(match[3]), entry.name)
        else:
            foreign.append(entry.name)
    found: Plan = []
    whole = [
        seq
        for seq, parts in snapshots.items()
        if parts
        and all(n == len(parts) for n, _ in parts.values())
        and set(parts) == set(range(1, len(parts) + 1))
    ]
    newest = max(whole, default=0)
    if newest > applied:
        found.append((newest, [snapshots[newest][i][1] for i in sorted(snapshots[newest])]))
        applied = newest
    seq = applied + 1
    while seq in changes:
        found.append((seq, [changes[seq]]))
        seq += 1
    return found, sorted(foreign)


def seq_of(name: str) -> int | None:
    match = CHANGES.fullmatch(name) or SNAPSHOT.fullmatch(name)
    return int(match[1]) if match else None


def chunks(
    records: list[tuple[dict[str, Any], Any]], size: int
) -> Iterable[list[tuple[dict[str, Any], Any]]]:
    """Records in files of at most `size` records and about BYTES_PER_FILE."""
    chunk: list[tuple[dict[str, Any], Any]] = []
    weight = 0
    for item in records:
        chunk.append(item)
        weight += _weight(item[0])
        if len(chunk) >= size or weight >= BYTES_PER_FILE:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _weight(record: dict[str, Any]) -> int:
    row = record.get("r") or ()
    text = sum(len(v) for v in row if isinstance(v, str))
    return 200 + text + (len(str(record["a"])) if record.get("a") else 0)
