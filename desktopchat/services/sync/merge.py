"""Merging records with what this computer knows: pure, no I/O.

Latest wins, compared as (t, d): the writer's clock, then its device id, so every computer
picks the same winner whatever order it reads files in. A conversation's existence and each
of its fields merge on their own ("updated" by the larger value: the list's order follows
the latest activity anywhere); a message merges whole. What wins and differs from what the
history holds becomes the payload the engine journals and writes (storage/sync_rows.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from desktopchat.services.sync.records import digest
from desktopchat.storage.sync_state import ConversationState, MessageState, Register


@dataclass
class Touched:
    """What a batch changed about one conversation."""

    origin: str | None
    changed: set[str]
    existence: bool
    was_deleted: bool | None


class Merge:
    """One batch of records merged into `conversations` and `messages` (updated in place)."""

    def __init__(
        self, conversations: dict[int, ConversationState], messages: dict[int, MessageState]
    ) -> None:
        self.conversations = conversations
        self.messages = messages
        self.touched: dict[int, Touched] = {}
        self.winners: dict[int, dict[str, Any]] = {}
        self.changed_messages: dict[int, MessageState] = {}
        self._before: dict[int, MessageState | None] = {}
        """Each message's state as it was before this batch (what the history holds)."""
        self.newest = 0

    def add(self, record: dict[str, Any]) -> None:
        self.newest = max(self.newest, record["t"])
        if record["k"] == "c":
            self._conversation(record)
        else:
            self._message(record)

    def _conversation(self, record: dict[str, Any]) -> None:
        cid = record["id"]
        known = self.conversations.get(cid)
        incoming = {n: Register(*register) for n, register in record["f"].items()}
        info = self.touched.get(cid) or Touched(
            record.get("o"), set(), False, None if known is None else known.deleted
        )
        if known is None:
            new = ConversationState(record["t"], record["d"], bool(record["x"]), incoming)
            info.existence = True
            info.changed |= set(incoming)
        else:
            new = replace(known, fields=dict(known.fields))
            if (record["t"], record["d"]) > (known.t, known.d):
                if bool(record["x"]) != known.deleted:
                    info.existence = True
                new.t, new.d, new.deleted = record["t"], record["d"], bool(record["x"])
            for name, register in incoming.items():
                current = new.fields.get(name)
                if wins(name, register, current):
                    if current is None or current.value != register.value:
                        info.changed.add(name)
                    new.fields[name] = register
        if info.existence or info.changed:
            self.conversations[cid] = new
            self.touched[cid] = info

    def _message(self, record: dict[str, Any]) -> None:
        mid = record["id"]
        known = self.messages.get(mid)
        if known is not None and (record["t"], record["d"]) <= (known.t, known.d):
            return
        deleted = bool(record["x"])
        summary = None if deleted else digest(record["r"], record.get("a", []))
        new = MessageState(record["c"], record["t"], record["d"], deleted, summary)
        # Compared with what was known before this batch, which the history holds, not with
        # a record merged a moment ago and not written yet: the same message sent twice (a
        # computer killed after writing a change file, before remembering it, sends it
        # again) would otherwise be dropped as known, and then sent back as deleted.
        before = self._before.setdefault(mid, known)
        self.messages[mid] = self.changed_messages[mid] = new
        same = before is not None and not before.deleted and before.digest == summary
        if same or (deleted and before is not None and before.deleted):
            self.winners.pop(mid, None)
        else:
            self.winners[mid] = record

    def payload(self, waiting: dict[int, Any]) -> dict[str, Any]:
        """What to write into the history, as JSON (the journal keeps it until written):
        conversations [id, fields, changed, origin, create], message rows, deletions.
        Messages still waiting from earlier syncs that still win are tried again."""
        conversations, gone = [], []
        for cid, info in self.touched.items():
            known = self.conversations[cid]
            fields = {name: register.value for name, register in known.fields.items()}
            if known.deleted:
                if info.existence:
                    gone.append(cid)
                if info.changed:  # kept here, should a message continue it
                    conversations.append([cid, fields, sorted(info.changed), None, False])
                continue
            changed = sorted(info.changed if not info.existence else fields)
            conversations.append([cid, fields, changed, info.origin, True])
        messages = {m: [r["r"], r.get("a", [])] for m, r in self.winners.items() if not r["x"]}
        for mid, row in waiting.items():
            message = self.messages.get(mid)
            if mid not in self.winners and message is not None and not message.deleted:
                messages[mid] = row
        deleted = [mid for mid, r in self.winners.items() if r["x"]]
        return {"c": conversations, "m": list(messages.values()), "dm": deleted, "dc": gone}


def conversation_record(cid: int, state: ConversationState, origin: str | None) -> dict[str, Any]:
    return {
        "k": "c",
        "id": cid,
        "t": state.t,
        "d": state.d,
        "x": int(state.deleted),
        "f": {name: [r.value, r.t, r.d] for name, r in state.fields.items()},
        "o": origin,
    }


def differs(register: Register | None, value: Any) -> bool:
    return register is None or register.value != value


def wins(name: str, incoming: Register, current: Register | None) -> bool:
    if current is None:
        return True
    if name == "updated":  # the list's order: the latest activity anywhere
        return _number(incoming.value) > _number(current.value)
    return (incoming.t, incoming.d) > (current.t, current.d)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def later(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """One computer's two records of the same thing, as one (compaction): the later
    existence, and each field's later value."""
    if old is None or new["k"] == "m":
        return new if old is None or (new["t"], new["d"]) >= (old["t"], old["d"]) else old
    merged = dict(old if (old["t"], old["d"]) > (new["t"], new["d"]) else new)
    fields = dict(old["f"])
    for name, register in new["f"].items():
        current = fields.get(name)
        if current is None or wins(name, Register(*register), Register(*current)):
            fields[name] = register
    merged["f"] = fields
    return merged
