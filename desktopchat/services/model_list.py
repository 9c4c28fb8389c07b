"""A provider's model list as the app keeps it: sorted, capped, every id and name of a
sane size, and how many the service listed in all.

A model list is outside text from a server we may not control: a million entries or an id
of a megabyte must not cost memory, start-up time or a frozen model picker. What is kept is
bounded here, once, whether the list comes from the service, the first-run probe or the
disk cache; the model picker only ever sees a list of at most MAX_MODELS entries.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from desktopchat.domain.model_catalog import price
from desktopchat.domain.types import ModelInfo, token_count

MAX_MODELS = 5_000
"""Models kept per provider: more than any real service lists (OpenRouter ~400), few enough
for the picker to filter as the person types."""
MAX_ID_CHARS = 256
"""A longer id is dropped (cutting it would send a model that does not exist)."""
MAX_NAME_CHARS = 256
"""A longer display name is cut: it is only shown."""
MAX_CACHE_BYTES = 8 * 1024 * 1024
"""A cache file larger than a capped list can be (an old, uncapped one) is not read."""


@dataclass(frozen=True)
class ModelList:
    """The models shown for one provider (at most MAX_MODELS) and how many were listed."""

    models: tuple[ModelInfo, ...] = ()
    total: int = 0

    @property
    def capped(self) -> bool:
        """Whether the service listed more models than are kept."""
        return self.total > len(self.models)

    def to_json(self) -> str:
        return json.dumps({"total": self.total, "models": [asdict(m) for m in self.models]})

    @classmethod
    def from_json(cls, text: str) -> ModelList:
        """Read a cache file (raises ValueError, TypeError or KeyError if it is not one).
        Older versions wrote a bare list of models; it is capped like a fresh one."""
        data = json.loads(text)
        if isinstance(data, list):
            return capped(_model_from_dict(item) for item in data)
        shaped = capped(_model_from_dict(item) for item in data["models"])
        total = data.get("total")
        if type(total) is int and total >= len(shaped.models):
            return cls(shaped.models, total)
        return shaped


def _model_from_dict(item: Any) -> ModelInfo:
    if not isinstance(item, dict):
        raise TypeError("a cached model is not an object")
    return ModelInfo(**item)


def capped(models: Iterable[ModelInfo]) -> ModelList:
    """Sort by what a person reads (then id), drop unusable ids and duplicates, keep the
    first MAX_MODELS with their names made plain; `total` counts every entry listed."""
    seen: set[str] = set()
    usable: list[ModelInfo] = []
    total = 0
    for info in models:
        total += 1
        if _usable_id(info.id) and info.id not in seen:
            seen.add(info.id)
            usable.append(info)
    usable.sort(key=lambda model: (str(model.label).casefold(), model.id))
    return ModelList(tuple(_plain(info) for info in usable[:MAX_MODELS]), total)


def _usable_id(model_id: object) -> bool:
    return (
        isinstance(model_id, str)
        and 0 < len(model_id) <= MAX_ID_CHARS
        and model_id.strip() == model_id
        and model_id.isprintable()
    )


def _plain(info: ModelInfo) -> ModelInfo:
    """The name on one line, without control or bidi characters, cut to MAX_NAME_CHARS;
    the other fields only of the types they claim (a cache file may say anything)."""
    context, most, created = info.context_length, info.max_output_tokens, info.created
    return ModelInfo(
        info.id,
        _plain_text(info.name),
        context_length=token_count(context, least=1),
        owned_by=_plain_text(info.owned_by),
        created=(
            float(created)
            if created is not None and type(created) in (int, float) and created > 0
            else None
        ),
        input_price=price(info.input_price),
        output_price=price(info.output_price),
        input_modalities=_modalities(info.input_modalities),
        max_output_tokens=token_count(most, least=1),
        tools=info.tools if type(info.tools) is bool else None,
    )


def _modalities(listed: object) -> tuple[str, ...] | None:
    """What a model reads, as short words only (a cache file may say anything)."""
    if not isinstance(listed, list | tuple):
        return None
    words = [item for item in listed if isinstance(item, str) and item.isidentifier()]
    return tuple(words[:8])


def _plain_text(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    text = "".join(c for c in " ".join(text[: MAX_NAME_CHARS * 4].split()) if c.isprintable())
    if len(text) > MAX_NAME_CHARS:
        text = text[: MAX_NAME_CHARS - 1] + "…"
    return text or None


_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})(?=$|[-:@])")
"""A version date in an id: `gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`,
`mistral-large-2411`, `gpt-4-0613`."""


def is_dated(model_id: str) -> bool:
    """A pinned, dated version rather than an alias that moves (`-latest`, no date)."""
    return not model_id.endswith("-latest") and _DATED.search(model_id) is not None


def versions_apart(models: ModelList) -> ModelList:
    """The list as the model picker shows it: aliases first, then dated versions, newest
    first; a model without a display name shows when the service made it available."""
    aliases = [m for m in models.models if not is_dated(m.id)]
    dated = [m for m in models.models if is_dated(m.id)]
    dated.sort(key=lambda m: (-(m.created or 0), m.id))
    return ModelList(tuple(_dated_label(m) for m in aliases + dated), models.total)


def _dated_label(info: ModelInfo) -> ModelInfo:
    if info.name or info.created is None:
        return info
    day = time.strftime("%Y-%m-%d", time.gmtime(info.created))
    return replace(info, name=f"{info.id}  ·  {day}")
