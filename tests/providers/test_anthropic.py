"""The Anthropic adapter, through the real `anthropic` SDK, against the wire server."""

from __future__ import annotations

import pytest

from desktopchat.domain.errors import ErrorKind
from desktopchat.domain.types import ChatTurn, GenerationSettings, Role, Usage
from desktopchat.providers.base import Finished, ParameterDropped, TextDelta, UsageReport
from tests.providers.conftest import TEST_KEY
from tests.wire_server import ModelSpec

CLAUDE = GenerationSettings(model="claude-test")


def text_of(events) -> str:
    return "".join(event.text for event in events if isinstance(event, TextDelta))


def test_streams_text_usage_and_stop_reason(driver, wire_server):
    events = driver.events("anthropic", CLAUDE)
    assert text_of(events) == wire_server.reply.text
    assert events[-2:] == [UsageReport(Usage(12, 7, cached_tokens=0)), Finished("end_turn")]
    assert wire_server.last_request.path == "/v1/messages"


def test_the_installed_sdk_sends_the_key_as_bearer(driver, wire_server):
    """anthropic 2.12 with api_key= sends `Authorization: Bearer`, no `x-api-key`."""
    driver.events("anthropic", CLAUDE)
    sent = wire_server.last_request
    assert sent.header("authorization") == f"Bearer {TEST_KEY}"
    assert sent.header("x-api-key") is None
    assert sent.header("anthropic-version")


def test_system_prompt_is_a_parameter_and_max_tokens_is_always_sent(driver, wire_server):
    turns = (ChatTurn(Role.USER, "one"), ChatTurn(Role.ASSISTANT, "two"), ChatTurn(Role.USER, "3"))
    settings = GenerationSettings(model="claude-test", system_prompt="Be brief.", max_tokens=77)
    driver.events("anthropic", settings, turns=turns)
    body = wire_server.last_request.body
    assert body["system"] == "Be brief."
    assert body["max_tokens"] == 77
    assert body["messages"] == [
        {"role": "user", "content": "one"},
        {"role": "assistant", "content": "two"},
        {"role": "user", "content": "3"},
    ]


def test_no_system_and_no_temperature_unless_set(driver, wire_server):
    driver.events("anthropic", CLAUDE)
    body = wire_server.last_request.body
    assert "system" not in body
    assert "temperature" not in body


@pytest.mark.parametrize(("asked", "sent"), [(1.7, 1.0), (-0.5, 0.0), (0.4, 0.4)])
def test_temperature_travels_in_extra_body_clamped_to_one(driver, wire_server, asked, sent):
    driver.events("anthropic", GenerationSettings(model="claude-3-5-haiku", temperature=asked))
    assert wire_server.last_request.body["temperature"] == sent


def test_deprecated_temperature_is_dropped_and_the_request_sent_again(driver, wire_server):
    wire_server.reply.reject_temperature = True
    events = driver.events("anthropic", GenerationSettings(model="claude-new", temperature=0.4))
    first, second = wire_server.requests
    assert first.body["temperature"] == 0.4
    assert "temperature" not in second.body
    assert events[0] == ParameterDropped(
        "temperature", "`temperature` is deprecated for this model."
    )
    assert text_of(events) == wire_server.reply.text


def test_thinking_is_not_part_of_the_reply(driver, wire_server):
    wire_server.reply.reasoning = "Considering the options."
    events = driver.events("anthropic", CLAUDE)
    assert text_of(events) == wire_server.reply.text


def test_stop_reason_is_passed_on(driver, wire_server):
    wire_server.reply.finish_reason = "max_tokens"
    assert driver.events("anthropic", CLAUDE)[-1] == Finished("max_tokens")


def test_list_models_uses_display_names_and_context(driver, wire_server):
    wire_server.models = [
        ModelSpec("claude-sonnet-9", name="Claude Sonnet 9", context_length=1_000_000),
        ModelSpec("claude-haiku-9", name="Claude Haiku 9"),
    ]
    models = driver.models("anthropic")
    assert [(m.id, m.label, m.context_length) for m in models] == [
        ("claude-haiku-9", "Claude Haiku 9", None),
        ("claude-sonnet-9", "Claude Sonnet 9", 1_000_000),
    ]
    assert wire_server.last_request.path == "/v1/models"


def test_missing_key_is_reported_before_any_request(driver, wire_server):
    assert driver.error("anthropic", key=None).kind is ErrorKind.NO_KEY
    assert wire_server.requests == []


def test_environment_is_never_used(driver, wire_server, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env-must-not-be-sent-000")
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "sk-ant-env-token-000000000000")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/env-base")
    monkeypatch.setenv(
        "ANTHROPIC_CUSTOM_HEADERS", "Authorization: Bearer sk-ant-env-custom-0000\nX-From-Env: yes"
    )
    driver.events("anthropic", CLAUDE)
    sent = wire_server.last_request
    assert sent.header("authorization") == f"Bearer {TEST_KEY}"
    assert sent.header("x-from-env") is None
    assert driver.error("anthropic", key=None).kind is ErrorKind.NO_KEY


def test_a_token_count_of_2_to_the_63_is_unknown_and_the_reply_whole(driver, wire_server):
    wire_server.reply.input_tokens = 2**63
    events = driver.events("anthropic", CLAUDE)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == wire_server.reply.text
    [report] = [event for event in events if isinstance(event, UsageReport)]
    assert report.usage.input_tokens is None and report.usage.output_tokens is not None
