"""The model picker's rows as plain data: favourites and recent models first, a provider
without a key as one "add key" row, "Loading…" and failures per provider, words filtering in
any order, and a typed model id offered for the current provider."""

from __future__ import annotations

from desktopchat.domain.presets import get_preset
from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import ModelList
from desktopchat.ui.models.picker_rows import ModelFacts, ProviderState, build_rows, describe


def listed(*ids: str, **info) -> ModelList:
    return ModelList(tuple(ModelInfo(i, **info) for i in ids), len(ids))


def states() -> list[ProviderState]:
    return [
        ProviderState(get_preset("openai"), listed("gpt-4o", "o3"), keyed=True),
        ProviderState(get_preset("anthropic"), None, keyed=None),
        ProviderState(get_preset("groq"), ModelList(), keyed=False),
        ProviderState(get_preset("lmstudio"), ModelList(), error="connection refused"),
    ]


def no_figures(_provider: str, _model: str) -> ModelFacts | None:
    return None


def shown(rows) -> list[tuple[str, str]]:
    return [(row.kind.value, row.text) for row in rows]


def test_favourites_and_recent_come_first_then_each_provider():
    rows = build_rows(
        states(), [("openai", "o3")], [("openai", "gpt-4o")], "", "openai", no_figures
    )
    assert shown(rows) == [
        ("header", "Favourites"),
        ("model", "OpenAI · o3"),
        ("header", "Recent"),
        ("model", "OpenAI · gpt-4o"),
        ("header", "OpenAI"),
        ("model", "gpt-4o"),
        ("model", "o3"),
        ("header", "Anthropic"),
        ("loading", "Loading…"),
        ("header", "LM Studio"),
        ("failed", "Could not load: retry"),
        ("header", "Without a key yet"),
        ("add_key", "Groq"),
    ]
    assert rows[1].favourite and not rows[3].favourite
    assert rows[10].detail == "connection refused"
    assert not rows[0].selectable and not rows[8].selectable and rows[12].selectable


def test_words_filter_in_any_order_and_a_typed_id_is_offered():
    rows = build_rows(states(), [], [], "4O gpt", "openai", no_figures)
    assert shown(rows) == [("header", "OpenAI"), ("model", "gpt-4o")]
    rows = build_rows(states(), [], [], "my-fine-tune", "openai", no_figures)
    assert shown(rows) == [("typed", "Use “my-fine-tune” with OpenAI")]
    assert rows[0].model is not None and rows[0].model.id == "my-fine-tune"
    assert ("add_key", "Groq") in shown(build_rows(states(), [], [], "groq", "openai", no_figures))


def test_marks_context_and_price_come_from_the_service_or_the_table():
    vision = ProviderState(
        get_preset("openrouter"),
        listed("openai/o3", input_modalities=("text", "image"), context_length=200_000),
        keyed=True,
    )
    rows = build_rows(
        [vision],
        [],
        [],
        "",
        "openrouter",
        lambda _p, _m: ModelFacts(input_price=2.0, output_price=8.0),
    )
    facts = rows[1].facts
    assert facts.vision and facts.reasoning and facts.context_length == 200_000
    assert rows[1].detail == "200k context · $2 / $8 per M"


def test_a_million_token_window_reads_as_millions_not_six_figures():
    assert describe(ModelFacts(context_length=1_047_576)) == "1M context"
    assert describe(ModelFacts(context_length=1_500_000)) == "1.5M context"
    assert describe(ModelFacts(context_length=128_000)) == "128k context"
