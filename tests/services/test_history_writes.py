"""HistoryService.track: every queued write that fails is reported, none dropped (R8)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from concurrent.futures import Future

from desktopchat.domain.types import Role
from desktopchat.services.history import HistoryService, StorageError
from desktopchat.storage.changes import AddMessage


async def _reports(history: HistoryService, *queued: Future) -> list[StorageError]:
    """What the `failed` listeners hear once the writes are done (or failed)."""
    heard: list[StorageError] = []
    history.on_failed(heard.append)
    for written in queued:
        history.track(written)
    await asyncio.wait_for(asyncio.gather(*map(_settled, queued)), 10)
    for _ in range(3):  # the report is handed to the loop with call_soon_threadsafe
        await asyncio.sleep(0.01)
    return heard


async def _settled(written: Future) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wrap_future(written)


def test_a_message_whose_id_is_taken_is_reported_and_the_other_is_kept(store):
    # R8: two instances once gave the same id; the second INSERT raised IntegrityError,
    # which track dropped, and that instance's next update wrote into the other's row.
    conversation = store.create_conversation(title="t").result()
    theirs = store.add_message(conversation.id, Role.USER, "their question").result()
    mine = dataclasses.replace(theirs, text="my question")
    history = HistoryService(store)

    heard = asyncio.run(_reports(history, store.writer.submit(AddMessage(mine))))

    assert [error.kind for error in heard] == ["conflict"]
    assert "UNIQUE" in heard[0].detail
    assert [m.text for m in store.messages(conversation.id)] == ["their question"]


def test_a_write_to_a_conversation_deleted_meanwhile_is_reported(store):
    conversation = store.create_conversation(title="t").result()
    store.delete_conversation(conversation.id).result()
    history = HistoryService(store)

    heard = asyncio.run(_reports(history, store.rename_conversation(conversation.id, "new")))

    assert [error.kind for error in heard] == ["gone"]
    assert str(conversation.id) in heard[0].detail


def test_a_bug_in_a_write_is_logged_and_reported_not_swallowed(store, caplog):
    history = HistoryService(store)
    failed: Future = Future()
    failed.set_exception(RuntimeError("a bug in a change"))

    with caplog.at_level(logging.ERROR):
        heard = asyncio.run(_reports(history, failed))

    assert [(error.kind, error.detail) for error in heard] == [
        ("bug", "RuntimeError: a bug in a change")
    ]
    assert isinstance(heard[0].__cause__, RuntimeError)
    assert any(record.exc_info for record in caplog.records)


def test_writes_that_succeed_report_nothing(store):
    history = HistoryService(store)
    queued = store.create_conversation(title="fine")

    assert asyncio.run(_reports(history, queued.saved)) == []
