"""Usage is a ledger (DESIGN.md §3): what replies spent stays counted when they or their
conversation are deleted; a reply whose server reports no usage is counted with an
estimate, marked so; providers are named, never shown by id."""

from __future__ import annotations

import asyncio
import math

import pytest

from desktopchat.services.usage import UsageService
from tests.services.test_context_actions import Setup


@pytest.fixture
def setup(store, wire_server):
    return Setup(store, wire_server)


def _summary(setup):
    """The summary once every reply's final save is written (it is queued, not awaited)."""
    assert setup.store.wait_written(10)
    return asyncio.run(setup.usage.summary())


def _figures(summary):
    total = summary.total
    return (total.replies, total.input_tokens, total.output_tokens, total.cost, total.unpriced)


def test_deleting_a_conversation_leaves_the_totals_as_they_were(setup):
    kept, deleted = setup.conversation(), setup.conversation(model="gpt-4o-mini")
    asyncio.run(setup.say(kept.id, "a"))
    asyncio.run(setup.say(deleted.id, "b"))
    asyncio.run(setup.say(deleted.id, "c"))
    before = _summary(setup)
    assert before.total.replies == 3

    setup.store.delete_conversation(deleted.id).result()

    after = _summary(setup)
    assert _figures(after) == _figures(before)
    assert after.by_model["openai", "gpt-4o-mini"].replies == 2
    assert asyncio.run(setup.usage.conversation_total(deleted.id)).replies == 2


def test_deleting_a_reply_leaves_the_totals_as_they_were(setup):
    conversation = setup.conversation()
    asyncio.run(setup.say(conversation.id, "a"))
    before = _summary(setup)
    asked = setup.store.thread(conversation.id).messages[0]

    asyncio.run(setup.history.delete_from(conversation.id, asked.id))

    assert not setup.store.thread(conversation.id).messages
    assert _figures(_summary(setup)) == _figures(before)


def test_a_server_that_reports_no_usage_is_counted_with_an_estimate(setup, wire_server):
    # llama.cpp and LM Studio send no usage: such replies never appeared in View → Usage.
    wire_server.reply.usage = "never"
    conversation = setup.conversation(system_prompt="Be brief.")
    asyncio.run(setup.say(conversation.id, "How long is a piece of string?"))

    setup.store.wait_written(10)
    usage = setup.store.thread(conversation.id).messages[-1].usage
    assert usage is not None and usage.estimated
    sent = "Be brief." + "How long is a piece of string?"
    assert usage.input_tokens == math.ceil(len("Be brief.") / 4) + math.ceil(
        len("How long is a piece of string?") / 4
    ), sent
    assert usage.output_tokens == math.ceil(len(wire_server.reply.text) / 4)
    assert usage.cost is not None, "gpt-4o has a price: the estimate is priced"
    summary = _summary(setup)
    assert (summary.total.replies, summary.total.estimated) == (1, 1)


def test_reported_usage_is_not_marked_estimated(setup):
    conversation = setup.conversation()
    asyncio.run(setup.say(conversation.id, "Hi"))
    assert not setup.store.thread(conversation.id).messages[-1].usage.estimated
    assert _summary(setup).total.estimated == 0


def test_the_summary_names_providers_by_their_display_name(setup):
    conversation = setup.conversation()
    asyncio.run(setup.say(conversation.id, "Hi"))
    names = {"openai": "OpenAI"}
    usage = UsageService(setup.history, names.get)
    assert asyncio.run(usage.summary()).provider_names == {"openai": "OpenAI"}
    gone = UsageService(setup.history, lambda _provider: None)
    assert asyncio.run(gone.summary()).provider_names == {"openai": None}
