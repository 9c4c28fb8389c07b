"""What a reply cost, and where the price came from.

A price is looked for, in order: the person's own correction (kept in
`price_overrides.json` beside the settings), what the service lists (OpenRouter's
`/models`), the table that ships with the app (domain/model_catalog.py), and nothing for a
server on the person's machine. A reply's cost is None when no price is known: an unknown
cost is said as "unknown", never as 0. A cost the service reported itself (OpenRouter's
`usage.cost`) is kept as it is.

Usage.cost_source holds one of the COST_* words below ("table 2025-11-24" with the table's
date), for the view to put in the person's language.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from desktopchat.domain.model_catalog import ModelCatalog, parse_catalog, price
from desktopchat.domain.types import Usage
from desktopchat.services.model_list import ModelList
from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.small_files import UnusableFile, read_small_json

log = logging.getLogger(__name__)

COST_REPORTED = "reported"
"""The service said what the reply cost."""
COST_LISTED = "listed"
"""From the prices in the service's model list."""
COST_TABLE = "table"
"""From the bundled table; followed by its date."""
COST_YOURS = "yours"
"""From the person's own correction."""
COST_LOCAL = "local"
"""A model on the person's machine: nothing to pay."""

OVERRIDES_FILE = "price_overrides.json"
MAX_OVERRIDES_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float | None
    output: float | None
    cached_input: float | None = None
    """None: cached input is charged as input."""
    source: str = ""

    @property
    def known(self) -> bool:
        return self.input is not None and self.output is not None


def cost_of(usage: Usage, price: Price | None) -> float | None:
    """The cost of these tokens at this price; None when either is not known."""
    if price is None or price.input is None or price.output is None or usage.input_tokens is None:
        return None
    if usage.output_tokens is None:
        return None
    cached = min(usage.cached_tokens or 0, usage.input_tokens)
    cached_price = price.cached_input if price.cached_input is not None else price.input
    dollars = (
        (usage.input_tokens - cached) * price.input
        + cached * cached_price
        + usage.output_tokens * price.output
    )
    return dollars / 1_000_000


def with_searches(usage: Usage, searches: int, per_thousand: float | None) -> Usage:
    """The usage with `searches` web searches added to its cost at `per_thousand` dollars
    per 1,000 (Anthropic's $10). A cost the service reported already holds them
    (OpenRouter's); with the searches' price unknown the whole cost is unknown, never
    short of what was charged."""
    if not searches or usage.cost is None or usage.cost_source == COST_REPORTED:
        return usage
    if per_thousand is None:
        return replace(usage, cost=None, cost_source=None)
    return replace(usage, cost=usage.cost + searches * per_thousand / 1000)


def read_bundled_catalog() -> ModelCatalog:
    """The table shipped with the app (blocking: call it in a worker thread)."""
    try:
        text = resources.files("desktopchat").joinpath("data/model_table.json").read_text("utf-8")
        return parse_catalog(json.loads(text))
    except (OSError, ValueError) as error:  # a broken install: prices unknown, not a crash
        log.warning("could not read the bundled model table: %s", error)
        return ModelCatalog()


def read_overrides(path: Path) -> dict[tuple[str, str], Price]:
    """The person's corrections (blocking); a missing or damaged file is none."""
    try:
        data = read_small_json(path, MAX_OVERRIDES_BYTES)
    except FileNotFoundError:
        return {}
    except UnusableFile as unusable:
        log.warning("ignoring the price corrections in %s: %s", path, unusable.kind)
        return {}
    overrides: dict[tuple[str, str], Price] = {}
    for entry in data.get("prices", []) if isinstance(data, dict) else []:
        if not isinstance(entry, dict):
            continue
        provider, model = entry.get("provider"), entry.get("model")
        corrected = Price(
            price(entry.get("input")),
            price(entry.get("output")),
            price(entry.get("cached_input")),
            COST_YOURS,
        )
        if isinstance(provider, str) and isinstance(model, str) and corrected.known:
            overrides[provider, model] = corrected
    return overrides


def write_overrides(path: Path, overrides: dict[tuple[str, str], Price]) -> None:
    """Save the corrections atomically (blocking)."""
    prices = [
        {
            "provider": provider,
            "model": model,
            "input": value.input,
            "output": value.output,
            "cached_input": value.cached_input,
        }
        for (provider, model), value in sorted(overrides.items())
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps({"prices": prices}, indent=1))


class Pricing:
    """Prices for every provider and model, from the four places in the module's order."""

    def __init__(
        self,
        catalog: Callable[[], ModelCatalog],
        overrides: dict[tuple[str, str], Price] | None = None,
        *,
        listed: Callable[[str], ModelList | None] = lambda _provider: None,
        is_local: Callable[[str], bool] = lambda _provider: False,
        overrides_path: Path | None = None,
    ) -> None:
        """`catalog` gives the bundled table as loaded so far (the registry reads it once);
        `overrides_path` is where the person's corrections are kept (None: not kept)."""
        self._catalog = catalog
        self._overrides = dict(overrides or {})
        self._listed = listed
        self._is_local = is_local
        self._path = overrides_path

    @property
    def catalog(self) -> ModelCatalog:
        return self._catalog()

    @property
    def overrides(self) -> dict[tuple[str, str], Price]:
        return dict(self._overrides)

    async def load(self) -> None:
        """Read the person's corrections (in a worker thread)."""
        if self._path is not None:
            self._overrides = await asyncio.to_thread(read_overrides, self._path)

    async def correct(self, provider_id: str, model: str, corrected: Price | None) -> None:
        """Set (or with None, remove) the person's price for a model, and keep it."""
        if corrected is None:
            self._overrides.pop((provider_id, model), None)
        else:
            self._overrides[provider_id, model] = replace(corrected, source=COST_YOURS)
        if self._path is not None:
            await asyncio.to_thread(write_overrides, self._path, dict(self._overrides))

    def price(self, provider_id: str, model: str) -> Price | None:
        """The price of a model, None when nobody knows it."""
        yours = self._overrides.get((provider_id, model))
        if yours is not None:
            return yours
        listed = self._listed(provider_id)
        for info in listed.models if listed is not None else ():
            if info.id == model and info.input_price is not None and info.output_price is not None:
                return Price(info.input_price, info.output_price, source=COST_LISTED)
        catalog = self.catalog
        entry = catalog.entry(provider_id, model)
        if entry is not None and entry.input_price is not None and entry.output_price is not None:
            source = f"{COST_TABLE} {catalog.as_of}".strip()
            return Price(entry.input_price, entry.output_price, entry.cached_input_price, source)
        if self._is_local(provider_id):
            return Price(0.0, 0.0, source=COST_LOCAL)
        return None

    def web_search_price(self, provider_id: str, model: str) -> float | None:
        """US dollars per 1,000 web searches with this model (the bundled table); None
        when unknown."""
        return self.catalog.web_search_price(provider_id, model)

    def priced(self, usage: Usage, provider_id: str, model: str) -> Usage:
        """The usage with its cost and the cost's source; a cost the service reported
        stays, an unknown one stays None."""
        if usage.cost is not None:
            return usage
        known = self.price(provider_id, model)
        cost = cost_of(usage, known)
        if cost is None:
            return replace(usage, cost=None, cost_source=None)
        return replace(usage, cost=cost, cost_source=known.source if known else None)
