"""Reading an OpenAI-compatible reply stream: its text, its reasoning wherever the service
puts it, the model that answered and the usage with its details.

Reasoning arrives in four shapes, all read here and none ever part of the answer:
DeepSeek and Qwen's `delta.reasoning_content`, OpenRouter's `delta.reasoning` (with the same
text again in `delta.reasoning_details`, read only when `reasoning` is absent), and a local
model's `<think>…</think>` at the start of `delta.content` (providers/think_tags.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

from desktopchat.domain.types import MAX_COST, Usage
from desktopchat.providers.base import (
    Finished,
    ReasoningDelta,
    ServedModel,
    StreamEvent,
    UsageReport,
)
from desktopchat.providers.chunk_fields import count, field, first, text
from desktopchat.providers.think_tags import ThinkSplitter
from desktopchat.providers.tool_wire import ToolCallPieces, add_openai_deltas


async def read_chunks(sdk_stream: Any) -> AsyncIterator[StreamEvent]:
    """Events of one streamed chat completion; Finished once the body ended after a finish
    reason, after the tool calls it asked for (assembled from their pieces). Fields of the
    wrong shape count as missing (see chunk_fields)."""
    finish_reason: str | None = None
    served = False
    splitter = ThinkSplitter()
    calls = ToolCallPieces()
    async for chunk in sdk_stream:
        model = text(field(chunk, "model"))
        if model and not served:
            served = True
            yield ServedModel(model)
        usage = field(chunk, "usage")
        if usage is not None:
            yield UsageReport(read_usage(usage))
        choice = first(field(chunk, "choices"))
        delta = field(choice, "delta")
        thought = _reasoning(delta)
        if thought:
            yield ReasoningDelta(thought)
        content = text(field(delta, "content"))
        if content:
            for event in splitter.feed(content):
                yield event
        add_openai_deltas(calls, delta)
        finish_reason = text(field(choice, "finish_reason")) or finish_reason
    for event in splitter.finish():
        yield event
    if finish_reason is not None:
        for call in calls.take_all():
            yield call
        yield Finished(finish_reason)


def _reasoning(delta: object) -> str:
    for name in ("reasoning_content", "reasoning"):
        piece = text(field(delta, name))
        if piece:
            return piece
    details = field(delta, "reasoning_details")
    if not isinstance(details, list):
        return ""
    # OpenRouter: {"type": "reasoning.text", "text"} or {"type": "reasoning.summary",
    # "summary"}; "reasoning.encrypted" carries nothing a person can read.
    return "".join(text(field(item, "text")) or text(field(item, "summary")) for item in details)


def read_usage(usage: object) -> Usage:
    """Token counts with OpenAI's details (reasoning, cached prompt tokens; DeepSeek's
    `prompt_cache_hit_tokens`) and OpenRouter's own `cost` in US dollars when it sends one."""
    cached = count(field(field(usage, "prompt_tokens_details"), "cached_tokens"))
    if cached is None:
        cached = count(field(usage, "prompt_cache_hit_tokens"))
    reasoning = count(field(field(usage, "completion_tokens_details"), "reasoning_tokens"))
    cost = field(usage, "cost")
    known_cost = type(cost) in (int, float) and 0 <= cast(float, cost) <= MAX_COST
    return Usage(
        input_tokens=count(field(usage, "prompt_tokens")),
        output_tokens=count(field(usage, "completion_tokens")),
        reasoning_tokens=reasoning,
        cached_tokens=cached,
        cost=float(cast(float, cost)) if known_cost else None,
        cost_source="reported" if known_cost else None,
    )
