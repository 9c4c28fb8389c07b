"""Tools in both wire formats, through the real SDKs against the wire server: offered,
streamed calls assembled (parallel ones too), calls and results sent back, and a server
that refuses tools answered by the same request without them."""

from __future__ import annotations

import json

import pytest

from desktopchat.domain.tool_calls import Decision, ToolCall, ToolCallStatus
from desktopchat.domain.tools import ToolOutput, ToolPart, ToolSpec
from desktopchat.domain.types import ChatTurn, GenerationSettings, Role
from desktopchat.providers.base import Finished, ParameterDropped, TextDelta, ToolCallRequested
from tests.wire_script import WireToolCall

SCHEMA = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
TOOLS = (
    ToolSpec("echo", "echo", "echo__echo", "Say the text back.", SCHEMA),
    ToolSpec("echo", "add", "echo__add", "Add.", {"type": "object", "properties": {}}),
)
PRESETS = ["openai", "anthropic"]
SETTINGS = {
    "openai": GenerationSettings(model="gpt-test", tools=TOOLS),
    "anthropic": GenerationSettings(model="claude-test", tools=TOOLS),
}


@pytest.mark.parametrize("preset", PRESETS)
def test_tools_are_offered_in_the_wire_format(driver, wire_server, preset):
    driver.events(preset, SETTINGS[preset])
    sent = wire_server.last_request.body["tools"]
    if preset == "openai":
        assert sent[0] == {
            "type": "function",
            "function": {
                "name": "echo__echo",
                "description": "Say the text back.",
                "parameters": SCHEMA,
            },
        }
    else:
        assert sent[0] == {
            "name": "echo__echo",
            "description": "Say the text back.",
            "input_schema": SCHEMA,
        }
    driver.events(preset, GenerationSettings(model="m"))
    assert "tools" not in wire_server.last_request.body


@pytest.mark.parametrize("preset", PRESETS)
def test_parallel_streamed_calls_are_assembled(driver, wire_server, preset):
    wire_server.reply.text = "Let me check."
    wire_server.reply.tool_calls = (
        WireToolCall("call_1", "echo__echo", '{"text": "héllo wörld"}'),
        WireToolCall("call_2", "echo__add", '{"a": 2, "b": 3}'),
    )
    events = driver.events(preset, SETTINGS[preset])
    calls = [e for e in events if isinstance(e, ToolCallRequested)]
    assert [(c.call_id, c.name) for c in calls] == [
        ("call_1", "echo__echo"),
        ("call_2", "echo__add"),
    ]
    assert json.loads(calls[0].arguments) == {"text": "héllo wörld"}
    assert json.loads(calls[1].arguments) == {"a": 2, "b": 3}
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Let me check."
    assert events[-1] == Finished("tool_calls" if preset == "openai" else "tool_use")


@pytest.mark.parametrize("preset", PRESETS)
def test_a_call_alone_with_no_text_is_a_reply(driver, wire_server, preset):
    wire_server.reply.text = ""
    wire_server.reply.pieces = ()
    wire_server.reply.tool_calls = (WireToolCall("call_9", "echo__echo", '{"text": "x"}'),)
    events = driver.events(preset, SETTINGS[preset])
    assert [e.call_id for e in events if isinstance(e, ToolCallRequested)] == ["call_9"]


def answered_turns() -> tuple[ChatTurn, ...]:
    done = ToolCall(
        "call_1",
        "echo__echo",
        "echo",
        "echo",
        '{"text": "hi"}',
        status=ToolCallStatus.DONE,
        decision=Decision.ALLOW_ONCE,
        output=ToolOutput((ToolPart("text", "hi"),)),
    )
    denied = ToolCall(
        "call_2",
        "echo__add",
        "echo",
        "add",
        "{}",
        status=ToolCallStatus.DENIED,
        decision=Decision.DENY,
        reason="not now",
    )
    return (
        ChatTurn(Role.USER, "Echo hi"),
        ChatTurn(Role.ASSISTANT, "Checking.", tool_calls=(done, denied)),
        ChatTurn(Role.ASSISTANT, "It said hi."),
        ChatTurn(Role.USER, "Thanks"),
    )


def test_openai_calls_and_results_go_back(driver, wire_server):
    driver.events("openai", SETTINGS["openai"], turns=answered_turns())
    messages = wire_server.last_request.body["messages"]
    assert messages[1] == {
        "role": "assistant",
        "content": "Checking.",
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "echo__echo", "arguments": '{"text": "hi"}'},
            },
            {
                "id": "call_2",
                "type": "function",
                "function": {"name": "echo__add", "arguments": "{}"},
            },
        ],
    }
    assert messages[2] == {"role": "tool", "tool_call_id": "call_1", "content": "hi"}
    assert messages[3]["role"] == "tool" and "not now" in messages[3]["content"]
    assert messages[4:] == [
        {"role": "assistant", "content": "It said hi."},
        {"role": "user", "content": "Thanks"},
    ]


def test_anthropic_calls_and_results_go_back(driver, wire_server):
    driver.events("anthropic", SETTINGS["anthropic"], turns=answered_turns())
    messages = wire_server.last_request.body["messages"]
    assert messages[1] == {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "call_1", "name": "echo__echo", "input": {"text": "hi"}},
            {"type": "tool_use", "id": "call_2", "name": "echo__add", "input": {}},
        ],
    }
    results = messages[2]
    assert results["role"] == "user"
    assert results["content"][0] == {
        "type": "tool_result",
        "tool_use_id": "call_1",
        "content": "hi",
    }
    assert (
        results["content"][1]["is_error"] is True and "not now" in results["content"][1]["content"]
    )
    assert messages[3:] == [
        {"role": "assistant", "content": "It said hi."},
        {"role": "user", "content": "Thanks"},
    ]


def test_anthropic_results_and_the_next_question_are_one_user_message(driver, wire_server):
    """A reply stopped at the step limit has no answer after its results: the person's
    next question joins the tool_result blocks (the API wants roles to alternate)."""
    turns = answered_turns()
    driver.events("anthropic", SETTINGS["anthropic"], turns=(turns[0], turns[1], turns[3]))
    last = wire_server.last_request.body["messages"][-1]
    assert [block["type"] for block in last["content"]] == ["tool_result", "tool_result", "text"]


@pytest.mark.parametrize("preset", PRESETS)
def test_a_server_refusing_tools_is_asked_again_without(driver, wire_server, preset):
    wire_server.reply.reject_tools = "registry.ollama.ai/library/gemma:2b does not support tools"
    events = driver.events(preset, SETTINGS[preset])
    dropped = [e for e in events if isinstance(e, ParameterDropped)]
    assert dropped == [
        ParameterDropped("tools", "registry.ollama.ai/library/gemma:2b does not support tools")
    ]
    assert "tools" not in wire_server.last_request.body
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == wire_server.reply.text
