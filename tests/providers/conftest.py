"""The wire server fixture and a driver that runs a provider against it in a fresh loop.

Tests stay synchronous: each call below runs one coroutine with asyncio.run, creating the
provider (and so the SDK client) inside that loop and closing it before the loop ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from urllib.parse import urlsplit

import pytest

from desktopchat.domain.errors import ChatError
from desktopchat.domain.presets import ProviderPreset, get_preset, with_base_url
from desktopchat.domain.types import ChatTurn, GenerationSettings, ModelInfo, Role
from desktopchat.providers.anthropic import AnthropicProvider
from desktopchat.providers.base import Provider, RequestTimeouts, ServedModel, StreamEvent
from desktopchat.providers.openai_compat import OpenAICompatProvider
from tests.wire_server import WireServer

TEST_KEY = "sk-test-0123456789abcdefghijklmnop"
TURNS = (ChatTurn(Role.USER, "Hello?"),)
FAST = RequestTimeouts(connect=2.0, first_byte=5.0)


def without_served_model(events: Sequence[StreamEvent]) -> list[StreamEvent]:
    """The events but the model the stream says answered (tests/providers/test_reasoning.py
    checks that one)."""
    return [event for event in events if not isinstance(event, ServedModel)]


class Driver:
    """Runs providers pointed at the wire server; SDK retries off unless asked for."""

    def __init__(self, server: WireServer) -> None:
        self.server = server

    def preset(self, preset_id: str) -> ProviderPreset:
        """The built-in preset on the wire server, keeping its path (`/v1beta/openai/`,
        DeepSeek's none) so each service's real URL layout is exercised."""
        preset = get_preset(preset_id)
        return with_base_url(preset, self.server.url + urlsplit(preset.base_url).path)

    def provider(
        self,
        preset: ProviderPreset | str,
        key: str | None = TEST_KEY,
        *,
        timeouts: RequestTimeouts = FAST,
        max_retries: int = 0,
    ) -> Provider:
        if isinstance(preset, str):
            preset = self.preset(preset)
        adapter = AnthropicProvider if preset.sdk == "anthropic" else OpenAICompatProvider
        return adapter(preset, key, timeouts=timeouts, max_retries=max_retries)

    def events(
        self,
        preset: ProviderPreset | str,
        settings: GenerationSettings | None = None,
        *,
        turns: Sequence[ChatTurn] = TURNS,
        **options: object,
    ) -> list[StreamEvent]:
        """Every event of one reply; a ChatError propagates."""
        events, error = self.until_error(preset, settings, turns=turns, **options)
        if error is not None:
            raise error
        return events

    def until_error(
        self,
        preset: ProviderPreset | str,
        settings: GenerationSettings | None = None,
        *,
        turns: Sequence[ChatTurn] = TURNS,
        **options: object,
    ) -> tuple[list[StreamEvent], ChatError | None]:
        """The events received before the reply failed, and its ChatError (None if none)."""
        settings = settings or GenerationSettings(model="wire-large")

        async def scenario() -> tuple[list[StreamEvent], ChatError | None]:
            provider = self.provider(preset, **options)
            events: list[StreamEvent] = []
            try:
                async for event in provider.stream(turns, settings):
                    events.append(event)
            except ChatError as error:
                return events, error
            finally:
                await provider.aclose()
            return events, None

        return asyncio.run(scenario())

    def error(
        self, preset: ProviderPreset | str, model: str = "wire-large", **options
    ) -> ChatError:
        """The ChatError a reply ends with; fails the test if it ends well."""
        _, error = self.until_error(preset, GenerationSettings(model=model), **options)
        assert error is not None, "the reply was expected to fail"
        return error

    def models(self, preset: ProviderPreset | str, **options: object) -> list[ModelInfo]:
        async def scenario() -> list[ModelInfo]:
            provider = self.provider(preset, **options)
            try:
                return await provider.list_models()
            finally:
                await provider.aclose()

        return asyncio.run(scenario())


@pytest.fixture
def driver(wire_server: WireServer) -> Driver:
    return Driver(wire_server)
