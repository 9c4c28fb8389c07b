"""The bytes the OpenAI and Anthropic services put on the wire, for tests/wire_server.py.

Kept apart from the server so that what a body looks like (field names, order, the shape
of an error) can be read and compared with the services' documentation in one place.
Shapes follow the real services as of the SDK versions in DESIGN.md section 3: OpenAI's
`chat.completion.chunk` stream ending in `data: [DONE]`, Anthropic's named SSE events
(`message_start` … `message_stop`), and each service's own error object.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

OPENAI = "openai"
ANTHROPIC = "anthropic"

CREATED = 1_763_000_000
"""A fixed Unix time for `created` fields, so recorded bodies are reproducible."""


@dataclass(frozen=True)
class ModelSpec:
    """A model the server lists; `context_length` and `name` as OpenRouter gives them."""

    id: str
    owned_by: str = "system"
    name: str | None = None
    context_length: int | None = None
    input_modalities: tuple[str, ...] | None = None
    """OpenRouter's `architecture.input_modalities`."""
    pricing: dict[str, str] | None = None
    """OpenRouter's prices in US dollars per token, as strings ({"prompt", "completion"})."""
    created: int = 0
    """0: the server's fixed CREATED."""
    meta: dict[str, Any] | None = None
    """llama.cpp's `meta` (`n_ctx_train`, the trained window)."""


def dumps(obj: object) -> str:
    """Compact JSON, as both services send it."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def sse(data: str, event: str | None = None) -> bytes:
    """One server-sent event; Anthropic names every event, OpenAI names none."""
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {data}\n\n".encode()


# --- errors -------------------------------------------------------------------------------

_OPENAI_ERRORS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    402: ("insufficient_credits", None, "Insufficient credits. Add more using the dashboard."),
    403: ("invalid_request_error", "unsupported_country_region_territory", "Forbidden."),
    404: ("invalid_request_error", "model_not_found", "The model does not exist."),
    422: ("invalid_request_error", None, "Unprocessable entity."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached. Please try again later."),
}
_ANTHROPIC_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "Invalid request."),
    401: ("authentication_error", "invalid x-api-key"),
    402: ("billing_error", "Your credit balance is too low."),
    403: ("permission_error", "Your API key does not have permission to use this resource."),
    404: ("not_found_error", "model: not found"),
    413: ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
    429: ("rate_limit_error", "Number of request tokens has exceeded your rate limit."),
    500: ("api_error", "Internal server error"),
    504: ("timeout_error", "Request timed out"),
    529: ("overloaded_error", "Overloaded"),
}

CONTEXT_TOO_LONG = {
    OPENAI: (
        "This model's maximum context length is 128000 tokens. However, your messages "
        "resulted in 131072 tokens. Please reduce the length of the messages."
    ),
    ANTHROPIC: "prompt is too long: 210034 tokens > 200000 maximum",
}
TEMPERATURE_REJECTED = {
    OPENAI: (
        "Unsupported value: 'temperature' does not support 0.7 with this model. "
        "Only the default (1) value is supported."
    ),
    ANTHROPIC: "`temperature` is deprecated for this model.",
}


def error_body(
    protocol: str,
    status: int,
    message: str | None = None,
    *,
    error_type: str | None = None,
    code: str | int | None = None,
    param: str | None = None,
) -> dict[str, Any]:
    """The service's own error object for an HTTP status, defaults filled per status."""
    if protocol == ANTHROPIC:
        default_type, default_message = _ANTHROPIC_ERRORS.get(
            status, ("api_error", "Internal server error")
        )
        return {
            "type": "error",
            "error": {"type": error_type or default_type, "message": message or default_message},
            "request_id": f"req_{secrets.token_hex(12)}",
        }
    default_type, default_code, default_message = _OPENAI_ERRORS.get(
        status, ("server_error", None, "The server had an error while processing your request.")
    )
    return {
        "error": {
            "message": message or default_message,
            "type": error_type or default_type,
            "param": param,
            "code": code if code is not None else default_code,
        }
    }


def html_page(status: int, reason: str) -> bytes:
    """What a reverse proxy in front of an API answers when the API behind it is down."""
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


# --- OpenAI chat completions --------------------------------------------------------------


def openai_usage(
    prompt_tokens: int,
    completion_tokens: int,
    *,
    reasoning_tokens: int = 0,
    cached_tokens: int = 0,
    cost: float | None = None,
) -> dict[str, Any]:
    """OpenAI's usage object; `cost` is OpenRouter's addition (US dollars)."""
    usage: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": cached_tokens, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": reasoning_tokens,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }
    if cost is not None:
        usage["cost"] = cost
    return usage


class OpenAIChunks:
    """The `data:` events of one streamed chat completion.

    `usage_field` mirrors OpenAI: once `stream_options.include_usage` is asked for, every
    chunk carries `"usage": null` and one last chunk with empty `choices` carries the counts.
    """

    def __init__(self, model: str, *, usage_field: bool) -> None:
        self.id = f"chatcmpl-{secrets.token_hex(12)}"
        self.model = model
        self.usage_field = usage_field

    def _chunk(self, choices: list[dict[str, Any]]) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": self.model,
            "service_tier": "default",
            "system_fingerprint": "fp_wire0000",
            "choices": choices,
        }
        if self.usage_field:
            chunk["usage"] = None
        return chunk

    def delta(self, delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return sse(dumps(self._chunk([choice])))

    def first(self) -> bytes:
        return self.delta({"role": "assistant", "content": "", "refusal": None})

    def text(self, text: str) -> bytes:
        return self.delta({"content": text})

    def reasoning(self, text: str, form: str = "reasoning_content") -> bytes:
        """Thinking streamed before the answer and never part of it: DeepSeek and Qwen's
        `reasoning_content`, or OpenRouter's `reasoning` with the same text again in
        `reasoning_details` (form "openrouter")."""
        if form == "openrouter":
            detail = {"type": "reasoning.text", "text": text, "format": "unknown", "index": 0}
            return self.delta({"content": "", "reasoning": text, "reasoning_details": [detail]})
        return self.delta({"content": None, "reasoning_content": text})

    def tool_calls(self, calls: Sequence[Any]) -> list[bytes]:
        """Each call's opening piece (id, name), then its arguments in two halves,
        interleaved across calls as parallel calls arrive."""
        frames = [
            self.delta(
                {
                    "tool_calls": [
                        {
                            "index": i,
                            "id": call.id,
                            "type": "function",
                            "function": {"name": call.name, "arguments": ""},
                        }
                    ]
                }
            )
            for i, call in enumerate(calls)
        ]
        for half in (0, 1):
            for i, call in enumerate(calls):
                middle = len(call.arguments) // 2
                piece = call.arguments[:middle] if half == 0 else call.arguments[middle:]
                frames.append(
                    self.delta({"tool_calls": [{"index": i, "function": {"arguments": piece}}]})
                )
        return frames

    def finish(self, reason: str) -> bytes:
        return self.delta({}, reason)

    def usage(self, prompt_tokens: int, completion_tokens: int, **details: Any) -> bytes:
        chunk = self._chunk([])
        chunk["usage"] = openai_usage(prompt_tokens, completion_tokens, **details)
        return sse(dumps(chunk))

    def error(self, message: str, code: str | int) -> bytes:
        """OpenRouter's error after the stream started: a chunk with `error`, under HTTP 200."""
        chunk = self._chunk([{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}])
        chunk["provider"] = "wire"
        chunk["error"] = {"code": code, "message": message}
        return sse(dumps(chunk))

    @staticmethod
    def done() -> bytes:
        return b"data: [DONE]\n\n"


def openai_completion(model: str, text: str, finish_reason: str, usage: dict[str, Any]) -> dict:
    return {
        "id": f"chatcmpl-{secrets.token_hex(12)}",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": text,
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": usage,
        "service_tier": "default",
        "system_fingerprint": "fp_wire0000",
    }


def openai_models(models: list[ModelSpec]) -> dict[str, Any]:
    data = []
    for model in models:
        entry: dict[str, Any] = {
            "id": model.id,
            "object": "model",
            "created": model.created or CREATED,
            "owned_by": model.owned_by,
        }
        if model.name is not None:
            entry["name"] = model.name
        if model.context_length is not None:
            entry["context_length"] = model.context_length
        if model.input_modalities is not None:
            entry["architecture"] = {"input_modalities": list(model.input_modalities)}
        if model.pricing is not None:
            entry["pricing"] = model.pricing
        if model.meta is not None:
            entry["meta"] = model.meta
        data.append(entry)
    return {"object": "list", "data": data}


# --- Anthropic messages -------------------------------------------------------------------


class AnthropicEvents:
    """The named events of one streamed Anthropic message."""

    def __init__(self, model: str) -> None:
        self.id = f"msg_{secrets.token_hex(12)}"
        self.model = model

    def message_start(self, input_tokens: int, cached_tokens: int = 0) -> bytes:
        message = {
            "id": self.id,
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {
                "input_tokens": input_tokens,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": cached_tokens,
                "output_tokens": 1,
                "service_tier": "standard",
            },
        }
        return sse(dumps({"type": "message_start", "message": message}), "message_start")

    @staticmethod
    def block_start(index: int, block_type: str) -> bytes:
        block = {"type": "text", "text": ""}
        if block_type == "thinking":
            block = {"type": "thinking", "thinking": "", "signature": ""}
        data = {"type": "content_block_start", "index": index, "content_block": block}
        return sse(dumps(data), "content_block_start")

    @staticmethod
    def ping() -> bytes:
        return sse('{"type": "ping"}', "ping")

    @staticmethod
    def text(index: int, text: str) -> bytes:
        delta = {"type": "text_delta", "text": text}
        data = {"type": "content_block_delta", "index": index, "delta": delta}
        return sse(dumps(data), "content_block_delta")

    @staticmethod
    def thinking(index: int, text: str) -> bytes:
        delta = {"type": "thinking_delta", "thinking": text}
        data = {"type": "content_block_delta", "index": index, "delta": delta}
        return sse(dumps(data), "content_block_delta")

    @staticmethod
    def signature(index: int, signature: str) -> bytes:
        """The thinking block's signature, just before its content_block_stop."""
        delta = {"type": "signature_delta", "signature": signature}
        data = {"type": "content_block_delta", "index": index, "delta": delta}
        return sse(dumps(data), "content_block_delta")

    @staticmethod
    def tool_uses(first: int, calls: Sequence[Any]) -> list[bytes]:
        """A tool_use block per call from index `first`, its input in two pieces."""
        frames = []
        for index, call in enumerate(calls, start=first):
            block = {"type": "tool_use", "id": call.id, "name": call.name, "input": {}}
            data = {"type": "content_block_start", "index": index, "content_block": block}
            frames.append(sse(dumps(data), "content_block_start"))
            middle = len(call.arguments) // 2
            for piece in (call.arguments[:middle], call.arguments[middle:]):
                delta = {"type": "input_json_delta", "partial_json": piece}
                data = {"type": "content_block_delta", "index": index, "delta": delta}
                frames.append(sse(dumps(data), "content_block_delta"))
            frames.append(
                sse(dumps({"type": "content_block_stop", "index": index}), "content_block_stop")
            )
        return frames

    @staticmethod
    def block_stop(index: int) -> bytes:
        return sse(dumps({"type": "content_block_stop", "index": index}), "content_block_stop")

    @staticmethod
    def message_delta(stop_reason: str, output_tokens: int) -> bytes:
        data = {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": None},
            "usage": {"output_tokens": output_tokens},
        }
        return sse(dumps(data), "message_delta")

    @staticmethod
    def message_stop() -> bytes:
        return sse('{"type":"message_stop"}', "message_stop")

    @staticmethod
    def error(error_type: str, message: str) -> bytes:
        data = {"type": "error", "error": {"type": error_type, "message": message}}
        return sse(dumps(data), "error")


def anthropic_message(
    model: str, text: str, stop_reason: str, input_tokens: int, output_tokens: int
) -> dict[str, Any]:
    return {
        "id": f"msg_{secrets.token_hex(12)}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": text}],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
    }


def anthropic_models(models: list[ModelSpec]) -> dict[str, Any]:
    data = []
    for model in models:
        entry: dict[str, Any] = {
            "type": "model",
            "id": model.id,
            "display_name": model.name or model.id,
            "created_at": time.strftime(
                "%Y-%m-%dT%H:%M:%SZ", time.gmtime(model.created or CREATED)
            ),
            "lifecycle": "active",
        }
        if model.context_length is not None:
            entry["max_input_tokens"] = model.context_length
        data.append(entry)
    return {
        "data": data,
        "has_more": False,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }
