"""Build the adapter a preset needs, importing only that adapter (and so only its SDK)."""

from __future__ import annotations

from desktopchat.domain.presets import ProviderPreset
from desktopchat.providers.base import DEFAULT_TIMEOUTS, Provider, RequestTimeouts


def create_provider(
    preset: ProviderPreset, api_key: str | None, *, timeouts: RequestTimeouts = DEFAULT_TIMEOUTS
) -> Provider:
    """The provider for `preset`, speaking through its SDK with `api_key`.

    Nothing is imported or connected until the first request: building a provider is free.
    """
    if preset.sdk == "anthropic":
        from desktopchat.providers.anthropic import AnthropicProvider

        return AnthropicProvider(preset, api_key, timeouts=timeouts)
    from desktopchat.providers.openai_compat import OpenAICompatProvider

    return OpenAICompatProvider(preset, api_key, timeouts=timeouts)
