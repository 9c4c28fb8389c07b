"""Paying an SDK's first-request costs in a worker thread, before the person's first Send.

Importing a provider SDK is not all a first request costs: the first chat request through
either SDK imports its HTTP stack and chat resources and builds pydantic schemas for the
request and chunk types, 150–500 ms that would stall the event loop at the first Send (P2).
`warm_up` walks that whole path once, off the loop: it builds our HTTP client, then sends one
streamed chat request through the SDK to httpx2's MockTransport on a private event loop, so
the canned answer never touches a network.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

from desktopchat.domain.presets import SdkName
from desktopchat.providers.base import DEFAULT_TIMEOUTS

if TYPE_CHECKING:
    import httpx2

_KEY = "warm-up"
_URL = "http://warm-up.invalid"


def warm_up(sdk: SdkName) -> None:
    """Import `sdk` and stream one canned reply through it. Blocking: call it in a thread."""
    from desktopchat.providers.http_client import make_http_client

    asyncio.run(make_http_client(DEFAULT_TIMEOUTS).aclose())
    asyncio.run(_anthropic_stream() if sdk == "anthropic" else _openai_stream())


def _sse(events: list[tuple[str | None, object]]) -> bytes:
    lines = []
    for name, data in events:
        if name:
            lines.append(f"event: {name}")
        lines.append("data: " + (data if isinstance(data, str) else json.dumps(data)))
        lines.append("")
    return ("\n".join(lines) + "\n").encode()


def _client_over(body: bytes) -> httpx2.AsyncClient:
    import httpx2

    def answer(_request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    return httpx2.AsyncClient(transport=httpx2.MockTransport(answer))


async def _openai_stream() -> None:
    import openai

    chunk = {"id": "w", "object": "chat.completion.chunk", "created": 0, "model": "w"}
    body = _sse(
        [
            (None, {**chunk, "choices": [{"index": 0, "delta": {"content": "ok"}}]}),
            (None, {**chunk, "choices": [], "usage": {"prompt_tokens": 1, "total_tokens": 2}}),
            (None, "[DONE]"),
        ]
    )
    async with openai.AsyncOpenAI(
        api_key=_KEY, base_url=_URL, max_retries=0, http_client=_client_over(body)
    ) as client:
        stream = await client.chat.completions.create(
            model="w",
            messages=[{"role": "user", "content": "ok"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        async for _chunk in stream:
            pass


async def _anthropic_stream() -> None:
    import anthropic

    message = {"id": "w", "type": "message", "role": "assistant", "model": "w", "content": []}
    usage = {"input_tokens": 1, "output_tokens": 1}
    body = _sse(
        [
            ("message_start", {"type": "message_start", "message": {**message, "usage": usage}}),
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": "ok"},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            (
                "message_delta",
                {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": usage},
            ),
            ("message_stop", {"type": "message_stop"}),
        ]
    )
    async with anthropic.AsyncAnthropic(
        api_key=_KEY, base_url=_URL, max_retries=0, http_client=_client_over(body)
    ) as client:
        stream = await client.messages.create(
            model="w", max_tokens=1, messages=[{"role": "user", "content": "ok"}], stream=True
        )
        async for _event in stream:
            pass
