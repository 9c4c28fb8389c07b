"""Every task has an owner (DESIGN.md §5): it cancels and drains its tasks, reports their
bugs, drops a read that came after the history closed, and a dialog's end when it closes."""

from __future__ import annotations

import asyncio
import sys

from desktopchat.services.history import HistoryClosed
from desktopchat.ui.support.asyncutils import Tasks


def test_aclose_cancels_what_runs_and_waits_until_it_has_ended():
    ended = []

    async def work(name):
        try:
            await asyncio.sleep(60)
        finally:
            await asyncio.sleep(0.01)  # cleaning up takes a turn or two
            ended.append(name)

    async def scenario():
        tasks = Tasks()
        tasks.spawn(work("a"))
        tasks.spawn(work("b"))
        await asyncio.sleep(0)
        assert tasks.running() == 2
        await tasks.aclose()
        assert sorted(ended) == ["a", "b"]
        assert tasks.running() == 0

    asyncio.run(scenario())


def test_a_write_started_to_finish_is_waited_for_never_cancelled():
    done = []

    async def save_draft():
        await asyncio.sleep(0.05)
        done.append("saved")

    async def scenario():
        tasks = Tasks()
        tasks.spawn(save_draft(), finish=True)
        tasks.cancel()
        await tasks.aclose()
        assert done == ["saved"]

    asyncio.run(scenario())


def test_after_aclose_new_work_never_starts():
    started = []

    async def work():
        started.append(True)

    async def scenario():
        tasks = Tasks()
        await tasks.aclose()
        task = tasks.spawn(work())
        await asyncio.sleep(0)
        assert task.cancelled()
        assert started == []

    asyncio.run(scenario())


def test_bugs_go_to_the_excepthook_cancellation_and_a_closed_history_do_not(monkeypatch):
    reported = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, tb: reported.append(error))

    async def bug():
        raise ValueError("a bug")

    async def late_read():
        raise HistoryClosed

    async def forever():
        await asyncio.sleep(60)

    async def scenario():
        tasks = Tasks()
        tasks.spawn(bug())
        tasks.spawn(late_read())
        tasks.spawn(forever())
        await asyncio.sleep(0.01)
        await tasks.aclose()

    asyncio.run(scenario())
    assert [type(error) for error in reported] == [ValueError]


def test_an_adopted_owner_is_cancelled_and_drained_with_its_parent():
    ended = []

    async def work():
        try:
            await asyncio.sleep(60)
        finally:
            ended.append(True)

    async def scenario():
        window = Tasks()
        dialog = window.adopt(Tasks())
        dialog.spawn(work())
        await asyncio.sleep(0)
        assert window.running() == 1
        await window.aclose()
        assert ended == [True]
        assert dialog.closed

    asyncio.run(scenario())


def test_cancel_ends_what_runs_and_takes_new_work():
    async def scenario():
        tasks = Tasks()
        first = tasks.spawn(asyncio.sleep(60))
        await asyncio.sleep(0)
        tasks.cancel()
        await asyncio.sleep(0)
        assert first.cancelled()
        second = tasks.spawn(asyncio.sleep(0, result="again"))
        assert await second == "again"

    asyncio.run(scenario())


def test_aclose_from_one_of_its_own_tasks_does_not_wait_for_itself():
    async def scenario():
        tasks = Tasks()

        async def quit_from_inside():
            await tasks.aclose()
            return "closed"

        assert await asyncio.wait_for(tasks.spawn(quit_from_inside()), 2) == "closed"

    asyncio.run(scenario())


def test_aclose_gives_up_on_a_task_that_will_not_end_after_its_timeout():
    stop = asyncio.Event()

    async def stubborn():
        while not stop.is_set():
            try:
                await asyncio.sleep(0.02)
            except asyncio.CancelledError:
                continue  # a bug: it will not stop

    async def scenario():
        tasks = Tasks()
        task = tasks.spawn(stubborn())
        await asyncio.sleep(0)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await tasks.aclose(0.2)
        assert 0.15 < loop.time() - started < 2
        assert not task.done()
        stop.set()
        await task

    asyncio.run(scenario())
