"""Reasoning, the model that answered, usage details and reasoning parameters, in both wire
formats, through the real SDKs against the wire server."""

from __future__ import annotations

import pytest

from desktopchat.domain.types import ChatTurn, GenerationSettings, Reasoning, Role, Usage
from desktopchat.providers.base import (
    Finished,
    ParameterDropped,
    ReasoningDelta,
    ReasoningSigned,
    ServedModel,
    TextDelta,
    UsageReport,
)
from tests.wire_server import ModelSpec

THOUGHT = "First, the question. Then the answer."


def split(events) -> tuple[str, str]:
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    return reasoning, "".join(e.text for e in events if isinstance(e, TextDelta))


@pytest.mark.parametrize(
    ("preset_id", "form"),
    [
        ("deepseek", "reasoning_content"),
        ("qwen", "reasoning_content"),
        ("openrouter", "openrouter"),
        ("lmstudio", "think"),
        ("ollama", "think"),
    ],
)
def test_openai_compatible_reasoning_is_apart_from_the_text(driver, wire_server, preset_id, form):
    wire_server.reply.reasoning, wire_server.reply.reasoning_form = THOUGHT, form
    wire_server.reply.chunks = 7  # the think tags straddle chunks
    events = driver.events(preset_id)
    assert split(events) == (THOUGHT, wire_server.reply.text)
    first_text = next(i for i, e in enumerate(events) if isinstance(e, TextDelta))
    assert all(not isinstance(e, ReasoningDelta) for e in events[first_text:])


def test_think_tags_cut_anywhere_on_the_wire(driver, wire_server):
    wire_server.reply.pieces = ("<thi", "nk>Hm", "m.</th", "ink>", "\n\nYes", ".")
    assert split(driver.events("lmstudio")) == ("Hmm.", "Yes.")


def test_anthropic_thinking_and_its_signature(driver, wire_server):
    wire_server.reply.reasoning, wire_server.reply.signature = THOUGHT, "sig-abc=="
    events = driver.events("anthropic", GenerationSettings(model="claude-x", thinking_budget=2048))
    assert split(events) == (THOUGHT, wire_server.reply.text)
    assert ReasoningSigned("sig-abc==") in events
    sent = wire_server.last_request.body
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert sent["max_tokens"] > 2048


@pytest.mark.parametrize("preset_id", ["deepseek", "lmstudio", "anthropic"])
def test_a_reply_that_is_only_reasoning_is_not_an_error_here(driver, wire_server, preset_id):
    wire_server.reply.reasoning, wire_server.reply.text = THOUGHT, ""
    wire_server.reply.reasoning_form = "think" if preset_id == "lmstudio" else "reasoning_content"
    wire_server.reply.finish_reason = "max_tokens" if preset_id == "anthropic" else "length"
    events = driver.events(preset_id)
    assert split(events) == (THOUGHT, "")
    assert isinstance(events[-1], Finished)


def test_thinking_drops_the_temperature_and_says_so(driver, wire_server):
    settings = GenerationSettings(model="claude-x", temperature=0.5, thinking_budget=100)
    events = driver.events("anthropic", settings)
    assert isinstance(events[0], ParameterDropped) and events[0].name == "temperature"
    sent = wire_server.last_request.body
    assert "temperature" not in sent
    assert sent["thinking"]["budget_tokens"] == 1024, "raised to the API's smallest"


def test_signed_thinking_goes_back_only_while_thinking_is_on(driver, wire_server):
    signed = Reasoning("I thought.", signature="sig-1")
    turns = (
        ChatTurn(Role.USER, "Hi"),
        ChatTurn(Role.ASSISTANT, "Hello", signed_reasoning=signed),
        ChatTurn(Role.USER, "And?"),
    )
    thinking = GenerationSettings(model="claude-x", thinking_budget=2000)
    driver.events("anthropic", thinking, turns=turns)
    assert wire_server.last_request.body["messages"][1]["content"] == [
        {"type": "thinking", "thinking": "I thought.", "signature": "sig-1"},
        {"type": "text", "text": "Hello"},
    ]
    driver.events("anthropic", GenerationSettings(model="claude-x"), turns=turns)
    assert wire_server.last_request.body["messages"][1]["content"] == "Hello"
    driver.events("deepseek", GenerationSettings(model="deepseek-reasoner"), turns=turns)
    assert wire_server.last_request.body["messages"][1] == {"role": "assistant", "content": "Hello"}


@pytest.mark.parametrize("preset_id", ["openai", "anthropic"])
def test_the_model_that_answered_is_reported_once(driver, wire_server, preset_id):
    wire_server.reply.served_model = "wire-large-2026-01-01"
    events = driver.events(preset_id)
    assert [e for e in events if isinstance(e, ServedModel)] == [
        ServedModel("wire-large-2026-01-01")
    ]


def test_openai_usage_details_and_openrouter_cost(driver, wire_server):
    reply = wire_server.reply
    reply.reasoning_tokens, reply.cached_tokens, reply.cost = 5, 8, 0.0042
    events = driver.events("openrouter")
    usage = next(e.usage for e in events if isinstance(e, UsageReport))
    assert usage == Usage(12, 7, 5, 8, cost=0.0042, cost_source="reported")


def test_anthropic_cached_input_counts_in_the_input(driver, wire_server):
    wire_server.reply.cached_tokens = 100
    events = driver.events("anthropic", GenerationSettings(model="claude-x"))
    usage = next(e.usage for e in events if isinstance(e, UsageReport))
    assert (usage.input_tokens, usage.cached_tokens, usage.output_tokens) == (112, 100, 7)


def test_reasoning_effort_in_each_services_own_words(driver, wire_server):
    driver.events("openai", GenerationSettings(model="o3", reasoning_effort="high"))
    sent = wire_server.last_request.body
    assert sent["reasoning_effort"] == "high" and "max_completion_tokens" in sent
    driver.events("openrouter", GenerationSettings(model="openai/o3", reasoning_effort="low"))
    sent = wire_server.last_request.body
    assert sent["reasoning"] == {"effort": "low"} and "reasoning_effort" not in sent
    driver.events("openai", GenerationSettings(model="gpt-4o"))
    assert "reasoning_effort" not in wire_server.last_request.body


def test_openrouter_model_list_gives_prices_per_million_and_dates(driver, wire_server):
    wire_server.models = [
        ModelSpec(
            "openai/gpt-x",
            context_length=400_000,
            pricing={"prompt": "0.00000125", "completion": "0.00001"},
            input_modalities=("text", "image"),
            created=1_700_000_000,
        ),
        ModelSpec("odd/varies", pricing={"prompt": "-1", "completion": "abc"}),
    ]
    odd, gpt = driver.models("openrouter")
    assert (gpt.input_price, gpt.output_price, gpt.context_length) == (1.25, 10.0, 400_000)
    assert gpt.created == 1_700_000_000
    assert gpt.input_modalities == ("text", "image")
    assert (odd.input_price, odd.output_price) == (None, None)


def test_anthropic_model_list_gives_dates(driver, wire_server):
    wire_server.models = [ModelSpec("claude-x", context_length=200_000, created=1_700_000_000)]
    (model,) = driver.models("anthropic")
    assert (model.created, model.context_length) == (1_700_000_000, 200_000)
