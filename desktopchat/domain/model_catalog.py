"""What DesktopChat knows of the built-in services' models without asking them: prices,
context windows and output limits of well-known models, from a table that ships with the
app (desktopchat/data/model_table.json) and says where and when its figures were read.

Only OpenRouter publishes prices in its model list, and only some services give a context
window; this table fills the gaps for the first-party presets, and gives the model picker
well-known ids when a service's list cannot be loaded. Pure: the caller reads the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktopchat.domain.types import MAX_PRICE_PER_MILLION, ModelInfo, token_count

_VERSION_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$")
"""A dated or `-latest` form of an id in the table (`gpt-4o-2024-08-06`,
`claude-sonnet-4-5-20250929`): the same model, the same price."""


@dataclass(frozen=True)
class CatalogEntry:
    """One model's figures; prices in US dollars per million tokens, None if unknown."""

    id: str
    input_price: float | None = None
    cached_input_price: float | None = None
    """Input read from the service's prompt cache; None: charged as input."""
    output_price: float | None = None
    context_length: int | None = None
    max_output_tokens: int | None = None
    also: tuple[str, ...] = ()
    """Other ids of the same model (an alias without `-0`)."""
    tools: bool | None = None
    """Whether the model calls tools (`"tools"` in the table); None: not said."""
    web_search_price: float | None = None
    """US dollars per 1,000 searches through the service's own web search, when this
    model's differs from its service's (`"web_search_per_1000"`)."""


@dataclass(frozen=True)
class ModelCatalog:
    """The table: entries per provider id, with the date and source of its figures."""

    as_of: str = ""
    providers: Mapping[str, Mapping[str, CatalogEntry]] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    web_search_prices: Mapping[str, float] = field(default_factory=dict)
    """Provider id → US dollars per 1,000 web searches, for all its models."""

    def web_search_price(self, provider_id: str, model: str) -> float | None:
        """What 1,000 web searches cost with this model: its own price, else its service's;
        None when the table does not say."""
        entry = self.entry(provider_id, model)
        if entry is not None and entry.web_search_price is not None:
            return entry.web_search_price
        return self.web_search_prices.get(provider_id)

    def entry(self, provider_id: str, model: str) -> CatalogEntry | None:
        """The entry for this model: by its id, another id of it, or its id without a
        date or `-latest` suffix; None when the table does not know it."""
        entries = self.providers.get(provider_id) or {}
        for candidate in (model, _VERSION_SUFFIX.sub("", model)):
            found = entries.get(candidate)
            if found is not None:
                return found
        return None

    def well_known(self, provider_id: str) -> tuple[ModelInfo, ...]:
        """The table's models of a provider as a model list, for when the service's own
        list cannot be loaded."""
        return tuple(
            ModelInfo(
                entry.id,
                context_length=entry.context_length,
                input_price=entry.input_price,
                output_price=entry.output_price,
                max_output_tokens=entry.max_output_tokens,
            )
            for name, entry in (self.providers.get(provider_id) or {}).items()
            if name == entry.id
        )


def parse_catalog(data: Any) -> ModelCatalog:
    """The table from its JSON; anything of the wrong shape is left out, never raised:
    the file may have been edited by hand."""
    if not isinstance(data, dict):
        return ModelCatalog()
    providers: dict[str, dict[str, CatalogEntry]] = {}
    sources: dict[str, str] = {}
    search_prices: dict[str, float] = {}
    for provider_id, section in _items(data.get("providers")):
        if isinstance(section.get("source"), str):
            sources[provider_id] = section["source"]
        search_price = price(section.get("web_search_per_1000"))
        if search_price is not None:
            search_prices[provider_id] = search_price
        entries: dict[str, CatalogEntry] = {}
        for model, figures in _items(section.get("models")):
            entry = _entry(model, figures)
            for name in (model, *entry.also):
                entries[name] = entry
        providers[provider_id] = entries
    as_of = data.get("as_of")
    return ModelCatalog(as_of if isinstance(as_of, str) else "", providers, sources, search_prices)


def _items(value: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(value, dict):
        return []
    return [(k, v) for k, v in value.items() if isinstance(k, str) and isinstance(v, dict)]


def _entry(model: str, figures: dict[str, Any]) -> CatalogEntry:
    also = figures.get("also")
    return CatalogEntry(
        model,
        input_price=price(figures.get("input")),
        cached_input_price=price(figures.get("cached_input")),
        output_price=price(figures.get("output")),
        context_length=_tokens(figures.get("context")),
        max_output_tokens=_tokens(figures.get("max_output")),
        also=tuple(a for a in also if isinstance(a, str)) if isinstance(also, list) else (),
        tools=figures["tools"] if isinstance(figures.get("tools"), bool) else None,
        web_search_price=price(figures.get("web_search_per_1000")),
    )


def price(value: Any) -> float | None:
    """A price per million tokens: a finite number from 0 to MAX_PRICE_PER_MILLION, else
    unknown."""
    if type(value) not in (int, float) or not math.isfinite(value):
        return None
    return float(value) if 0 <= value <= MAX_PRICE_PER_MILLION else None


def _tokens(value: Any) -> int | None:
    return token_count(value, least=1)


_THINKING_CLAUDE = re.compile(r"claude-(3-7-|(opus|sonnet|haiku)-[4-9]|[4-9]-)")
_EFFORT_GEMINI = re.compile(r"gemini-(2\.5|[3-9])")


def takes_reasoning_effort(provider_id: str, model: str) -> bool:
    """Whether the model reads a reasoning effort: OpenAI's o-series and gpt-5 (directly,
    through OpenRouter or a person's own endpoint, whose id is "custom-…": see
    system/preferences.py new_endpoint_id), Gemini 2.5 and later, Groq's gpt-oss and Qwen3."""
    name = model.lower().rsplit("/", 1)[-1]
    if provider_id in ("openai", "openrouter") or provider_id.startswith("custom"):
        return name.startswith(("o1", "o3", "o4", "gpt-5")) and "chat" not in name
    if provider_id == "gemini":
        return _EFFORT_GEMINI.match(name) is not None
    if provider_id == "groq":
        return name.startswith(("gpt-oss", "qwen3"))
    return False


def takes_thinking_budget(provider_id: str, model: str) -> bool:
    """Whether the model can think with a budget: Anthropic's Claude 3.7 and later."""
    return provider_id == "anthropic" and _THINKING_CLAUDE.match(model.lower()) is not None
