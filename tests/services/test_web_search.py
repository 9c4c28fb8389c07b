"""Web search from the conversation's toggle to the stored reply, with the real SDKs
against the wire server: the toggle applies to the next message, sources are stored with
the reply, and the searches are added to its cost where the service does not report it."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.domain.types import Usage
from desktopchat.domain.web_search import Citation, SearchWay
from desktopchat.services.chat import ChatService
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.pricing import COST_REPORTED
from tests.services.test_context_actions import Setup
from tests.wire_script import WireSource

SOURCES = (
    WireSource("https://example.org/rain", "Rain in Paris", "It rained on Tuesday."),
    WireSource("https://example.org/rain", "The same page again", "Twice cited."),
    WireSource("https://example.com/sun", "Sunny days"),
)


class SearchSetup(Setup):
    def __init__(self, store, server) -> None:
        super().__init__(store, server)
        self.chat = ChatService(
            self.history,
            self.provider,
            price=self.pricing.priced,
            web_search_price=self.pricing.web_search_price,
            context=ContextLimits(max_tokens=lambda: 100),
        )


@pytest.fixture
def setup(store, wire_server):
    return SearchSetup(store, wire_server)


def _toggle(setup, conversation_id, on):
    """The toggle as the window calls it, on the loop."""

    async def toggle():
        setup.chat.set_web_search(conversation_id, on)

    asyncio.run(toggle())


def _reply(setup, conversation_id):
    assert setup.store.wait_written(10)
    return setup.store.thread(conversation_id).messages[-1]


def _token_cost(setup, provider, model, reply):
    return setup.pricing.priced(Usage(reply.input_tokens, reply.output_tokens), provider, model)


def test_anthropic_reply_keeps_its_sources_and_pays_for_its_searches(setup, wire_server):
    wire_server.reply.sources, wire_server.reply.web_searches = SOURCES, 3
    conversation = setup.conversation("anthropic", "claude-sonnet-4-5")
    _toggle(setup, conversation.id, True)
    asyncio.run(setup.say(conversation.id, "Will it rain?"))

    assert wire_server.last_request.body["tools"][0]["name"] == "web_search"
    stored = _reply(setup, conversation.id)
    assert stored.web_search.searches == 3
    assert stored.web_search.sources == (
        Citation("Rain in Paris", "https://example.org/rain", "It rained on Tuesday."),
        Citation("Sunny days", "https://example.com/sun", "A passage of the page."),
    )
    tokens = _token_cost(setup, "anthropic", "claude-sonnet-4-5", wire_server.reply)
    assert stored.usage.cost == pytest.approx(tokens.cost + 3 * 10 / 1000)
    assert stored.usage.cost_source == tokens.cost_source


def test_the_toggle_applies_to_the_next_message_only(setup, wire_server):
    conversation = setup.conversation("anthropic", "claude-sonnet-4-5")
    asyncio.run(setup.say(conversation.id, "First"))
    assert "tools" not in wire_server.last_request.body
    _toggle(setup, conversation.id, True)
    asyncio.run(setup.say(conversation.id, "Second"))
    assert wire_server.last_request.body["tools"][0]["type"] == "web_search_20250305"
    _toggle(setup, conversation.id, False)
    asyncio.run(setup.say(conversation.id, "Third"))
    assert "tools" not in wire_server.last_request.body
    first, _second, third = setup.store.thread(conversation.id).messages[1::2]
    assert first.web_search.empty and third.web_search.empty


def test_openrouter_reported_cost_is_kept_as_it_is(setup, wire_server):
    wire_server.reply.sources, wire_server.reply.cost = SOURCES, 0.0123
    wire_server.reply.usage = "always"
    conversation = setup.conversation("openrouter", "openai/gpt-4o", web_search=True)
    asyncio.run(setup.say(conversation.id, "News?"))

    assert wire_server.last_request.body["plugins"] == [{"id": "web"}]
    stored = _reply(setup, conversation.id)
    assert [s.url for s in stored.web_search.sources] == [
        "https://example.org/rain",
        "https://example.com/sun",
    ]
    assert (stored.usage.cost, stored.usage.cost_source) == (0.0123, COST_REPORTED)


def test_openai_search_model_pays_one_search_at_the_table_price(setup, wire_server):
    wire_server.reply.sources = SOURCES[:1]
    conversation = setup.conversation("openai", "gpt-4o-search-preview", web_search=True)
    asyncio.run(setup.say(conversation.id, "Today?"))

    assert wire_server.last_request.body["web_search_options"] == {}
    stored = _reply(setup, conversation.id)
    assert stored.web_search.searches == 1
    tokens = _token_cost(setup, "openai", "gpt-4o-search-preview", wire_server.reply)
    assert stored.usage.cost == pytest.approx(tokens.cost + 35 / 1000)


def test_a_model_that_cannot_search_is_asked_nothing(setup, wire_server):
    conversation = setup.conversation("openai", "gpt-4o", web_search=True)
    asyncio.run(setup.say(conversation.id, "Hi"))
    body = wire_server.last_request.body
    assert "web_search_options" not in body and "plugins" not in body and "tools" not in body
    assert _reply(setup, conversation.id).web_search.empty


@pytest.mark.parametrize(
    ("provider", "model", "way"),
    [
        ("anthropic", "claude-sonnet-4-5-20250929", SearchWay.ANTHROPIC_TOOL),
        ("anthropic", "claude-3-5-haiku-latest", SearchWay.ANTHROPIC_TOOL),
        ("anthropic", "claude-3-haiku-20240307", None),
        ("openai", "gpt-5-search-api", SearchWay.OPENAI_SEARCH_MODEL),
        ("openai", "gpt-4o", None),
        ("openrouter", "meta-llama/llama-3.3-70b-instruct", SearchWay.OPENROUTER_PLUGIN),
        ("groq", "llama-3.3-70b-versatile", None),
        ("custom-1", "gpt-4o-search-preview", None),
    ],
)
def test_which_models_can_search(provider, model, way):
    assert ChatService.web_search_way(provider, model) is way
