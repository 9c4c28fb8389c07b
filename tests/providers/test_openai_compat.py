"""The OpenAI-compatible adapter, through the real `openai` SDK, against the wire server."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.domain.errors import ErrorKind
from desktopchat.domain.presets import APP_URL, PRESETS, custom_preset
from desktopchat.domain.types import ChatTurn, GenerationSettings, Role, Usage
from desktopchat.providers.base import Finished, ParameterDropped, TextDelta, UsageReport
from tests.providers.conftest import TEST_KEY
from tests.wire_server import Fault, ModelSpec

USAGE = Usage(12, 7, reasoning_tokens=0, cached_tokens=0)
"""What the wire server reports by default, details included."""
OPENAI_PRESETS = [preset.id for preset in PRESETS if preset.sdk == "openai"]


def text_of(events) -> str:
    return "".join(event.text for event in events if isinstance(event, TextDelta))


@pytest.mark.parametrize("preset_id", OPENAI_PRESETS)
def test_every_preset_streams_a_reply(driver, wire_server, preset_id):
    events = driver.events(preset_id)
    preset = driver.preset(preset_id)
    assert text_of(events) == wire_server.reply.text
    assert events[-1] == Finished("stop")
    sent = wire_server.last_request
    assert sent.path == preset.base_url.removeprefix(wire_server.url).rstrip("/") + (
        "/chat/completions"
    )
    assert sent.body["stream"] is True
    assert sent.body["model"] == "wire-large"


@pytest.mark.parametrize("preset_id", OPENAI_PRESETS)
def test_include_usage_is_sent_only_where_the_preset_allows(driver, wire_server, preset_id):
    events = driver.events(preset_id)
    preset = driver.preset(preset_id)
    sent = wire_server.last_request.body
    if preset.include_usage:
        assert sent["stream_options"] == {"include_usage": True}
        assert UsageReport(USAGE) in events
    else:
        assert "stream_options" not in sent
        assert not any(isinstance(event, UsageReport) for event in events)


def test_mistral_never_gets_stream_options(driver, wire_server):
    driver.events("mistral", GenerationSettings(model="mistral-large-latest", temperature=0.3))
    assert "stream_options" not in wire_server.last_request.body


def test_usage_that_comes_without_asking_is_read(driver, wire_server):
    wire_server.reply.usage = "always"
    events = driver.events("mistral")
    assert events[-2:] == [UsageReport(USAGE), Finished("stop")]


def test_no_usage_is_not_an_error(driver, wire_server):
    wire_server.reply.usage = "never"
    events = driver.events("openai")
    assert not any(isinstance(event, UsageReport) for event in events)
    assert events[-1] == Finished("stop")


def test_the_key_is_sent_as_bearer(driver, wire_server):
    driver.events("groq")
    assert wire_server.last_request.header("authorization") == f"Bearer {TEST_KEY}"


@pytest.mark.parametrize(("preset_id", "dummy"), [("lmstudio", "lm-studio"), ("ollama", "ollama")])
def test_local_servers_get_their_dummy_key(driver, wire_server, preset_id, dummy):
    driver.events(preset_id, key=None)
    assert wire_server.last_request.header("authorization") == f"Bearer {dummy}"


def test_a_custom_endpoint_without_key_gets_a_dummy_one(driver, wire_server):
    preset = custom_preset("mine", "My server", wire_server.openai_url, has_key=False)
    driver.events(preset, key=None)
    assert wire_server.last_request.header("authorization") == "Bearer no-key"


def test_a_service_that_needs_a_key_and_has_none(driver, wire_server):
    error = driver.error("openai", key=None)
    assert error.kind is ErrorKind.NO_KEY
    assert error.provider == "OpenAI"
    assert wire_server.requests == []


def test_openrouter_sends_its_attribution_headers(driver, wire_server):
    wire_server.reply.openrouter_comments = 3
    events = driver.events("openrouter")
    sent = wire_server.last_request
    assert sent.header("http-referer") == APP_URL
    assert sent.header("x-openrouter-title") == "DesktopChat"
    assert text_of(events) == wire_server.reply.text


def test_system_prompt_goes_first_and_turns_follow_in_order(driver, wire_server):
    turns = (
        ChatTurn(Role.USER, "one"),
        ChatTurn(Role.ASSISTANT, "two"),
        ChatTurn(Role.USER, "three"),
    )
    settings = GenerationSettings(model="wire-large", system_prompt="Be brief.")
    driver.events("openai", settings, turns=turns)
    assert wire_server.last_request.body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "one"},
        {"role": "assistant", "content": "two"},
        {"role": "user", "content": "three"},
    ]


def test_a_blank_system_prompt_is_not_sent(driver, wire_server):
    driver.events("openai", GenerationSettings(model="wire-large", system_prompt="  "))
    assert [m["role"] for m in wire_server.last_request.body["messages"]] == ["user"]


@pytest.mark.parametrize(("asked", "sent"), [(3.5, 2.0), (-1.0, 0.0), (0.7, 0.7)])
def test_temperature_is_clamped_to_the_preset_range(driver, wire_server, asked, sent):
    driver.events("groq", GenerationSettings(model="llama", temperature=asked, max_tokens=99))
    body = wire_server.last_request.body
    assert body["temperature"] == sent
    assert body["max_tokens"] == 99
    assert "max_completion_tokens" not in body


def test_no_temperature_is_sent_unless_set(driver, wire_server):
    driver.events("openai", GenerationSettings(model="gpt-4o"))
    assert "temperature" not in wire_server.last_request.body


@pytest.mark.parametrize("model", ["o1", "o3-mini", "o4-mini-2025-04-16", "gpt-5", "gpt-5.1"])
def test_openai_reasoning_models_get_max_completion_tokens_and_no_temperature(
    driver, wire_server, model
):
    settings = GenerationSettings(model=model, temperature=0.5, max_tokens=321)
    events = driver.events("openai", settings)
    body = wire_server.last_request.body
    assert body["max_completion_tokens"] == 321
    assert "max_tokens" not in body
    assert "temperature" not in body
    assert isinstance(events[0], ParameterDropped) and events[0].name == "temperature"
    assert len(wire_server.requests) == 1


def test_openai_models_reached_through_openrouter_get_no_temperature(driver, wire_server):
    events = driver.events("openrouter", GenerationSettings(model="openai/o3-mini", temperature=1))
    body = wire_server.last_request.body
    assert "temperature" not in body
    assert body["max_tokens"] == 4096
    assert isinstance(events[0], ParameterDropped)


def test_reasoning_rules_do_not_apply_to_other_services(driver, wire_server):
    driver.events("groq", GenerationSettings(model="o3-lookalike", temperature=0.5))
    body = wire_server.last_request.body
    assert body["temperature"] == 0.5
    assert "max_tokens" in body


def test_a_refused_temperature_is_dropped_and_the_request_sent_again(driver, wire_server):
    wire_server.reply.reject_temperature = True
    events = driver.events("openai", GenerationSettings(model="gpt-4.1", temperature=0.7))
    first, second = wire_server.requests
    assert first.body["temperature"] == 0.7
    assert "temperature" not in second.body
    assert isinstance(events[0], ParameterDropped)
    assert events[0].name == "temperature"
    assert "temperature" in events[0].reason
    assert text_of(events) == wire_server.reply.text


def test_other_bad_requests_are_not_retried_without_temperature(driver, wire_server):
    wire_server.queue(Fault.http(400, "messages: must not be empty"))
    settings = GenerationSettings(model="gpt-4.1", temperature=0.7)
    events, error = driver.until_error("openai", settings)
    assert events == []
    assert error.kind is ErrorKind.BAD_REQUEST
    assert len(wire_server.requests) == 1


def test_deepseek_reasoning_content_is_not_part_of_the_reply(driver, wire_server):
    wire_server.reply.reasoning = "First, I consider the question."
    events = driver.events("deepseek", GenerationSettings(model="deepseek-reasoner"))
    assert text_of(events) == wire_server.reply.text


def test_finish_reason_is_passed_on(driver, wire_server):
    wire_server.reply.finish_reason = "length"
    assert driver.events("openai")[-1] == Finished("length")


def test_list_models_reads_ids_owners_and_context_lengths(driver, wire_server):
    wire_server.models = [
        ModelSpec("z-model", owned_by="zed"),
        ModelSpec("openai/gpt-4o", name="OpenAI: GPT-4o", context_length=128_000),
        ModelSpec("anthropic/claude", name="Anthropic: Claude", context_length=200_000),
    ]
    models = driver.models("openrouter")
    assert [model.label for model in models] == ["Anthropic: Claude", "OpenAI: GPT-4o", "z-model"]
    assert models[1].context_length == 128_000
    assert models[2].owned_by == "zed"
    assert models[2].context_length is None
    assert wire_server.last_request.path == "/api/v1/models"


def test_one_client_per_provider_until_aclose(driver, wire_server):
    async def reply(provider):
        async for _event in provider.stream((), GenerationSettings(model="m")):
            pass

    async def scenario():
        provider = driver.provider("openai")
        await reply(provider)
        await reply(provider)
        await provider.aclose()
        await reply(provider)  # a new client after aclose
        await provider.aclose()

    asyncio.run(scenario())
    first, second, third = (request.client_port for request in wire_server.requests)
    assert first == second
    assert third != first


def test_environment_is_never_used(driver, wire_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-must-not-be-sent-0000000000")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/env-base")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_from_env")
    monkeypatch.setenv("OPENAI_ADMIN_KEY", "sk-admin-from-env-000000000")
    monkeypatch.setenv(
        "OPENAI_CUSTOM_HEADERS", "Authorization: Bearer sk-env-custom-00000\nX-From-Env: yes"
    )
    driver.events("lmstudio", key=None)
    sent = wire_server.last_request
    assert sent.path == "/v1/chat/completions"  # the wire server, not OPENAI_BASE_URL
    assert sent.header("authorization") == "Bearer lm-studio"
    for header in ("openai-organization", "openai-project", "x-from-env"):
        assert sent.header(header) is None
    assert "env" not in repr(sent.headers)
    assert driver.error("openai", key=None).kind is ErrorKind.NO_KEY


@pytest.mark.parametrize("huge", [2**63, 2**64 + 5, 10**400])
def test_a_token_count_or_cost_out_of_any_range_is_unknown_and_the_reply_whole(
    driver, wire_server, huge
):
    """A count of 2^63 overflowed SQLite and the footer, and the reply was lost; a cost of
    309 digits was shown. Out of range is read as unknown; the text is all there."""
    wire_server.reply.usage = "always"
    wire_server.reply.input_tokens = huge
    wire_server.reply.output_tokens = 5
    wire_server.reply.cost = 1e308
    events = driver.events("openrouter")
    assert text_of(events) == wire_server.reply.text
    [report] = [event for event in events if isinstance(event, UsageReport)]
    assert report.usage.input_tokens is None and report.usage.output_tokens == 5
    assert report.usage.cost is None
    assert events[-1] == Finished("stop")


def test_the_conversation_is_not_walked_by_the_sdks_transform(driver, wire_server, monkeypatch):
    """The SDK's typed transform costs ~1 ms a message on the loop, every request, and our
    messages are already in wire form: they are sent as they are (P4), and arrive whole."""
    from openai.resources.chat.completions import completions

    walked: list[int] = []
    transform = completions.async_maybe_transform

    async def counting(data, *args, **kwargs):
        if isinstance(data, dict):
            walked.append(len(data.get("messages") or []))
        return await transform(data, *args, **kwargs)

    monkeypatch.setattr(completions, "async_maybe_transform", counting)
    turns = tuple(
        ChatTurn(Role.USER if i % 2 == 0 else Role.ASSISTANT, f"turn {i}") for i in range(21)
    )
    events = driver.events("openai", GenerationSettings(model="wire-large"), turns=turns)
    assert text_of(events) == wire_server.reply.text
    assert walked == [0]
    assert wire_server.last_request.body["messages"] == [
        {"role": turn.role.value, "content": turn.text} for turn in turns
    ]
