"""How a reply ended, through the real SDKs against the wire server: each wire's reason
for stopping a reply short arrives in Finished after the text received, and maps to the
fact the reply keeps (domain/reply_end.py)."""

from __future__ import annotations

import pytest

from desktopchat.domain.reply_end import EndKind, reply_end
from desktopchat.domain.types import GenerationSettings
from desktopchat.providers.base import Finished, SourceCited, TextDelta, WebSearched
from tests.wire_script import WireSource

CASES = [
    ("openai", "length", EndKind.CUT_AT_LIMIT),
    ("openrouter", "length", EndKind.CUT_AT_LIMIT),
    ("openai", "content_filter", EndKind.FILTERED),
    ("anthropic", "max_tokens", EndKind.CUT_AT_LIMIT),
    ("anthropic", "pause_turn", EndKind.PAUSED),
    ("anthropic", "refusal", EndKind.FILTERED),
    ("anthropic", "model_context_window_exceeded", EndKind.CUT_AT_CONTEXT),
    ("openai", "stop", None),
    ("anthropic", "end_turn", None),
]


@pytest.mark.parametrize(("preset", "reason", "kind"), CASES)
def test_the_reason_arrives_after_the_text_and_maps(driver, wire_server, preset, reason, kind):
    wire_server.reply.text = "The answer stops in the mid"
    wire_server.reply.finish_reason = reason
    settings = GenerationSettings(model="claude-sonnet-4-5", max_tokens=512)
    events = driver.events(preset, settings)

    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert text == "The answer stops in the mid"  # what arrived is all kept
    assert events[-1] == Finished(reason)
    end = reply_end(events[-1].reason, settings.max_tokens)
    assert (end.kind if end else None) is kind
    if kind is EndKind.CUT_AT_LIMIT:
        assert end.limit == 512
    sent = wire_server.last_request.body
    assert sent.get("max_tokens", sent.get("max_completion_tokens")) == 512


def test_a_search_paused_by_claude_keeps_its_sources_and_says_paused(driver, wire_server):
    """pause_turn comes with Claude's server tools: a long web search stopped mid-turn."""
    wire_server.reply.sources = (WireSource("https://example.org/a", "A page"),)
    wire_server.reply.web_searches = 1
    wire_server.reply.finish_reason = "pause_turn"
    settings = GenerationSettings(model="claude-sonnet-4-5", web_search=True)
    events = driver.events("anthropic", settings)

    assert any(isinstance(e, SourceCited) for e in events)
    assert WebSearched(1) in events
    assert reply_end(events[-1].reason).kind is EndKind.PAUSED
