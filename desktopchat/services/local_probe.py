"""The first-run look for a local LM Studio or Ollama server: is anything listening on its
usual port, and what models does it list?

One bounded GET of `/models` (services/local_http.py: a capped, plain answer within a
deadline, or nothing); when nothing listens, the refused connection costs a millisecond.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from desktopchat.domain.presets import ProviderPreset
from desktopchat.domain.types import ModelInfo
from desktopchat.services.local_http import DEADLINE, NoAnswer, fetch_json
from desktopchat.services.model_list import ModelList, capped

log = logging.getLogger(__name__)

PROBE_DEADLINE = DEADLINE
"""Everything, from connecting to the last byte of the model list."""


async def probe_models(preset: ProviderPreset) -> ModelList | None:
    """The models a local server lists, capped; None if nothing usable answered in time."""
    parts = urlsplit(preset.base_url)
    try:
        data = await fetch_json(parts, parts.path.rstrip("/") + "/models", preset.dummy_key)
        return capped(_models_of(data))
    except NoAnswer as error:
        log.info("%s gave no model list at %s: %s", preset.name, preset.base_url, error)
        return None


def _models_of(data: object) -> list[ModelInfo]:
    """OpenAI's shape, `{"data": [{"id": …}, …]}`, as LM Studio and Ollama send it."""
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise NoAnswer("no model list in the answer")
    models = []
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            owner = entry.get("owned_by")
            models.append(
                ModelInfo(entry["id"], owned_by=owner if isinstance(owner, str) else None)
            )
    return models
