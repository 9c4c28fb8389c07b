"""Prices from the bundled table, the service's list and the person's corrections; the
cost of a reply, unknown when its price is."""

from __future__ import annotations

import asyncio
import json
import os
import time

import pytest

from desktopchat.domain.model_catalog import parse_catalog
from desktopchat.domain.types import ModelInfo, Usage
from desktopchat.services.model_list import ModelList
from desktopchat.services.pricing import (
    COST_LISTED,
    COST_LOCAL,
    COST_YOURS,
    Price,
    Pricing,
    cost_of,
    read_bundled_catalog,
    read_overrides,
)


@pytest.fixture(scope="module")
def catalog():
    return read_bundled_catalog()


def test_the_bundled_table_states_its_date_and_sources(catalog):
    assert catalog.as_of == "2025-11-24"
    for provider in ("openai", "anthropic", "deepseek", "mistral", "gemini", "groq", "qwen"):
        assert catalog.sources[provider].startswith("https://")
        assert catalog.well_known(provider), provider


def test_dated_and_latest_ids_find_their_model(catalog):
    assert catalog.entry("openai", "gpt-4o-2024-08-06").id == "gpt-4o"
    assert catalog.entry("anthropic", "claude-sonnet-4-5-20250929").id == "claude-sonnet-4-5"
    assert catalog.entry("anthropic", "claude-sonnet-4").id == "claude-sonnet-4-0"
    assert catalog.entry("openai", "gpt-4o-audio-preview") is None
    assert catalog.entry("custom-1", "gpt-4o") is None


def test_a_hand_edited_table_keeps_what_is_sound():
    table = parse_catalog(
        {
            "as_of": 3,
            "providers": {
                "x": {"models": {"a": {"input": -1, "output": "2", "context": 1.5}, "b": 4}},
                "y": [],
            },
        }
    )
    entry = table.entry("x", "a")
    assert (entry.input_price, entry.output_price, entry.context_length) == (None, None, None)
    assert table.entry("x", "b") is None and table.as_of == ""
    assert parse_catalog([]).providers == {}


def test_cost_counts_cached_input_at_its_price():
    usage = Usage(input_tokens=1_000_000, output_tokens=500_000, cached_tokens=400_000)
    price = Price(input=2.0, output=8.0, cached_input=0.5)
    assert cost_of(usage, price) == pytest.approx(0.6 * 2 + 0.4 * 0.5 + 0.5 * 8)
    assert cost_of(usage, Price(2.0, 8.0)) == pytest.approx(2 + 4)


@pytest.mark.parametrize(
    ("usage", "price"),
    [
        (Usage(10, 10), None),
        (Usage(10, 10), Price(None, 1.0)),
        (Usage(None, 10), Price(1.0, 1.0)),
        (Usage(10, None), Price(1.0, 1.0)),
    ],
)
def test_an_unknown_price_or_count_is_an_unknown_cost_never_zero(usage, price):
    assert cost_of(usage, price) is None


def test_prices_come_from_corrections_then_the_list_then_the_table(catalog):
    listed = ModelList((ModelInfo("openai/gpt-x", input_price=1.0, output_price=3.0),), 1)
    pricing = Pricing(
        lambda: catalog,
        {("openai", "gpt-4o"): Price(9.0, 9.0, source=COST_YOURS)},
        listed=lambda provider: listed if provider == "openrouter" else None,
        is_local=lambda provider: provider == "ollama",
    )
    assert pricing.price("openai", "gpt-4o").source == COST_YOURS
    assert pricing.price("openrouter", "openai/gpt-x") == Price(1.0, 3.0, source=COST_LISTED)
    table = pricing.price("openai", "gpt-4o-mini")
    assert (table.input, table.output, table.source) == (0.15, 0.6, "table 2025-11-24")
    assert pricing.price("ollama", "qwen3:8b").source == COST_LOCAL
    assert pricing.price("openrouter", "unknown/model") is None


def test_a_reply_is_priced_unless_the_service_said_its_cost(catalog):
    pricing = Pricing(lambda: catalog)
    priced = pricing.priced(Usage(1_000_000, 0), "openai", "gpt-4o")
    assert (priced.cost, priced.cost_source) == (2.5, "table 2025-11-24")
    reported = Usage(10, 10, cost=0.01, cost_source="reported")
    assert pricing.priced(reported, "openai", "gpt-4o") is reported
    unknown = pricing.priced(Usage(10, 10), "openrouter", "who/knows")
    assert (unknown.cost, unknown.cost_source) == (None, None)


def test_corrections_are_saved_and_read_back(tmp_path, catalog):
    path = tmp_path / "price_overrides.json"
    pricing = Pricing(lambda: catalog, overrides_path=path)
    asyncio.run(pricing.correct("openai", "gpt-4o", Price(3.0, 12.0, 1.0)))
    again = Pricing(lambda: catalog, overrides_path=path)
    asyncio.run(again.load())
    assert again.price("openai", "gpt-4o") == Price(3.0, 12.0, 1.0, COST_YOURS)
    asyncio.run(again.correct("openai", "gpt-4o", None))
    assert again.price("openai", "gpt-4o").source.startswith("table")
    assert read_overrides(path) == {}


@pytest.mark.parametrize(
    "content", ["", "{", "[]", json.dumps({"prices": [{"provider": "a", "model": "b"}, 3]})]
)
def test_a_damaged_corrections_file_is_no_corrections(tmp_path, content):
    path = tmp_path / "price_overrides.json"
    path.write_text(content)
    assert read_overrides(path) == {}


def test_a_deeply_nested_corrections_file_is_no_corrections(tmp_path):
    """RecursionError is not a ValueError: it escaped, and quitting skipped its saves."""
    path = tmp_path / "price_overrides.json"
    path.write_text('{"prices": ' + "[" * 200_000 + "]" * 200_000 + "}")
    assert read_overrides(path) == {}


def test_a_fifo_or_an_endless_device_in_place_of_the_corrections_is_not_read(tmp_path):
    """A FIFO would block the open until something writes (Quit never ended); /dev/zero
    would be read until memory runs out. Each is refused at once."""
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    endless = tmp_path / "endless.json"
    endless.symlink_to("/dev/zero")
    started = time.monotonic()
    assert read_overrides(fifo) == {}
    assert read_overrides(endless) == {}
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("provider", "model", "effort", "thinking"),
    [
        ("openai", "o3", True, False),
        ("openai", "gpt-5-mini", True, False),
        ("openai", "gpt-5-chat-latest", False, False),
        ("openai", "gpt-4o", False, False),
        ("openrouter", "openai/o4-mini", True, False),
        ("gemini", "gemini-2.5-pro", True, False),
        ("gemini", "gemini-2.0-flash", False, False),
        ("groq", "openai/gpt-oss-120b", True, False),
        ("anthropic", "claude-sonnet-4-5-20250929", False, True),
        ("anthropic", "claude-3-7-sonnet-latest", False, True),
        ("anthropic", "claude-3-5-haiku-latest", False, False),
        ("deepseek", "deepseek-reasoner", False, False),
    ],
)
def test_reasoning_options_are_offered_where_the_model_takes_them(
    provider, model, effort, thinking
):
    from desktopchat.domain.model_catalog import takes_reasoning_effort, takes_thinking_budget

    assert takes_reasoning_effort(provider, model) is effort
    assert takes_thinking_budget(provider, model) is thinking
