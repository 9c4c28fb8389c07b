"""Web search through the provider's own search, through the real SDKs against the wire
server: the request each provider wants (Anthropic's server tool, OpenRouter's plugin, an
OpenAI search model's web_search_options), the cited sources streamed back as events, and
the searches counted."""

from __future__ import annotations

import pytest

from desktopchat.domain.types import GenerationSettings
from desktopchat.domain.web_search import Citation
from desktopchat.providers.base import Finished, SourceCited, TextDelta, WebSearched
from desktopchat.providers.tool_wire import anthropic_tools
from tests.providers.test_tool_calls import TOOLS
from tests.wire_script import WireSource

SOURCES = (
    WireSource("https://example.org/rain", "Rain in Paris", "It rained on Tuesday."),
    WireSource("https://example.com/sun", "Sunny days"),
)
MODELS = {
    "anthropic": "claude-sonnet-4-5",
    "openai": "gpt-4o-search-preview",
    "openrouter": "openai/gpt-4o",
}


def searching(preset: str, **options) -> GenerationSettings:
    return GenerationSettings(model=MODELS[preset], web_search=True, **options)


def test_anthropic_offers_its_server_tool(driver, wire_server):
    driver.events("anthropic", searching("anthropic"))
    tools = wire_server.last_request.body["tools"]
    assert tools == [{"type": "web_search_20250305", "name": "web_search", "max_uses": 5}]
    driver.events("anthropic", GenerationSettings(model=MODELS["anthropic"]))
    assert "tools" not in wire_server.last_request.body


def test_anthropic_search_goes_with_mcp_tools(driver, wire_server):
    driver.events("anthropic", searching("anthropic", tools=TOOLS))
    tools = wire_server.last_request.body["tools"]
    assert tools[:-1] == anthropic_tools(TOOLS)
    assert tools[-1]["type"] == "web_search_20250305"


def test_openrouter_asks_for_its_web_plugin(driver, wire_server):
    driver.events("openrouter", searching("openrouter"))
    body = wire_server.last_request.body
    assert body["plugins"] == [{"id": "web"}]
    assert "web_search_options" not in body
    driver.events("openrouter", GenerationSettings(model=MODELS["openrouter"]))
    assert "plugins" not in wire_server.last_request.body


def test_openrouter_plugin_sits_beside_reasoning(driver, wire_server):
    driver.events("openrouter", searching("openrouter", reasoning_effort="high"))
    body = wire_server.last_request.body
    assert body["plugins"] == [{"id": "web"}]
    assert body["reasoning"] == {"effort": "high"}


def test_openai_search_model_gets_web_search_options(driver, wire_server):
    driver.events("openai", searching("openai"))
    body = wire_server.last_request.body
    assert body["web_search_options"] == {}
    assert "plugins" not in body


def test_a_model_that_cannot_search_is_sent_nothing(driver, wire_server):
    """The service never sets web_search for one, and the adapter adds nothing anyway."""
    driver.events("openai", GenerationSettings(model="gpt-4o", web_search=True))
    body = wire_server.last_request.body
    assert "web_search_options" not in body and "plugins" not in body


@pytest.mark.parametrize("preset", ["openai", "openrouter"])
def test_url_citations_become_sources(driver, wire_server, preset):
    wire_server.reply.sources = SOURCES
    events = driver.events(preset, searching(preset))
    cited = [e.citation for e in events if isinstance(e, SourceCited)]
    assert cited == [
        Citation("Rain in Paris", "https://example.org/rain"),
        Citation("Sunny days", "https://example.com/sun"),
    ]
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == wire_server.reply.text
    assert isinstance(events[-1], Finished)


def test_openai_search_model_counts_one_search_per_request(driver, wire_server):
    events = driver.events("openai", searching("openai"))
    assert [e for e in events if isinstance(e, WebSearched)] == [WebSearched(1)]
    events = driver.events("openrouter", searching("openrouter"))
    assert not [e for e in events if isinstance(e, WebSearched)]  # its cost is reported


def test_anthropic_citations_and_search_count(driver, wire_server):
    wire_server.reply.sources = SOURCES
    wire_server.reply.web_searches = 2
    events = driver.events("anthropic", searching("anthropic"))
    cited = [e.citation for e in events if isinstance(e, SourceCited)]
    assert cited == [
        Citation("Rain in Paris", "https://example.org/rain", "It rained on Tuesday."),
        Citation("Sunny days", "https://example.com/sun", "A passage of the page."),
    ]
    assert WebSearched(2) in events
    # the server tool's blocks are the service's own work: no text, no tool call
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == wire_server.reply.text
    assert events[-1] == Finished("end_turn")


@pytest.mark.parametrize("preset", ["openai", "anthropic"])
def test_hostile_sources_are_cleaned_or_dropped(driver, wire_server, preset):
    wire_server.reply.sources = (
        WireSource("javascript:alert(1)", "<b>Click</b>\n<script>x</script>"),
        WireSource("", "No address at all"),
        WireSource("https://example.org/" + "a" * 5000, "t" * 5000),
    )
    events = driver.events(preset, searching(preset))
    cited = [e.citation for e in events if isinstance(e, SourceCited)]
    assert len(cited) == 2
    assert cited[0].url == "javascript:alert(1)"  # kept as text; never opened (see the UI)
    assert cited[0].title == "<b>Click</b> <script>x</script>"  # one line, not markup
    assert len(cited[1].url) == 2048 and len(cited[1].title) == 300
