"""A read that comes after the history closed is refused quietly (HistoryClosed), never
SQLite's "Cannot operate on a closed database": the app's last tasks can lose that race."""

from __future__ import annotations

import asyncio
import threading

import pytest

from desktopchat.services.history import HistoryClosed, HistoryService
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore


@pytest.fixture
def history():
    db, problem = open_database(None)
    assert problem is None
    return HistoryService(ConversationStore(db))


def test_a_read_after_close_is_refused_with_history_closed(history):
    async def scenario():
        await history.close(1.0)
        with pytest.raises(HistoryClosed):
            await history.conversations()
        with pytest.raises(HistoryClosed):
            await history.last_page(1, 2)

    asyncio.run(scenario())


def test_a_read_queued_when_close_begins_is_refused_and_the_one_under_way_ends_first(history):
    """The read thread is busy when the app quits; a read queued behind it must not run
    on the closed connection, and the one under way finishes before it closes."""
    gate = threading.Event()

    def busy() -> str:
        gate.wait(5)
        return "finished"

    async def scenario():
        under_way = asyncio.ensure_future(history.read(busy))
        queued = asyncio.ensure_future(history.conversations())
        await asyncio.sleep(0.05)
        closing = asyncio.ensure_future(history.close(1.0))
        await asyncio.sleep(0.05)
        assert not closing.done(), "the history closes only once the read under way ended"
        gate.set()
        assert await closing == []
        assert await under_way == "finished"
        with pytest.raises(HistoryClosed):
            await queued

    asyncio.run(scenario())


def test_a_read_that_meets_the_closed_connection_says_history_closed(history):
    """Even a read that gets past the check and finds SQLite closed under it."""

    def read_closed():
        history.store.close(1.0)
        history._closed = True  # as close() sets it, while this read was under way
        return history.store.list_conversations(None)

    async def scenario():
        with pytest.raises(HistoryClosed):
            await history.read(read_closed)

    asyncio.run(scenario())
