"""Regenerate, an edit resent and a compare are judged against the model's context window
as a send is (issue 18): a request surely over it is refused before anything is stored or
sent. The window comes from the wire server's own model list, through the real registry,
and the replies from the real SDK."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.domain.types import MessageStatus, Role
from desktopchat.services.chat import (
    ChatService,
    CompareRefused,
    ReplyFailed,
    ReplyFinished,
    ResendRefused,
    UserMessageSaved,
)
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.history import HistoryService
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import CustomEndpoint, Preferences
from tests.wire_formats import ModelSpec
from tests.wire_script import Fault

LLAMA = "custom-llama"
PASTE = "p" * 14_000
"""~3,500 tokens: sent to LARGE, surely over SMALL's window."""
SMALL, LARGE = "small.gguf", "large.gguf"


class Setup:
    def __init__(self, store, wire_server, memory_keyring) -> None:
        self.store, self.server = store, wire_server
        wire_server.models = [
            ModelSpec(SMALL, context_length=2048),
            ModelSpec(LARGE, context_length=200_000),
        ]
        prefs = Preferences(
            custom_endpoints=[CustomEndpoint(LLAMA, "llama.cpp", f"{wire_server.url}/v1")]
        )
        registry = ProviderRegistry(KeyStore(backend=memory_keyring, environ={}), lambda: prefs)
        # One loop for the whole test: the registry keeps its SDK clients between turns.
        self.loop = asyncio.new_event_loop()
        self.wait(registry.models(LLAMA))
        limits = ContextLimits(registry.model_info, lambda: 100, registry.learn_window)
        self.chat = ChatService(HistoryService(store), registry.provider, context=limits)

    def conversation(self, model: str) -> int:
        return self.store.create_conversation(provider=LLAMA, model=model).result().id

    def use(self, conversation_id: int, model: str) -> None:
        self.store.update_conversation(conversation_id, model=model).result()

    def chats_sent(self) -> int:
        return sum(1 for r in self.server.requests if r.path.endswith("/chat/completions"))

    def messages(self, conversation_id: int) -> list:
        """Every message of the conversation, every branch."""
        thread = self.store.thread(conversation_id)
        return [*thread.messages] + [s for siblings in thread.siblings.values() for s in siblings]

    def wait(self, work):
        return self.loop.run_until_complete(work)

    def run(self, events) -> list:
        async def collect() -> list:
            return [event async for event in events]

        return self.wait(collect())


@pytest.fixture
def setup(store, wire_server, memory_keyring):
    made = Setup(store, wire_server, memory_keyring)
    yield made
    made.loop.close()


def test_regenerate_over_the_window_is_refused_and_changes_nothing(setup, store):
    conversation = setup.conversation(LARGE)
    assert isinstance(setup.run(setup.chat.send(conversation, PASTE))[-1], ReplyFinished)
    setup.use(conversation, SMALL)
    before, sent = store.thread(conversation).messages, setup.chats_sent()
    events = setup.run(setup.chat.regenerate(conversation))
    assert [type(e) for e in events] == [ResendRefused]
    refused = events[0]
    assert refused.conversation_id == conversation and refused.model == SMALL
    assert refused.estimate.window == 2048 and refused.estimate.tokens > 3_000
    assert not refused.estimate.sendable
    assert setup.chats_sent() == sent, "nothing sent"
    after = store.thread(conversation)
    assert after.messages == before and not any(after.siblings.values()), "no new branch"


def test_a_refused_retry_keeps_the_failed_reply(setup, store, wire_server):
    conversation = setup.conversation(LARGE)
    wire_server.queue(Fault.context_too_long())
    failed = setup.run(setup.chat.send(conversation, PASTE))[-1]
    assert isinstance(failed, ReplyFailed)
    setup.use(conversation, SMALL)
    events = setup.run(setup.chat.regenerate(conversation, failed.message.id))
    assert [type(e) for e in events] == [ResendRefused]
    last = store.thread(conversation).messages[-1]
    assert last.id == failed.message.id and last.status is MessageStatus.FAILED


def test_regenerate_that_fits_still_goes(setup, store):
    conversation = setup.conversation(SMALL)
    setup.run(setup.chat.send(conversation, "Hi"))
    events = setup.run(setup.chat.regenerate(conversation))
    assert isinstance(events[-1], ReplyFinished)
    assert len(store.thread(conversation).siblings) == 1, "the old reply is a branch"


def test_an_edit_over_the_window_is_refused_and_stores_nothing(setup, store):
    conversation = setup.conversation(SMALL)
    setup.run(setup.chat.send(conversation, "Hi"))
    question = store.thread(conversation).messages[0]
    before, sent = setup.messages(conversation), setup.chats_sent()
    events = setup.run(setup.chat.edit_and_resend(conversation, question.id, PASTE))
    assert [type(e) for e in events] == [ResendRefused]
    assert events[0].estimate.window == 2048
    assert setup.chats_sent() == sent and setup.messages(conversation) == before
    events = setup.run(setup.chat.edit_and_resend(conversation, question.id, "Hello"))
    assert isinstance(events[0], UserMessageSaved) and isinstance(events[-1], ReplyFinished)


def test_compare_refuses_only_the_model_without_room(setup, store):
    conversation = setup.conversation(LARGE)
    comparison = setup.wait(
        setup.chat.compare(conversation, PASTE, [(LLAMA, SMALL), (LLAMA, LARGE)])
    )
    small, large = (setup.run(reply) for reply in comparison.replies)
    assert [type(e) for e in small] == [ResendRefused]
    assert small[0].model == SMALL and small[0].estimate.window == 2048
    assert isinstance(large[-1], ReplyFinished) and large[-1].message.model == LARGE
    assert setup.chats_sent() == 1, "only the model with room was asked"
    messages = store.thread(conversation).messages
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]


def test_compare_with_no_model_with_room_stores_nothing(setup, store):
    conversation = setup.conversation(SMALL)
    with pytest.raises(CompareRefused) as refused:
        setup.wait(setup.chat.compare(conversation, PASTE, [(LLAMA, SMALL), (LLAMA, SMALL)]))
    assert [r.model for r in refused.value.refusals] == [SMALL, SMALL]
    assert setup.chats_sent() == 0 and not store.thread(conversation).messages
