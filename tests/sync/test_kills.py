"""A sync stopped at its most awkward steps (killed, or a connection lost after the server
took a file), then synced again: nothing anyone wrote is lost, on either computer."""

from __future__ import annotations

import pytest

from desktopchat.sync.transport import Entry, Transport
from tests.sync.test_merge import _conversation, _sync_all


class LostAfterWriting:
    """A transport that writes a change file, then dies before the engine hears it did: a
    kill -9 between the file and the state file, or a WebDAV PUT whose answer never came."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.description = inner.description

    def list(self, folder: str = "") -> list[Entry]:
        return self.inner.list(folder)

    def read(self, path: str, limit: int) -> bytes:
        return self.inner.read(path, limit)

    def write_new(self, path: str, data: bytes) -> None:
        self.inner.write_new(path, data)
        if "/c-" in path:
            raise KeyboardInterrupt(f"killed once {path} was written")

    def delete(self, path: str) -> None:
        self.inner.delete(path)

    def close(self) -> None:
        self.inner.close()


def test_a_change_file_sent_twice_is_written_into_the_other_history(place, homes):
    """B is killed after its change file is written, before its state remembers it, so the
    next sync sends the same messages again in a second file; A reads both in one batch.
    The second copy once found the first in A's state (merged a moment before, not written
    yet) and was dropped as known: A then lacked B's messages, sent them back as deleted,
    and B lost them too."""
    transport, _ = place
    a, b = homes("a"), homes("b")
    _conversation(a, "From A", "hello", "hi")
    x, sent = _conversation(b, "From B", "one", "two", "three")
    with pytest.raises(KeyboardInterrupt):
        b.sync(LostAfterWriting(transport()))
    again = b.sync(transport())
    assert again.sent_messages == 3  # the state never heard of the first file

    received = a.sync(transport())
    assert received.received_messages == 3
    assert a.picture()[x.id] == b.picture()[x.id]
    _sync_all(transport, b, a)
    picture = b.picture()
    assert a.picture() == picture
    assert sum(len(messages) for _, messages in picture.values()) == 5
    assert {m.id for m in sent} <= {m for _, messages in picture.values() for m in messages}


def test_the_same_message_twice_in_one_batch_is_written_once_and_known():
    """What the engine writes is decided against what was known before the batch."""
    from desktopchat.services.sync.merge import Merge
    from desktopchat.storage.sync_rows import MESSAGE_COLUMNS

    row = [7, 3, None, "user", "again", *[None] * (len(MESSAGE_COLUMNS) - 5)]
    merge = Merge({}, {})
    for t in (100, 200):  # the first file, and the same message sent again after a kill
        merge.add({"k": "m", "id": 7, "c": 3, "t": t, "d": "d-b", "x": 0, "r": row, "a": []})
    assert merge.payload({})["m"] == [[row, []]]
    assert merge.messages[7].t == 200
