"""One question to several models at once: replies stream side by side as siblings, one
failing or stopped leaves the others, and the person picks the branch to go on with."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import ChatTurn, MessageStatus, Role
from desktopchat.providers.base import TextDelta
from desktopchat.services.chat import ReplyDelta, ReplyFailed, ReplyFinished
from desktopchat.services.history import HistoryService
from tests.services.test_chat import ScriptedProvider, new_conversation, reply
from tests.services.test_chat_concurrent import service_for


async def _consume(stream, seen: list[str]) -> object:
    last = None
    async with aclosing(stream):
        async for event in stream:
            if isinstance(event, ReplyDelta):
                seen.append(event.text)
            last = event
    return last


def test_three_models_answer_side_by_side_and_one_failing_stops_none_of_the_others(store):
    gate = asyncio.Event()
    providers = {
        "local": ScriptedProvider(reply("l1 ", "l2 ", "l3"), gate=gate),
        "cloud": ScriptedProvider(reply("c1 ", "c2 ", "c3"), gate=gate),
        "broken": ScriptedProvider(
            [TextDelta("b1 "), TextDelta("b2 "), ChatError(ErrorKind.CUT_STREAM)], gate=gate
        ),
    }
    conversation = new_conversation(store, provider="local", model="small")
    service = service_for(store, providers)
    seen: list[str] = []

    async def scenario():
        comparison = await service.compare(
            conversation.id,
            "Which is best?",
            [("local", "small"), ("cloud", "large"), ("broken", "flaky")],
        )
        tasks = [asyncio.create_task(_consume(r, seen)) for r in comparison.replies]
        while not {"b1 ", "c1 ", "l1 "} <= set(seen):  # every column streams at once:
            await asyncio.sleep(0)  # each waits at the gate until all have started
        gate.set()
        return comparison, await asyncio.gather(*tasks)

    comparison, ends = asyncio.run(scenario())

    assert [type(end) for end in ends] == [ReplyFinished, ReplyFinished, ReplyFailed]
    assert ends[2].message.text == "b1 b2 " and ends[2].error.kind is ErrorKind.CUT_STREAM
    for provider in providers.values():
        assert provider.calls[0][0] == [ChatTurn(Role.USER, "Which is best?")]
    store.wait_written(5)
    replies = [m for m in store.messages(conversation.id) if m.role is Role.ASSISTANT]
    assert [(m.provider, m.model, m.text, m.status) for m in replies] == [
        ("local", "small", "l1 l2 l3", MessageStatus.COMPLETE),
        ("cloud", "large", "c1 c2 c3", MessageStatus.COMPLETE),
        ("broken", "flaky", "b1 b2 ", MessageStatus.FAILED),
    ]
    assert all(m.parent_id == comparison.question.id for m in replies)
    assert comparison.retitled is not None and comparison.retitled.title == "Which is best?"

    async def pick():
        return await HistoryService(store).show_branch_of(conversation.id, replies[1].id)

    chosen = asyncio.run(pick())
    assert [m.text for m in chosen.messages] == ["Which is best?", "c1 c2 c3"]
    assert chosen.position(replies[1].id) == (2, 3)


def test_stopping_one_column_keeps_its_text_interrupted_and_the_others_go_on(store):
    gate = asyncio.Event()
    providers = {
        "a": ScriptedProvider(reply("a1 ", "a2 ", "a3 ", "a4"), gate=gate),
        "b": ScriptedProvider(reply("b1 ", "b2 ", "b3 ", "b4"), gate=gate),
    }
    conversation = new_conversation(store, provider="a")
    service = service_for(store, providers)

    async def scenario():
        comparison = await service.compare(conversation.id, "Q", [("a", "m"), ("b", "m")])
        seen_a: list[str] = []
        seen_b: list[str] = []
        first = asyncio.create_task(_consume(comparison.replies[0], seen_a))
        second = asyncio.create_task(_consume(comparison.replies[1], seen_b))
        while not seen_a or not seen_b:
            await asyncio.sleep(0)
        first.cancel()
        gate.set()
        await asyncio.gather(first, return_exceptions=True)
        return await second

    end = asyncio.run(scenario())

    assert isinstance(end, ReplyFinished) and end.message.text == "b1 b2 b3 b4"
    store.wait_written(5)
    stopped = next(m for m in store.messages(conversation.id) if m.provider == "a")
    assert stopped.status is MessageStatus.INTERRUPTED
    assert stopped.text.startswith("a1 ")
    assert service.take_stopped_reply(conversation.id) is None, "not the main view's reply"
