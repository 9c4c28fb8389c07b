"""ChatService over the real store with a scripted provider: what is stored, in what order,
and what survives a failure or a cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import pytest

from desktopchat.domain.answer_allowance import REASONING_ROOM
from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import (
    ChatTurn,
    GenerationSettings,
    MessageStatus,
    ModelInfo,
    Role,
    Usage,
)
from desktopchat.providers.base import Finished, ParameterDropped, TextDelta, UsageReport
from desktopchat.services.chat import (
    ChatService,
    ConversationRetitled,
    ReplyDelta,
    ReplyFailed,
    ReplyFinished,
    ReplyNotice,
    ReplyStarted,
    UserMessageSaved,
    auto_title,
)
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.history import ConversationGone, HistoryService


class ScriptedProvider:
    """Yields a script of events; records what it was asked."""

    provider_id = "scripted"
    display_name = "Scripted"

    def __init__(self, script: Sequence[object], *, gate: asyncio.Event | None = None) -> None:
        self.script = list(script)
        self.gate = gate
        self.calls: list[tuple[list[ChatTurn], GenerationSettings]] = []

    async def list_models(self):
        return []

    async def stream(self, turns, settings) -> AsyncIterator[object]:
        self.calls.append((list(turns), settings))
        for index, event in enumerate(self.script):
            if self.gate is not None and index == len(self.script) // 2:
                await self.gate.wait()
            if isinstance(event, Exception):
                raise event
            yield event
            await asyncio.sleep(0)

    async def aclose(self) -> None:
        pass


def reply(*parts: str, usage: Usage | None = None) -> list[object]:
    events: list[object] = [TextDelta(p) for p in parts]
    if usage:
        events.append(UsageReport(usage))
    events.append(Finished("stop"))
    return events


def make_service(store, provider, **kwargs) -> ChatService:
    async def source(_provider_id: str):
        if isinstance(provider, ChatError):
            raise provider
        return provider

    return ChatService(HistoryService(store), source, **kwargs)


async def collect(events) -> list[object]:
    return [event async for event in events]


def new_conversation(store, **fields):
    defaults = {
        "provider": "scripted",
        "model": "m1",
        "temperature": 0.3,
        "system_prompt": "Be brief.",
    }
    return store.create_conversation(**{**defaults, **fields}).result()


def test_send_stores_both_turns_and_streams_deltas(store):
    provider = ScriptedProvider(reply("Hel", "lo", usage=Usage(5, 2)))
    conversation = new_conversation(store)
    events = asyncio.run(collect(make_service(store, provider).send(conversation.id, "Hi there")))

    kinds = [type(e) for e in events]
    assert kinds == [
        UserMessageSaved,
        ConversationRetitled,
        ReplyStarted,
        ReplyDelta,
        ReplyDelta,
        ReplyFinished,
    ]
    user, assistant = store.messages(conversation.id)
    assert (user.role, user.text) == (Role.USER, "Hi there")
    assert (assistant.role, assistant.text, assistant.status) == (
        Role.ASSISTANT,
        "Hello",
        MessageStatus.COMPLETE,
    )
    assert assistant.usage == Usage(5, 2)
    assert assistant.model == "m1"
    assert events[-1].message == assistant
    turns, settings = provider.calls[0]
    assert turns == [ChatTurn(Role.USER, "Hi there")]
    assert settings == GenerationSettings("m1", 0.3, 4096, "Be brief.")
    assert store.get_conversation(conversation.id).title == "Hi there"


def test_auto_title_takes_the_first_words_and_caps_the_length():
    assert auto_title("  one two\nthree  ") == "one two three"
    assert auto_title(" ".join(["word"] * 20)) == " ".join(["word"] * 8)
    long = auto_title("x" * 200)
    assert len(long) == 60 and long.endswith("…")


def test_a_titled_conversation_keeps_its_title(store):
    conversation = new_conversation(store, title="Mine")
    events = asyncio.run(
        collect(make_service(store, ScriptedProvider(reply("ok"))).send(conversation.id, "Hi"))
    )
    assert not any(isinstance(e, ConversationRetitled) for e in events)
    assert store.get_conversation(conversation.id).title == "Mine"


def test_provider_error_keeps_partial_text_and_marks_failed(store):
    error = ChatError(ErrorKind.CUT_STREAM, provider="Scripted")
    provider = ScriptedProvider([TextDelta("partial "), TextDelta("answer"), error])
    conversation = new_conversation(store)
    service = make_service(store, provider)
    events = asyncio.run(collect(service.send(conversation.id, "Question")))

    failed = events[-1]
    assert isinstance(failed, ReplyFailed)
    assert failed.error is error
    assert failed.message.text == "partial answer"
    assert failed.message.status is MessageStatus.FAILED
    assert failed.message.error is error
    store.wait_written()
    stored = store.messages(conversation.id)
    assert [m.text for m in stored] == ["Question", "partial answer"]
    assert stored[1].error == error  # its kind and details, to be worded when shown
    assert stored[1].error_text is None


def test_no_key_fails_the_reply_with_the_input_kept(store):
    conversation = new_conversation(store)
    service = make_service(store, ChatError(ErrorKind.NO_KEY, provider="OpenAI"))
    events = asyncio.run(collect(service.send(conversation.id, "Keep me")))
    assert isinstance(events[-1], ReplyFailed)
    assert events[-1].error.kind is ErrorKind.NO_KEY
    user, failed = store.messages(conversation.id)
    assert user.text == "Keep me"
    assert failed.status is MessageStatus.FAILED


def test_empty_reply_is_an_error(store):
    conversation = new_conversation(store)
    events = asyncio.run(
        collect(make_service(store, ScriptedProvider(reply())).send(conversation.id, "Hi"))
    )
    assert isinstance(events[-1], ReplyFailed)
    assert events[-1].error.kind is ErrorKind.EMPTY_REPLY


def test_parameter_dropped_is_a_notice_and_the_reply_goes_on(store):
    provider = ScriptedProvider([ParameterDropped("temperature", "not supported"), *reply("fine")])
    conversation = new_conversation(store)
    events = asyncio.run(collect(make_service(store, provider).send(conversation.id, "Hi")))
    notices = [e for e in events if isinstance(e, ReplyNotice)]
    assert [(n.parameter, n.reason) for n in notices] == [("temperature", "not supported")]
    assert isinstance(events[-1], ReplyFinished)


def test_cancelling_keeps_what_arrived_marked_interrupted(store):
    gate = asyncio.Event()
    provider = ScriptedProvider(reply("one ", "two ", "three ", "four"), gate=gate)
    conversation = new_conversation(store)
    service = make_service(store, provider)
    seen: list[object] = []

    async def scenario():
        async def consume():
            async for event in service.send(conversation.id, "Count"):
                seen.append(event)

        task = asyncio.create_task(consume())
        while sum(isinstance(e, ReplyDelta) for e in seen) < 2:
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    reply_message = store.messages(conversation.id)[-1]
    assert reply_message.status is MessageStatus.INTERRUPTED
    assert reply_message.text == "one two "


def test_streaming_text_is_saved_in_batches_before_the_end(store):
    """A crash mid-stream keeps what arrived: the row holds the text while still streaming."""
    gate = asyncio.Event()
    provider = ScriptedProvider(reply("a", "b", "c", "d"), gate=gate)
    conversation = new_conversation(store)
    service = make_service(store, provider, save_interval=0.0)
    snapshots: list[tuple[str, MessageStatus]] = []

    async def scenario():
        async for event in service.send(conversation.id, "Go"):
            if isinstance(event, ReplyDelta) and event.text == "b":
                for _ in range(200):  # the save before lands, then the one it held back
                    store.wait_written(5)
                    stored = store.get_message(event.message_id)
                    if stored.text == "ab":
                        break
                    await asyncio.sleep(0.01)
                snapshots.append((stored.text, stored.status))
                gate.set()

    asyncio.run(scenario())
    assert snapshots == [("ab", MessageStatus.STREAMING)]


def test_a_quiet_stream_still_saves_pending_text(store):
    """Text that arrived just before a long pause is saved by the timer, not only by the
    next delta."""
    gate = asyncio.Event()
    provider = ScriptedProvider(reply("x", "y"), gate=gate)
    conversation = new_conversation(store)
    service = make_service(store, provider, save_interval=0.01)
    seen: list[str] = []

    async def scenario():
        async def consume():
            async for event in service.send(conversation.id, "Go"):
                if isinstance(event, ReplyDelta):
                    seen.append(event.text)

        task = asyncio.create_task(consume())
        while not seen:
            await asyncio.sleep(0)
        message_id = store.messages(conversation.id)[-1].id
        for _ in range(200):
            store.wait_written(5)
            if store.get_message(message_id).text == "x":
                break
            await asyncio.sleep(0.01)
        text = store.get_message(message_id).text
        gate.set()
        await task
        return text

    assert asyncio.run(scenario()) == "x"


def test_regenerate_adds_a_sibling_and_keeps_the_first_reply(store):
    conversation = new_conversation(store)
    asyncio.run(
        collect(make_service(store, ScriptedProvider(reply("first"))).send(conversation.id, "Q"))
    )
    provider = ScriptedProvider(reply("second"))
    asyncio.run(collect(make_service(store, provider).regenerate(conversation.id)))
    assert [m.text for m in store.messages(conversation.id)] == ["Q", "first", "second"]
    thread = store.thread(conversation.id)
    assert [m.text for m in thread.messages] == ["Q", "second"]
    assert thread.position(thread.messages[-1].id) == (2, 2)
    assert provider.calls[0][0] == [ChatTurn(Role.USER, "Q")]


def test_failed_replies_are_not_sent_back_as_history(store):
    conversation = new_conversation(store)
    failing = ScriptedProvider([TextDelta("half"), ChatError(ErrorKind.CUT_STREAM)])
    asyncio.run(collect(make_service(store, failing).send(conversation.id, "Q1")))
    provider = ScriptedProvider(reply("ok"))
    asyncio.run(collect(make_service(store, provider).send(conversation.id, "Q2")))
    assert provider.calls[0][0] == [ChatTurn(Role.USER, "Q1"), ChatTurn(Role.USER, "Q2")]


def test_edit_and_resend_adds_a_branch_beside_the_edited_message(store):
    conversation = new_conversation(store)
    service = make_service(store, ScriptedProvider(reply("A1")))
    asyncio.run(collect(service.send(conversation.id, "Q1")))
    asyncio.run(
        collect(make_service(store, ScriptedProvider(reply("A2"))).send(conversation.id, "Q2"))
    )
    first_user = store.messages(conversation.id)[0]
    provider = ScriptedProvider(reply("B1"))
    events = asyncio.run(
        collect(
            make_service(store, provider).edit_and_resend(
                conversation.id, first_user.id, "Q1 edited"
            )
        )
    )
    assert isinstance(events[0], UserMessageSaved) and events[0].message.text == "Q1 edited"
    assert [m.text for m in store.thread(conversation.id).messages] == ["Q1 edited", "B1"]
    assert len(store.messages(conversation.id)) == 6, "the first branch stays"
    assert provider.calls[0][0] == [ChatTurn(Role.USER, "Q1 edited")]


def test_edit_refuses_an_assistant_message(store):
    conversation = new_conversation(store)
    asyncio.run(
        collect(make_service(store, ScriptedProvider(reply("A"))).send(conversation.id, "Q"))
    )
    assistant = store.messages(conversation.id)[-1]
    with pytest.raises(ValueError):
        asyncio.run(
            collect(
                make_service(store, ScriptedProvider(reply("x"))).edit_and_resend(
                    conversation.id, assistant.id, "no"
                )
            )
        )


def test_sending_into_a_deleted_conversation_sends_nothing(store):
    """Another instance deleted it: the service says so before the question leaves."""
    conversation = new_conversation(store)
    store.delete_conversation(conversation.id).result()
    provider = ScriptedProvider(reply("never"))

    with pytest.raises(ConversationGone):
        asyncio.run(collect(make_service(store, provider).send(conversation.id, "lost?")))
    assert provider.calls == []
    assert store.messages(conversation.id) == []


@pytest.mark.parametrize(
    ("provider_id", "model", "answer", "limit", "sent"),
    [
        ("openai", "gpt-4.1", None, None, 4096),  # the app's setting
        ("openai", "gpt-5", None, None, 4096 + REASONING_ROOM),  # room to reason
        ("openrouter", "openai/o3", 1000, None, 1000),  # the person's own choice, as set
        ("openai", "gpt-5", None, 16_000, 16_000),  # never past the model's own limit
        ("anthropic", "claude-sonnet-4-5", None, None, 4096),  # thinking has its own budget
    ],
)
def test_the_request_allows_the_answer_and_room_to_reason(
    store, provider_id, model, answer, limit, sent
):
    provider = ScriptedProvider(reply("Done"))
    conversation = new_conversation(store, provider=provider_id, model=model)
    if answer is not None:
        store.update_conversation(conversation.id, max_tokens=answer).result()
    limits = ContextLimits(lambda _p, model: ModelInfo(model, max_output_tokens=limit))
    service = make_service(store, provider, context=limits)
    asyncio.run(collect(service.send(conversation.id, "Think hard")))
    ((_turns, settings),) = provider.calls
    assert settings.max_tokens == sent
