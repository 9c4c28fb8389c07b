"""One adapter for every OpenAI-compatible service: OpenAI, OpenRouter, Groq, DeepSeek,
Mistral, Gemini, Qwen, LM Studio, Ollama and the person's own endpoints.

The quirks that change a request come from the preset (DESIGN.md section 3): which base URL,
which extra headers, whether `stream_options.include_usage` may be sent, how high the
temperature goes. The `openai` SDK is imported on first use, never at import time.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from desktopchat.domain.presets import ProviderPreset, is_reasoning_model
from desktopchat.domain.types import ChatTurn, GenerationSettings, ModelInfo
from desktopchat.providers.attachment_parts import document_text, image_base64, is_image
from desktopchat.providers.base import ParameterDropped, StreamEvent
from desktopchat.providers.chunk_fields import count, field, repaired, text
from desktopchat.providers.errors_map import ErrorContext, reraise, resolve_key
from desktopchat.providers.limits import MODEL_LIST, deadline
from desktopchat.providers.openai_chunks import read_chunks
from desktopchat.providers.reply_stream import guarded_stream
from desktopchat.providers.sdk_provider import SdkProvider, headers_without_environment
from desktopchat.providers.tool_wire import openai_tool_messages, openai_tools

if TYPE_CHECKING:
    from openai import AsyncOpenAI


class OpenAICompatProvider(SdkProvider):
    """A preset (or custom endpoint) with its key, over one lazily created AsyncOpenAI."""

    def _sdk_client(self) -> AsyncOpenAI:
        if self._client is None:
            import openai

            from desktopchat.providers.http_client import make_http_client

            api_key = resolve_key(self._preset, self._api_key)
            # OPENAI_CUSTOM_HEADERS (which may hold an Authorization header) must not add
            # headers to our requests: each header it names is overridden (sdk_provider.py).
            headers = headers_without_environment(
                self._preset.extra_headers, "OPENAI_CUSTOM_HEADERS", api_key, openai.omit
            )
            client = openai.AsyncOpenAI(
                api_key=api_key,
                base_url=self._preset.base_url,
                organization=None,
                project=None,
                timeout=openai.Timeout(self._timeouts.first_byte, connect=self._timeouts.connect),
                max_retries=self._max_retries,
                default_headers=headers,
                http_client=make_http_client(self._timeouts),
            )
            # Passing None still lets the SDK read OPENAI_ORG_ID, OPENAI_PROJECT_ID and
            # OPENAI_ADMIN_KEY: none of a person's OpenAI settings may reach another server.
            client.organization = None
            client.project = None
            client.admin_api_key = None
            client.webhook_secret = None
            self._client = client
        return cast("AsyncOpenAI", self._client)

    async def list_models(self) -> list[ModelInfo]:
        import openai

        ctx = ErrorContext.for_preset(self._preset, self._api_key)
        client = self._sdk_client()
        try:
            async with deadline(self._timeouts.total, MODEL_LIST):
                page = await client.models.list()
            models = [_model_info(model, self._preset.id) for model in page.data]
        except Exception as err:
            reraise(err, ctx, openai, streaming=False)
        return sorted(models, key=lambda model: (model.label.casefold(), model.id))

    async def stream(
        self, turns: Sequence[ChatTurn], settings: GenerationSettings
    ) -> AsyncIterator[StreamEvent]:
        import openai

        ctx = ErrorContext.for_preset(self._preset, self._api_key, settings.model)
        client = self._sdk_client()  # NO_KEY before anything is yielded
        request = self._request(turns, settings)
        temperature = request.pop("temperature", None)
        if settings.temperature is not None and temperature is None:
            reason = f"{settings.model} only accepts its default temperature."
            yield ParameterDropped("temperature", reason)

        # The conversation goes in extra_body, which the SDK sends as it is: given as
        # `messages`, each request would first walk every message through the SDK's typed
        # transform on the loop, ~1 ms a message (20 ms for 17, 200 ms for 200), and the
        # dicts built here are already in wire form (P4).
        body = {**request.pop("extra_body", {}), "messages": request.pop("messages")}
        tools = request.pop("tools", None)

        async def open_stream(with_temperature: bool, with_tools: bool) -> Any:
            extra = {"temperature": temperature} if with_temperature else {}
            offered = {"tools": tools} if with_tools else {}
            return await client.chat.completions.create(
                **request, **extra, messages=[], extra_body=body | offered
            )

        # Closed with this generator, not left to the collector: a stopped reply must hang
        # up on the server at once.
        async with contextlib.aclosing(
            guarded_stream(
                ctx,
                openai,
                open_stream,
                read_chunks,
                temperature_sent=temperature is not None,
                tools_sent=bool(tools),
                timeouts=self._timeouts,
            )
        ) as events:
            async for event in events:
                yield event

    def _request(self, turns: Sequence[ChatTurn], settings: GenerationSettings) -> dict[str, Any]:
        """The keyword arguments of chat.completions.create, temperature included if sent."""
        messages: list[dict[str, Any]] = []
        for turn in turns:
            if turn.tool_calls:
                messages.extend(openai_tool_messages(turn, _content(turn)))
            else:
                messages.append({"role": turn.role.value, "content": _content(turn)})
        if settings.system_prompt.strip():
            messages.insert(0, {"role": "system", "content": settings.system_prompt})
        reasoning = is_reasoning_model(self._preset, settings.model)
        # Only OpenAI itself wants the newer name; OpenRouter and other servers read max_tokens.
        newer_name = reasoning and self._preset.id == "openai"
        request: dict[str, Any] = {"model": settings.model, "messages": messages, "stream": True}
        request["max_completion_tokens" if newer_name else "max_tokens"] = settings.max_tokens
        if settings.temperature is not None and not reasoning:
            top = self._preset.temperature_max
            request["temperature"] = min(max(settings.temperature, 0.0), top)
        if self._preset.include_usage:
            request["stream_options"] = {"include_usage": True}
        request.update(_reasoning_parameters(self._preset, settings))
        if settings.tools:
            request["tools"] = openai_tools(settings.tools)
        return request


def _content(turn: ChatTurn) -> str | list[dict[str, Any]]:
    """A turn's text, or with attachments a list of parts: each file first (an image as a
    data URL, a document as text naming it), then what the person wrote."""
    if not turn.attachments:
        return turn.text
    parts: list[dict[str, Any]] = []
    for payload in turn.attachments:
        if is_image(payload):
            url = f"data:{payload.mime};base64,{image_base64(payload)}"
            parts.append({"type": "image_url", "image_url": {"url": url}})
        else:
            parts.append({"type": "text", "text": document_text(payload)})
    if turn.text:
        parts.append({"type": "text", "text": turn.text})
    return parts


def _reasoning_parameters(preset: ProviderPreset, settings: GenerationSettings) -> dict[str, Any]:
    """How hard the model should think, where the person chose: OpenRouter reads its own
    `reasoning` object (sent as extra body: the SDK has no such argument), OpenAI and the
    others that take it (Groq, Gemini, a custom server) the top-level `reasoning_effort`."""
    effort = settings.reasoning_effort
    if not effort:
        return {}
    if preset.id == "openrouter":
        return {"extra_body": {"reasoning": {"effort": effort}}}
    return {"reasoning_effort": effort}


def _model_info(model: Any, preset_id: str) -> ModelInfo:
    """What the service says of a model beyond OpenAI's fields, where it says it:
    OpenRouter's `name`, `context_length`, `pricing` (US dollars per token, as strings),
    `architecture.input_modalities` and `top_provider.max_completion_tokens`; Groq's
    `context_window` and `max_completion_tokens`; LM Studio's `max_context_length`;
    whether it calls tools (_calls_tools);
    llama.cpp's `meta.n_ctx_train` (the trained window: the one it runs with comes from
    its /props, services/local_window.py); `created` (Unix seconds) from most; what a model
    reads (see _input_modalities)."""
    extra = model.model_extra or {}
    model_id = repaired(model.id)
    context = _first_count(extra, "context_length", "context_window", "max_context_length")
    context = context or count(field(extra.get("meta"), "n_ctx_train"))
    pricing = extra.get("pricing")
    top = field(extra, "top_provider")
    created = getattr(model, "created", None)
    return ModelInfo(
        id=model_id,
        name=text(extra.get("name")) or None,
        context_length=context,
        owned_by=repaired(getattr(model, "owned_by", None)) or None,
        created=float(created) if type(created) is int and created > 0 else None,
        input_price=_per_million(field(pricing, "prompt")),
        output_price=_per_million(field(pricing, "completion")),
        input_modalities=_input_modalities(extra, preset_id, model_id),
        max_output_tokens=count(field(top, "max_completion_tokens"))
        or _first_count(extra, "max_completion_tokens"),
        tools=_calls_tools(extra),
    )


def _calls_tools(extra: dict[str, Any]) -> bool | None:
    """OpenRouter's `supported_parameters` (does it list "tools"?); LM Studio's
    `capabilities` (["tool_use"]); None when the service says nothing."""
    listed = extra.get("supported_parameters")
    if isinstance(listed, list):
        return "tools" in listed
    capabilities = extra.get("capabilities")
    if isinstance(capabilities, list) and all(isinstance(c, str) for c in capabilities):
        return "tool_use" in capabilities or None
    return None


def _first_count(extra: dict[str, Any], *names: str) -> int | None:
    for name in names:
        value = count(extra.get(name))
        if value:
            return value
    return None


def _per_million(per_token: object) -> float | None:
    """OpenRouter's "0.000003" per token as 3.0 per million; None when it is not a price
    (missing, negative, or OpenRouter's "-1" for a price that varies)."""
    try:
        price = float(per_token) if isinstance(per_token, (str, int, float)) else -1.0
    except ValueError:
        return None
    if not 0 <= price < 1 or price != price:
        return None
    return round(price * 1_000_000, 6)


_OPENAI_VISION = re.compile(r"^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o[1-9]|chatgpt-4o)(?![a-z])")
"""OpenAI's families that read images; its /models says nothing about it. Audio, search
and realtime variants of them read text only."""
_OPENAI_TEXT_ONLY = re.compile(r"(audio|realtime|search|transcribe|tts|o1-mini|o1-preview)")


def _input_modalities(
    extra: dict[str, Any], preset_id: str, model_id: str
) -> tuple[str, ...] | None:
    """What the service says the model reads, or what is known of OpenAI's families; None
    when nothing is said (the request is tried, and a refusal is worded clearly)."""
    architecture = extra.get("architecture")
    listed = architecture.get("input_modalities") if isinstance(architecture, dict) else None
    if isinstance(listed, list):
        return tuple(item for item in listed if isinstance(item, str) and item.isprintable())
    if preset_id == "openai":
        if _OPENAI_TEXT_ONLY.search(model_id) or not _OPENAI_VISION.match(model_id):
            return ("text",) if model_id.startswith(("gpt-", "o")) else None
        return ("text", "image")
    return None
