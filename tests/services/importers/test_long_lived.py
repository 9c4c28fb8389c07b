"""What a large import builds is kept out of the garbage collector's full passes (issue 18
item 29): a full pass walks every tracked object holding the interpreter, so with a
230 MB export in memory each one stalled the window 0.6–1 s. Checked on the collector's
own count of frozen objects, not on time."""

from __future__ import annotations

import gc
import weakref

import pytest

from desktopchat.domain.types import Message
from desktopchat.services.importers.long_lived import FREEZE_EVERY
from desktopchat.services.importers.reader import parse_export
from desktopchat.services.importers.service import ImportService
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from tests.services.importers.archives import chatgpt_linear

CONVERSATIONS = FREEZE_EVERY + 10


@pytest.fixture(autouse=True)
def unfrozen():
    """Each test starts with nothing frozen, and leaves nothing frozen to the others."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def an_export() -> list[dict]:
    return [chatgpt_linear(f"conv-{n}", 4) for n in range(CONVERSATIONS)]


def test_reading_a_large_export_keeps_what_it_read_out_of_full_passes():
    parsed = parse_export(an_export())
    assert len(parsed.conversations) == CONVERSATIONS
    walked = {id(o) for o in gc.get_objects() if isinstance(o, Message)}  # not the frozen
    read = [m for c in parsed.conversations for m in c.messages]
    left_out = [m for m in read if id(m) not in walked]
    assert len(left_out) >= len(read) * FREEZE_EVERY // CONVERSATIONS
    one = weakref.ref(left_out[0])
    del parsed, read, left_out
    assert one() is None, "still freed when let go"


def test_writing_keeps_its_prepared_copies_out_of_full_passes(tmp_path):
    parsed = parse_export(an_export())
    gc.unfreeze()  # only what the writer freezes counts here
    db, problem = open_database(tmp_path / "history.db")
    assert problem is None
    store = ConversationStore(db)
    frozen_before = gc.get_freeze_count()
    report = ImportService(store).write_now(parsed)
    assert report.added == CONVERSATIONS
    assert gc.get_freeze_count() > frozen_before + FREEZE_EVERY
    store.close()
    db.close()
