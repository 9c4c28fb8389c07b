"""Tools in the two wire formats (DESIGN.md §4): what is offered, how a streamed call is put
back together, and how calls and their results are sent back in the next request.

OpenAI-compatible: `tools=[{"type": "function", "function": {name, description,
parameters}}]`; calls stream as `delta.tool_calls` pieces assembled by `index` (several for
parallel calls); results go back as an assistant message with `tool_calls` followed by one
`{"role": "tool", "tool_call_id", "content"}` per call.

Anthropic: `tools=[{name, description, input_schema}]`; a call is a `tool_use` content
block whose input streams as `input_json_delta` pieces; results go back as `tool_result`
blocks (`tool_use_id`, `content`, `is_error`) at the start of the next user message.
"""

from __future__ import annotations

import json
from typing import Any

from desktopchat.domain.tools import ToolSpec
from desktopchat.domain.types import ChatTurn
from desktopchat.providers.base import ToolCallRequested
from desktopchat.providers.chunk_fields import field, text
from desktopchat.providers.limits import REPLY_TEXT, REPLY_TEXT_LIMIT, TooLarge

_EMPTY_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}}


def _schema(spec: ToolSpec) -> dict[str, Any]:
    """The tool's input schema; an object schema is what both APIs require."""
    schema = spec.input_schema
    return schema if isinstance(schema, dict) and schema.get("type") == "object" else _EMPTY_SCHEMA


def openai_tools(specs: tuple[ToolSpec, ...]) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": spec.api_name,
                "description": spec.description,
                "parameters": _schema(spec),
            },
        }
        for spec in specs
    ]


def anthropic_tools(specs: tuple[ToolSpec, ...]) -> list[dict[str, Any]]:
    return [
        {"name": spec.api_name, "description": spec.description, "input_schema": _schema(spec)}
        for spec in specs
    ]


def openai_tool_messages(turn: ChatTurn, content: Any) -> list[dict[str, Any]]:
    """An assistant turn that asked for tools, and then each call's result."""
    calls = [
        {
            "id": call.call_id,
            "type": "function",
            "function": {"name": call.api_name, "arguments": call.arguments or "{}"},
        }
        for call in turn.tool_calls
    ]
    messages: list[dict[str, Any]] = [
        {"role": "assistant", "content": content or None, "tool_calls": calls}
    ]
    for call in turn.tool_calls:
        result, _is_error = call.result_for_model()
        messages.append({"role": "tool", "tool_call_id": call.call_id, "content": result})
    return messages


def anthropic_tool_blocks(turn: ChatTurn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The tool_use blocks of an assistant turn, and the tool_result blocks of the user
    message that must follow it."""
    uses, results = [], []
    for call in turn.tool_calls:
        uses.append(
            {"type": "tool_use", "id": call.call_id, "name": call.api_name, "input": _input(call)}
        )
        result, is_error = call.result_for_model()
        results.append(
            {"type": "tool_result", "tool_use_id": call.call_id, "content": result}
            | ({"is_error": True} if is_error else {})
        )
    return uses, results


def _input(call: Any) -> dict[str, Any]:
    """The arguments as an object (Anthropic wants one); {} when the model wrote none or
    wrote something that is not an object."""
    try:
        value = json.loads(call.arguments or "{}")
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


class ToolCallPieces:
    """Streamed pieces of tool calls put back together, by index (OpenAI) or content
    block index (Anthropic), with their size bounded like a reply's text."""

    def __init__(self) -> None:
        self._calls: dict[int, list[str]] = {}
        self._size = 0

    def add(self, index: int, call_id: str = "", name: str = "", arguments: str = "") -> None:
        call = self._calls.setdefault(index, ["", "", ""])
        self._size += len(arguments) + len(name)
        if self._size > REPLY_TEXT_LIMIT:
            raise TooLarge(REPLY_TEXT, REPLY_TEXT_LIMIT, streaming=True)
        call[0] = call[0] or call_id
        call[1] = call[1] or name
        call[2] += arguments

    def has(self, index: int) -> bool:
        return index in self._calls

    def take(self, index: int) -> ToolCallRequested:
        call_id, name, arguments = self._calls.pop(index)
        return ToolCallRequested(call_id or f"call_{index}", name, arguments or "{}")

    def take_all(self) -> list[ToolCallRequested]:
        return [self.take(index) for index in sorted(self._calls)]


def add_openai_deltas(pieces: ToolCallPieces, delta: object) -> None:
    """`delta.tool_calls` of one chunk; a piece without an index (some servers send each
    call whole) takes its place in the list."""
    calls = field(delta, "tool_calls")
    if not isinstance(calls, list):
        return
    for position, call in enumerate(calls):
        index = field(call, "index")
        function = field(call, "function")
        pieces.add(
            index if type(index) is int else position,
            text(field(call, "id")),
            text(field(function, "name")),
            text(field(function, "arguments")),
        )
