"""ReplySaver: every save of a reply, the batches and the final one, is tracked, so a save
that fails is logged and reported to the history's failed listeners, never dropped."""

from __future__ import annotations

import asyncio
import logging

import pytest

from desktopchat.domain.types import MessageStatus, Role, Usage
from desktopchat.services.history import HistoryService, StorageError
from desktopchat.services.reply_saver import ReplySaver


def _saver(store, history: HistoryService, **options) -> ReplySaver:
    conversation = store.create_conversation(title="t").result()
    asked = store.add_message(conversation.id, Role.USER, "question").result()
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", parent_id=asked.id, status=MessageStatus.STREAMING
    ).result()
    return ReplySaver(store, reply, 0.0, lambda: 0.0, track=history.track, **options)


async def _heard_after(history: HistoryService, action) -> list[StorageError]:
    heard: list[StorageError] = []
    history.on_failed(heard.append)
    action()
    for _ in range(200):
        await asyncio.sleep(0.01)
        if heard and not history.writes_pending():
            break
    return heard


def test_a_final_save_the_store_refuses_is_reported_and_logged(store, caplog):
    # A count SQLite cannot hold (a bug upstream let it through): the final save fails
    # in the writer thread, and its Future was dropped: the reply was never marked
    # complete and nobody heard of it.
    history = HistoryService(store)
    saver = _saver(store, history)

    async def run() -> list[StorageError]:
        saver.append("an answer")
        saver.usage = Usage(input_tokens=2**70, output_tokens=3)
        return await _heard_after(history, lambda: saver.finish(MessageStatus.COMPLETE, None))

    with caplog.at_level(logging.ERROR):
        heard = asyncio.run(run())

    assert [error.kind for error in heard][-1:] == ["bug"]
    assert "OverflowError" in heard[-1].detail
    assert any(record.exc_info for record in caplog.records)


def test_a_batch_that_fails_with_a_bug_is_reported_and_ends_the_turn(store):
    # Text SQLite cannot encode (a lone surrogate) makes the batch fail with a
    # UnicodeEncodeError, which used to be ignored: later batches went on failing unseen.
    history = HistoryService(store)
    saver = _saver(store, history)

    async def run() -> list[StorageError]:
        heard = await _heard_after(history, lambda: saver.append("broken \ud800 text"))
        with pytest.raises(StorageError):
            saver.append(" more")
        return heard

    heard = asyncio.run(run())

    assert [error.kind for error in heard] == ["bug"]
    assert "UnicodeEncodeError" in heard[0].detail


def test_a_reply_without_usage_from_its_server_gets_an_estimate_marked_so(store):
    history = HistoryService(store)
    saver = _saver(
        store,
        history,
        estimate=lambda answer, reasoning: Usage(10, len(answer), estimated=True),
    )

    async def run():
        saver.append("twelve chars")
        return saver.finish(MessageStatus.COMPLETE, None)

    finished = asyncio.run(run())
    store.wait_written(10)
    stored = store.get_message(finished.id)

    assert finished.usage == Usage(10, 12, estimated=True)
    assert stored.usage == Usage(10, 12, estimated=True)


def test_usage_the_server_reported_is_kept_not_estimated(store):
    history = HistoryService(store)
    saver = _saver(store, history, estimate=lambda *_: Usage(1, 1, estimated=True))

    async def run():
        saver.append("text")
        saver.usage = Usage(5, 6)
        return saver.finish(MessageStatus.COMPLETE, None)

    assert asyncio.run(run()).usage == Usage(5, 6)
