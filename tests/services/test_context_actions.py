"""Reasoning, cost, leaving out old turns and summarising, from the chat service to the
store, with the real SDKs against the wire server."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.domain.errors import ErrorKind
from desktopchat.domain.presets import get_preset, with_base_url
from desktopchat.domain.types import MessageStatus, ModelInfo, Role
from desktopchat.providers.anthropic import AnthropicProvider
from desktopchat.providers.openai_compat import OpenAICompatProvider
from desktopchat.services.chat import ChatService, ReplyFailed, SendRefused, UserMessageSaved
from desktopchat.services.context import SHORTENED_MARK, SUMMARY_INSTRUCTION, SummaryWontFit
from desktopchat.services.context_actions import ContextService
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.history import HistoryService
from desktopchat.services.pricing import Pricing, read_bundled_catalog
from desktopchat.services.usage import UsageService
from tests.wire_server import Fault

KEY = "sk-test-0123456789abcdefghijklmnop"


class Setup:
    """A chat service, its history and the context actions, over one wire server."""

    def __init__(self, store, server, window: int | None = None) -> None:
        self.store, self.server = store, server
        self.history = HistoryService(store)
        catalog = read_bundled_catalog()
        self.pricing = Pricing(lambda: catalog)
        limits = ContextLimits(
            lambda _provider, model: ModelInfo(model, context_length=window), lambda: 100
        )
        self.chat = ChatService(
            self.history,
            self.provider,
            price=self.pricing.priced,
            context=limits,
        )
        self.context = ContextService(self.history, self.provider, limits)
        self.usage = UsageService(self.history)

    async def provider(self, provider_id: str):
        preset = get_preset(provider_id)
        url = self.server.url + ("" if preset.sdk == "anthropic" else "/v1")
        adapter = AnthropicProvider if preset.sdk == "anthropic" else OpenAICompatProvider
        return adapter(with_base_url(preset, url), KEY, max_retries=0)

    def conversation(self, provider="openai", model="gpt-4o", **fields):
        made = self.store.create_conversation(provider=provider, model=model).result()
        if fields:
            self.store.update_conversation(made.id, **fields).result()
        return made

    async def say(self, conversation_id: int, text: str) -> list:
        return [event async for event in self.chat.send(conversation_id, text)]


@pytest.fixture
def setup(store, wire_server):
    return Setup(store, wire_server)


def test_a_reply_keeps_its_reasoning_served_model_and_cost(setup, wire_server):
    reply = wire_server.reply
    reply.reasoning, reply.reasoning_form = "Let me see.", "think"
    reply.served_model, reply.cached_tokens, reply.reasoning_tokens = "gpt-4o-2024-08-06", 4, 3
    conversation = setup.conversation()
    asyncio.run(setup.say(conversation.id, "Hi"))
    stored = setup.store.thread(conversation.id).messages[-1]
    assert (stored.text, stored.reasoning.text) == (reply.text, "Let me see.")
    assert stored.served_model == "gpt-4o-2024-08-06"
    usage = stored.usage
    assert (usage.input_tokens, usage.output_tokens, usage.cached_tokens) == (12, 7, 4)
    assert usage.reasoning_tokens == 3
    assert usage.cost == pytest.approx((8 * 2.5 + 4 * 1.25 + 7 * 10.0) / 1e6)
    assert usage.cost_source == "table 2025-11-24"
    sent = wire_server.last_request.body["messages"]
    assert sent == [{"role": "user", "content": "Hi"}]


def test_reasoning_is_never_sent_back_but_signed_thinking_is(setup, wire_server):
    wire_server.reply.reasoning, wire_server.reply.signature = "Hmm.", "sig-9"
    conversation = setup.conversation("anthropic", "claude-test", thinking_budget=2000)
    asyncio.run(setup.say(conversation.id, "One"))
    asyncio.run(setup.say(conversation.id, "Two"))
    first_reply = wire_server.last_request.body["messages"][1]
    assert first_reply["content"][0] == {
        "type": "thinking",
        "thinking": "Hmm.",
        "signature": "sig-9",
    }
    deepseek = setup.conversation("deepseek", "deepseek-reasoner")
    wire_server.reply.signature = ""
    asyncio.run(setup.say(deepseek.id, "One"))
    asyncio.run(setup.say(deepseek.id, "Two"))
    assert wire_server.last_request.body["messages"][1] == {
        "role": "assistant",
        "content": wire_server.reply.text,
    }


def test_an_unknown_price_leaves_the_cost_unknown(setup, wire_server):
    conversation = setup.conversation("openrouter", "who/knows")
    wire_server.reply.usage = "always"
    asyncio.run(setup.say(conversation.id, "Hi"))
    usage = setup.store.thread(conversation.id).messages[-1].usage
    assert usage.input_tokens == 12 and usage.cost is None
    summary = asyncio.run(setup.usage.summary())
    assert summary.total.unpriced == 1 and not summary.total.cost_known


def test_usage_adds_up_by_day_provider_and_model(setup, wire_server):
    first, second = setup.conversation(), setup.conversation(model="gpt-4o-mini")
    asyncio.run(setup.say(first.id, "a"))
    asyncio.run(setup.say(first.id, "b"))
    asyncio.run(setup.say(second.id, "c"))
    summary = asyncio.run(setup.usage.summary())
    assert summary.total.replies == 3 and summary.total.tokens == 3 * 19
    assert list(summary.by_provider) == ["openai"]
    assert summary.by_model["openai", "gpt-4o"].replies == 2
    assert summary.by_model["openai", "gpt-4o-mini"].cost == pytest.approx(
        (12 * 0.15 + 7 * 0.6) / 1e6
    )
    assert len(summary.by_day) == 1 and summary.total.cost_known
    total = asyncio.run(setup.usage.conversation_total(first.id))
    assert (total.replies, total.input_tokens) == (2, 24)


def fill(setup, wire_server, conversation_id: int, turns: int) -> None:
    wire_server.reply.text = "r" * 400
    for n in range(turns):
        asyncio.run(setup.say(conversation_id, f"q{n} " + "x" * 400))


def test_leaving_out_the_oldest_turns_keeps_them_but_stops_sending_them(store, wire_server):
    setup = Setup(store, wire_server, window=500)
    wire_server.reply.usage = "never"
    conversation = setup.conversation()
    fill(setup, wire_server, conversation.id, 3)
    draft = "y" * 400
    before = asyncio.run(setup.context.estimate(conversation.id, draft))
    assert before.warn and not before.fits and before.window == 500
    left_out = asyncio.run(setup.context.leave_out_oldest(conversation.id, draft))
    thread = store.thread(conversation.id)
    assert [m.id for m in thread.messages if m.left_out] == left_out
    assert len(left_out) == 4, "two whole turns"
    assert asyncio.run(setup.context.estimate(conversation.id, draft)).fits
    asyncio.run(setup.say(conversation.id, draft))
    sent = wire_server.last_request.body["messages"]
    assert [m["content"][:2] for m in sent if m["role"] == "user"] == ["q2", "yy"]
    assert len(store.thread(conversation.id).messages) == 8, "nothing deleted"


def test_summarise_and_continue_starts_a_conversation_from_the_summary(store, wire_server):
    setup = Setup(store, wire_server, window=100_000)
    old = setup.conversation(system_prompt="Be brief.", max_tokens=321)
    fill(setup, wire_server, old.id, 2)
    wire_server.reply.text = "We discussed q0 and q1."
    new = asyncio.run(setup.context.summarise_and_continue(old.id, "Continued", "Sum it up."))
    asked = wire_server.last_request.body
    assert asked["messages"][-1]["content"].endswith(SUMMARY_INSTRUCTION)
    assert asked["messages"][-1]["role"] == "user"
    stored = store.get_conversation(new.id)
    assert (stored.continues, stored.max_tokens, stored.title) == (old.id, 321, "Continued")
    assert stored.system_prompt == "Be brief."
    assert (stored.provider, stored.model) == ("openai", "gpt-4o")
    opening = store.thread(new.id).messages
    assert [(m.role, m.text) for m in opening] == [
        (Role.USER, "Sum it up."),
        (Role.ASSISTANT, "We discussed q0 and q1."),
    ], "the summary is a turn the person sees, and the model gets it as one"
    assert len(store.thread(old.id).messages) == 4, "the old conversation stays as it was"
    asyncio.run(setup.say(new.id, "Go on"))
    sent = [m["content"] for m in wire_server.last_request.body["messages"]]
    assert sent == ["Be brief.", "Sum it up.", "We discussed q0 and q1.", "Go on"]


def test_a_small_model_summarises_as_much_as_fits(store, wire_server):
    large = Setup(store, wire_server, window=100_000)
    old = large.conversation()
    wire_server.reply.usage = "never"
    wire_server.reply.text = "r" * 1200
    for n in range(3):
        asyncio.run(large.say(old.id, f"q{n} " + "x" * 1200))
    setup = Setup(store, wire_server, window=600)
    wire_server.reply.text = "Short summary."
    asyncio.run(setup.context.summarise_and_continue(old.id, "Continued", "Sum it up."))
    asked = wire_server.last_request.body
    text = " ".join(m["content"] for m in asked["messages"])
    assert "r" * 1200 in text, "the newest reply whole"
    assert SHORTENED_MARK + "\n" + "x" * 200 in text, "the question before it shortened"
    assert "4 oldest messages" in text and "left out" in text
    assert len(text) / 4 <= 600 - asked["max_tokens"], "the request and the summary fit"
    assert asked["max_tokens"] == 150


def test_a_summary_that_cannot_fit_is_refused_before_asking(store, wire_server):
    setup = Setup(store, wire_server, window=100)
    old = setup.conversation(system_prompt="s" * 400)
    store.add_message(old.id, Role.USER, "Hello").result()
    before = len(wire_server.requests)
    try:
        asyncio.run(setup.context.summarise_and_continue(old.id, "Continued", "Sum it up."))
    except SummaryWontFit as refused:
        assert refused.window == 100
    else:
        raise AssertionError("a summary that cannot fit was asked for")
    assert len(wire_server.requests) == before


def test_a_message_over_the_window_is_refused_before_it_leaves(store, wire_server):
    setup = Setup(store, wire_server, window=2048)
    conversation = setup.conversation()
    asyncio.run(setup.say(conversation.id, "Hi there"))
    before = len(wire_server.requests)
    paste = "p" * 14_000
    events = asyncio.run(setup.say(conversation.id, paste))
    assert [type(e) for e in events] == [SendRefused]
    refused = events[0]
    assert refused.text == paste and refused.estimate.window == 2048
    assert refused.estimate.tokens > 3_500
    assert len(wire_server.requests) == before, "nothing sent"
    assert len(store.thread(conversation.id).messages) == 2, "nothing stored"


def test_a_cut_with_nothing_received_near_the_window_names_the_context(store, wire_server):
    setup = Setup(store, wire_server, window=2048)
    conversation = setup.conversation("lmstudio", "wire-small")
    wire_server.queue(Fault.cut(after=0))
    events = asyncio.run(setup.say(conversation.id, "p" * 7_000))
    failed = events[-1]
    assert isinstance(failed, ReplyFailed) and isinstance(events[0], UserMessageSaved)
    assert failed.error.kind is ErrorKind.CUT_OVER_CONTEXT
    words = failed.error.message
    assert "2,048-token context" in words and "~1,750 tokens" in words
    assert "part received" not in words
    stored = store.thread(conversation.id).messages[-1]
    assert stored.status is MessageStatus.FAILED and stored.error == failed.error
    wire_server.queue(Fault.cut(after=0))
    far = asyncio.run(setup.say(setup.conversation("lmstudio", "wire-small").id, "Hi"))[-1]
    assert far.error.kind is ErrorKind.CUT_BEFORE_REPLY
    assert "part received" not in far.error.message


def test_the_default_answer_length_stays_within_the_models_limit(store, wire_server):
    history = HistoryService(store)

    async def provider(_provider_id):
        preset = with_base_url(get_preset("openai"), wire_server.openai_url)
        return OpenAICompatProvider(preset, KEY, max_retries=0)

    limits = ContextLimits(
        lambda _provider, model: ModelInfo(model, max_output_tokens=16_384), lambda: 50_000
    )
    chat = ChatService(history, provider, context=limits)
    conversation = store.create_conversation(provider="openai", model="gpt-4o").result()
    asyncio.run(collect(chat.send(conversation.id, "Hi")))
    assert wire_server.last_request.body["max_tokens"] == 16_384
    store.update_conversation(conversation.id, max_tokens=60_000).result()
    asyncio.run(collect(chat.send(conversation.id, "Again")))
    assert wire_server.last_request.body["max_tokens"] == 60_000, "the person's own choice"


async def collect(events) -> list:
    return [event async for event in events]
