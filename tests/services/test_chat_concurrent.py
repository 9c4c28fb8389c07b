"""ChatService running turns of several conversations at once, and a turn closed between two
events (how the window stops one) saved as interrupted at once, not by the garbage
collector."""

from __future__ import annotations

import asyncio

from desktopchat.domain.types import MessageStatus
from desktopchat.services.chat import ChatService, ReplyDelta, ReplyFinished
from desktopchat.services.history import HistoryService
from tests.services.test_chat import ScriptedProvider, new_conversation, reply


def service_for(store, providers: dict[str, ScriptedProvider]) -> ChatService:
    async def source(provider_id: str):
        return providers[provider_id]

    return ChatService(HistoryService(store), source)


def test_two_conversations_stream_at_once_each_with_its_own_reply(store):
    gate = asyncio.Event()
    providers = {
        "first": ScriptedProvider(reply("a1 ", "a2 ", "a3 ", "a4"), gate=gate),
        "second": ScriptedProvider(reply("b1 ", "b2 ", "b3 ", "b4"), gate=gate),
    }
    first = new_conversation(store, provider="first")
    second = new_conversation(store, provider="second")
    service = service_for(store, providers)
    seen: dict[int, list[object]] = {first.id: [], second.id: []}

    async def scenario():
        async def consume(conversation_id: int):
            async for event in service.send(conversation_id, "Count"):
                seen[conversation_id].append(event)

        tasks = {c: asyncio.create_task(consume(c)) for c in seen}
        while any(sum(isinstance(e, ReplyDelta) for e in events) < 2 for events in seen.values()):
            await asyncio.sleep(0)
        # Both wait at the gate, half-way through their replies.
        assert service.streaming_reply(first.id).text == "a1 a2 "
        assert service.streaming_reply(second.id).text == "b1 b2 "

        tasks[first.id].cancel()
        await asyncio.gather(tasks[first.id], return_exceptions=True)
        assert service.streaming_reply(first.id) is None
        assert service.take_stopped_reply(first.id).text == "a1 a2 "
        assert service.take_stopped_reply(first.id) is None  # told once
        assert service.streaming_reply(second.id).text == "b1 b2 "

        gate.set()
        await tasks[second.id]

    asyncio.run(scenario())
    assert isinstance(seen[second.id][-1], ReplyFinished)
    assert service.take_stopped_reply(second.id) is None
    store.wait_written(5)
    stopped, finished = store.messages(first.id)[-1], store.messages(second.id)[-1]
    assert (stopped.status, stopped.text) == (MessageStatus.INTERRUPTED, "a1 a2 ")
    assert (finished.status, finished.text) == (MessageStatus.COMPLETE, "b1 b2 b3 b4")


def test_a_turn_closed_between_two_events_is_interrupted_before_the_close_returns(store):
    """The window stops a fast turn while it has the loop (between two events): the turn is
    closed at its outermost `yield`, and the reply inside must be closed with it, or at quit
    the history closes first and the reply stays `streaming`."""
    provider = ScriptedProvider(reply("one ", "two ", "three ", "four"))
    conversation = new_conversation(store, provider="scripted")
    service = service_for(store, {"scripted": provider})

    async def scenario():
        events = service.send(conversation.id, "Count")
        deltas = 0
        async for event in events:
            deltas += isinstance(event, ReplyDelta)
            if deltas == 2:
                break
        await events.aclose()
        # No loop turn in between: nothing left for a finalizer to do later.
        assert service.streaming_reply(conversation.id) is None
        assert service.take_stopped_reply(conversation.id).text == "one two "

    asyncio.run(scenario())
    store.wait_written(5)
    stopped = store.messages(conversation.id)[-1]
    assert (stopped.status, stopped.text) == (MessageStatus.INTERRUPTED, "one two ")
