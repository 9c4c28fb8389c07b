"""A local server's own word on a model's context window: what it will hold at run time,
which its OpenAI-compatible model list seldom says.

- llama.cpp: `GET /props`, `default_generation_settings.n_ctx` (the context it was
  started with; `/v1/models` gives only the trained `meta.n_ctx_train`);
- LM Studio: `GET /api/v0/models`, the model's `loaded_context_length` when it is loaded,
  else its `max_context_length`;
- Ollama: `POST /api/show`, the `num_ctx` parameter when the model sets one, else
  `model_info["<architecture>.context_length"]`.

Asked only of local presets and the person's own endpoints over plain http (a cloud API
has none of these), through services/local_http.py (bounded, on the loop's non-blocking
sockets, JSON parsed in a worker thread), once per server and model: the answer, or its
absence, is kept for the session. Every number is range-checked (domain/types.py
`token_count`): a server's 2^80 or "4096" reads as unknown.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from urllib.parse import SplitResult, urlsplit

from desktopchat.domain.presets import ProviderPreset
from desktopchat.domain.types import token_count
from desktopchat.services.local_http import NoAnswer, fetch_json

log = logging.getLogger(__name__)

LEAST_WINDOW = 256
"""A smaller window is not a real model's: read as unknown."""

_NUM_CTX = re.compile(r"^\s*num_ctx\s+(\d{1,10})\s*$", re.MULTILINE)

Source = Callable[[SplitResult, str, str | None], Awaitable[int | None]]


def _count(value: object) -> int | None:
    return token_count(value, least=LEAST_WINDOW)


def _field(value: object, name: str) -> object:
    return value.get(name) if isinstance(value, dict) else None


async def llama_cpp(root: SplitResult, model: str, key: str | None) -> int | None:
    props = await fetch_json(root, "/props", key)
    return _count(_field(_field(props, "default_generation_settings"), "n_ctx"))


async def lm_studio(root: SplitResult, model: str, key: str | None) -> int | None:
    listed = _field(await fetch_json(root, "/api/v0/models", key), "data")
    for entry in listed if isinstance(listed, list) else []:
        if _field(entry, "id") == model:
            loaded = _count(_field(entry, "loaded_context_length"))
            return loaded or _count(_field(entry, "max_context_length"))
    return None


async def ollama(root: SplitResult, model: str, key: str | None) -> int | None:
    shown = await fetch_json(root, "/api/show", key, {"model": model})
    parameters = _field(shown, "parameters")
    if isinstance(parameters, str):
        found = _NUM_CTX.search(parameters[:100_000])
        if found and (num_ctx := _count(int(found.group(1)))):
            return num_ctx
    info = _field(shown, "model_info")
    if isinstance(info, dict):
        trained = [_count(v) for k, v in info.items() if str(k).endswith(".context_length")]
        return next((value for value in trained if value), None)
    return None


_SOURCES: dict[str, tuple[Source, ...]] = {
    "lmstudio": (lm_studio,),
    "ollama": (ollama,),
}
_ANY_SERVER: tuple[Source, ...] = (llama_cpp, lm_studio, ollama)
"""A person's own endpoint may be any of them: the cheapest question first."""


class LocalWindows:
    """What local servers said of their models' windows, per server and model."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], int | None] = {}
        self._asking: dict[tuple[str, str], asyncio.Future[int | None]] = {}

    @staticmethod
    def asked_of(preset: ProviderPreset) -> bool:
        """Whether this provider is a server to ask: local or the person's, plain http."""
        return (preset.local or preset.custom) and urlsplit(preset.base_url).scheme == "http"

    def known(self, preset: ProviderPreset, model: str) -> int | None:
        """The window learned for this server and model, without asking anything."""
        return self._known.get((preset.base_url, model))

    def answered(self, preset: ProviderPreset, model: str) -> bool:
        """Whether this server was asked about this model already (its answer may have been
        that it does not say)."""
        return (preset.base_url, model) in self._known

    async def learn(self, preset: ProviderPreset, model: str, key: str | None) -> int | None:
        """Ask the server once (callers that come meanwhile share the question)."""
        slot = (preset.base_url, model)
        if slot in self._known or not model or not self.asked_of(preset):
            return self._known.get(slot)
        asking = self._asking.get(slot)
        if asking is None:
            asking = asyncio.ensure_future(self._ask(preset, model, key))
            self._asking[slot] = asking
        window = await asyncio.shield(asking)
        self._known[slot] = window
        self._asking.pop(slot, None)
        return window

    @staticmethod
    async def _ask(preset: ProviderPreset, model: str, key: str | None) -> int | None:
        root = urlsplit(preset.base_url)
        for source in _SOURCES.get(preset.id, _ANY_SERVER):
            try:
                window = await source(root, model, key)
            except NoAnswer as error:
                log.debug("%s: no window from %s: %s", preset.name, source.__name__, error)
                continue
            if window:
                return window
        return None
