"""The Anthropic Messages adapter.

What differs from the OpenAI wire (DESIGN.md section 3): the system prompt is a top-level
parameter, `max_tokens` is required, and anthropic 2.x dropped `temperature` from
`messages.create`, so it travels in `extra_body` and is dropped again when a newer model
answers 400 "temperature is deprecated". With `api_key` the 2.12 SDK sends the key as
`Authorization: Bearer …` (no `x-api-key`). The `anthropic` SDK is imported on first use:
it costs about 1.8 s, never on the startup path.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from desktopchat.domain.types import ChatTurn, GenerationSettings, ModelInfo, Role, Usage
from desktopchat.providers.attachment_parts import document_text, image_base64, is_image
from desktopchat.providers.base import (
    Finished,
    ParameterDropped,
    ReasoningDelta,
    ReasoningSigned,
    ServedModel,
    StreamEvent,
    TextDelta,
    UsageReport,
)
from desktopchat.providers.chunk_fields import count, field, repaired, text
from desktopchat.providers.errors_map import ErrorContext, reraise, resolve_key
from desktopchat.providers.limits import MODEL_LIST, deadline
from desktopchat.providers.reply_stream import guarded_stream
from desktopchat.providers.sdk_provider import SdkProvider, headers_without_environment
from desktopchat.providers.tool_wire import ToolCallPieces, anthropic_tool_blocks, anthropic_tools

if TYPE_CHECKING:
    from anthropic import AsyncAnthropic

_MODELS_PAGE = 1000
"""The largest page the models endpoint gives: one request for the whole list."""


class AnthropicProvider(SdkProvider):
    """The Anthropic preset with its key, over one lazily created AsyncAnthropic."""

    def _sdk_client(self) -> AsyncAnthropic:
        if self._client is None:
            import anthropic

            from desktopchat.providers.http_client import make_http_client

            api_key = resolve_key(self._preset, self._api_key)
            # ANTHROPIC_CUSTOM_HEADERS in the person's environment must not add headers to
            # our requests: each header it names is overridden (sdk_provider.py).
            headers = headers_without_environment(
                self._preset.extra_headers, "ANTHROPIC_CUSTOM_HEADERS", api_key, anthropic.omit
            )
            client = anthropic.AsyncAnthropic(
                api_key=api_key,
                base_url=self._preset.base_url,
                timeout=anthropic.Timeout(
                    self._timeouts.first_byte, connect=self._timeouts.connect
                ),
                max_retries=self._max_retries,
                default_headers=headers,
                http_client=make_http_client(self._timeouts),
                open_telemetry=False,
            )
            self._client = client
        return cast("AsyncAnthropic", self._client)

    async def list_models(self) -> list[ModelInfo]:
        import anthropic

        ctx = ErrorContext.for_preset(self._preset, self._api_key)
        client = self._sdk_client()
        try:
            async with deadline(self._timeouts.total, MODEL_LIST):
                models = [
                    ModelInfo(
                        id=repaired(model.id),
                        name=text(model.display_name) or None,
                        context_length=count(model.max_input_tokens),
                        created=_timestamp(model.created_at),
                        max_output_tokens=count(getattr(model, "max_tokens", None)),
                        input_modalities=("text", "image"),  # every Claude model reads images
                    )
                    async for model in client.models.list(limit=_MODELS_PAGE)
                ]
        except Exception as err:
            reraise(err, ctx, anthropic, streaming=False)
        return sorted(models, key=lambda model: (model.label.casefold(), model.id))

    async def stream(
        self, turns: Sequence[ChatTurn], settings: GenerationSettings
    ) -> AsyncIterator[StreamEvent]:
        import anthropic

        ctx = ErrorContext.for_preset(self._preset, self._api_key, settings.model)
        client = self._sdk_client()  # NO_KEY before anything is yielded
        thinking = thinking_budget(settings)
        request: dict[str, Any] = {
            "model": settings.model,
            "max_tokens": settings.max_tokens,
            "messages": _messages(turns, thinking=bool(thinking)),
            "stream": True,
        }
        if settings.system_prompt.strip():
            request["system"] = settings.system_prompt
        temperature = None
        if thinking:
            # budget_tokens must stay below max_tokens: the answer keeps its own allowance.
            request["thinking"] = {"type": "enabled", "budget_tokens": thinking}
            if settings.max_tokens <= thinking:
                request["max_tokens"] = thinking + settings.max_tokens
            if settings.temperature is not None:
                reason = "Claude does not take a temperature while it thinks."
                yield ParameterDropped("temperature", reason)
        elif settings.temperature is not None:
            top = min(1.0, self._preset.temperature_max)
            temperature = min(max(settings.temperature, 0.0), top)

        tools = anthropic_tools(settings.tools)

        async def open_stream(with_temperature: bool, with_tools: bool) -> Any:
            extra: dict[str, Any] = (
                {"extra_body": {"temperature": temperature}} if with_temperature else {}
            )
            if with_tools:
                extra["tools"] = tools
            return await client.messages.create(**request, **extra)

        # Closed with this generator, not left to the collector: a stopped reply must hang
        # up on the server at once.
        async with contextlib.aclosing(
            guarded_stream(
                ctx,
                anthropic,
                open_stream,
                _read_events,
                temperature_sent=temperature is not None,
                tools_sent=bool(tools),
                timeouts=self._timeouts,
            )
        ) as events:
            async for event in events:
                yield event


def _timestamp(when: object) -> float | None:
    """`created_at` as Unix seconds (the SDK parses it to a datetime; a server may not)."""
    stamp = getattr(when, "timestamp", None)
    return float(stamp()) if callable(stamp) else None


MIN_THINKING_BUDGET = 1024
"""The smallest budget the API takes; a smaller one is raised to it."""


def thinking_budget(settings: GenerationSettings) -> int | None:
    """The extended-thinking budget to send, None when thinking is off."""
    budget = settings.thinking_budget
    return max(budget, MIN_THINKING_BUDGET) if budget else None


def _messages(turns: Sequence[ChatTurn], *, thinking: bool) -> list[dict[str, Any]]:
    """The request's messages. A reply's thinking is never sent back, except a signed one
    while thinking is on: the API wants an assistant turn's thinking block, unmodified and
    with its signature, before its text."""
    messages: list[dict[str, Any]] = []
    for turn in turns:
        signed = turn.signed_reasoning
        content: Any = _content(turn)
        results: list[dict[str, Any]] = []
        if turn.tool_calls:
            uses, results = anthropic_tool_blocks(turn)
            content = [*_blocks(content), *uses]
        if thinking and turn.role is Role.ASSISTANT and signed is not None and signed.signature:
            block = {"type": "thinking", "thinking": signed.text, "signature": signed.signature}
            content = [block, *_blocks(content)]
        _append(messages, turn.role.value, content)
        if results:
            _append(messages, Role.USER.value, results)
    return messages


def _blocks(content: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Content as a list of blocks (an empty text is no block: the API refuses one)."""
    if isinstance(content, list):
        return content
    return [{"type": "text", "text": content}] if content else []


def _append(messages: list[dict[str, Any]], role: str, content: Any) -> None:
    """Add a message; one of the same role as the last is joined to it (tool results and
    the person's next question are one user message: the API wants roles to alternate,
    with the tool_result blocks first)."""
    if messages and messages[-1]["role"] == role:
        messages[-1]["content"] = [*_blocks(messages[-1]["content"]), *_blocks(content)]
    else:
        messages.append({"role": role, "content": content})


def _content(turn: ChatTurn) -> str | list[dict[str, Any]]:
    """A turn's text, or with attachments a list of blocks: each file first (an image as a
    base64 source, a document as text naming it), then what the person wrote."""
    if not turn.attachments:
        return turn.text
    blocks: list[dict[str, Any]] = []
    for payload in turn.attachments:
        if is_image(payload):
            source = {"type": "base64", "media_type": payload.mime, "data": image_base64(payload)}
            blocks.append({"type": "image", "source": source})
        else:
            blocks.append({"type": "text", "text": document_text(payload)})
    if turn.text:
        blocks.append({"type": "text", "text": turn.text})
    return blocks


async def _read_events(sdk_stream: Any) -> AsyncIterator[StreamEvent]:
    """Text and thinking deltas, the thinking's signature, tool calls (a tool_use block's
    input_json_delta pieces, whole at its content_block_stop), the model that answered, usage
    from message_start and message_delta (the latter's counts are cumulative and win), and
    Finished on message_stop with the stop reason message_delta gave. Fields of the wrong
    shape count as missing (see chunk_fields)."""
    started = Usage()
    stop_reason: str | None = None
    calls = ToolCallPieces()
    async for event in sdk_stream:
        kind = field(event, "type")
        index = field(event, "index")
        if kind == "content_block_start" and type(index) is int:
            block = field(event, "content_block")
            if field(block, "type") == "tool_use":
                calls.add(index, text(field(block, "id")), text(field(block, "name")))
        elif kind == "content_block_stop" and type(index) is int and calls.has(index):
            yield calls.take(index)
        if kind == "message_start":
            message = field(event, "message")
            model = text(field(message, "model"))
            if model:
                yield ServedModel(model)
            started = _usage(field(message, "usage"), Usage())
        elif kind == "content_block_delta":
            delta = field(event, "delta")
            delta_type = field(delta, "type")
            if delta_type == "text_delta" and (piece := text(field(delta, "text"))):
                yield TextDelta(piece)
            elif delta_type == "thinking_delta" and (piece := text(field(delta, "thinking"))):
                yield ReasoningDelta(piece)
            elif delta_type == "signature_delta" and (piece := text(field(delta, "signature"))):
                yield ReasoningSigned(piece)
            elif delta_type == "input_json_delta" and type(index) is int and calls.has(index):
                calls.add(index, arguments=text(field(delta, "partial_json")))
        elif kind == "message_delta":
            stop_reason = text(field(field(event, "delta"), "stop_reason")) or None
            yield UsageReport(_usage(field(event, "usage"), started))
        elif kind == "message_stop":
            for call in calls.take_all():  # a block never closed still asked
                yield call
            yield Finished(stop_reason)


def _usage(usage: object, before: Usage) -> Usage:
    """Anthropic counts input read from the cache and written to it apart from
    `input_tokens`; Usage.input_tokens is all of them, `cached_tokens` those read."""
    fresh = count(field(usage, "input_tokens"))
    cached = count(field(usage, "cache_read_input_tokens"))
    written = count(field(usage, "cache_creation_input_tokens"))
    if fresh is None and cached is None:
        total_in, cached = before.input_tokens, before.cached_tokens
    else:  # the whole input is unknown when its fresh part is (a count out of range)
        total_in = None if fresh is None else fresh + (cached or 0) + (written or 0)
    thinking = count(field(field(usage, "output_tokens_details"), "thinking_tokens"))
    return Usage(
        input_tokens=total_in,
        output_tokens=count(field(usage, "output_tokens")),
        reasoning_tokens=thinking,
        cached_tokens=cached,
    )
