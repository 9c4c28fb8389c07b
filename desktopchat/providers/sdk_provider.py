"""What the two adapters share: a preset with its key, and one SDK client made on first use
(so importing an adapter never imports its SDK) and closed with the provider."""

from __future__ import annotations

import contextlib
from typing import Any

from desktopchat.domain.errors import ChatError
from desktopchat.domain.presets import ProviderPreset
from desktopchat.providers.base import DEFAULT_TIMEOUTS, RequestTimeouts


class SdkProvider:
    """Base of OpenAICompatProvider and AnthropicProvider; `_client` is their SDK client."""

    def __init__(
        self,
        preset: ProviderPreset,
        api_key: str | None,
        *,
        timeouts: RequestTimeouts = DEFAULT_TIMEOUTS,
        max_retries: int = 0,
    ) -> None:
        """`max_retries`: the SDK's own retries, silent; off, as the chat service retries
        where the person sees it (services/retries.py)."""
        self._preset = preset
        self._api_key = api_key
        self._timeouts = timeouts
        self._max_retries = max_retries
        self._client: Any = None

    def __repr__(self) -> str:
        key = "set" if self._api_key else "none"
        name = type(self).__name__
        return f"{name}({self._preset.id!r}, {self._preset.base_url!r}, key={key})"

    @property
    def provider_id(self) -> str:
        return self._preset.id

    @property
    def display_name(self) -> str:
        return self._preset.name

    def prepare(self) -> None:
        with contextlib.suppress(ChatError):  # no key: said by the request that needs one
            self._sdk_client()

    def _sdk_client(self) -> Any:
        raise NotImplementedError

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()
