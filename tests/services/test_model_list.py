"""What is kept of a model list: sorted, capped, ids usable, names plain, and how many the
service listed; the cache file's format, old and new."""

from __future__ import annotations

import pytest

from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import (
    MAX_ID_CHARS,
    MAX_MODELS,
    MAX_NAME_CHARS,
    ModelList,
    capped,
)


def test_a_long_list_is_sorted_capped_and_counted():
    listed = [ModelInfo(f"m-{i:06d}") for i in reversed(range(MAX_MODELS + 1_000))]
    models = capped(listed)
    assert len(models.models) == MAX_MODELS
    assert models.total == MAX_MODELS + 1_000
    assert models.capped
    assert models.models[0].id == "m-000000"
    assert models.models[-1].id == f"m-{MAX_MODELS - 1:06d}"


def test_a_short_list_is_not_capped():
    models = capped([ModelInfo("b"), ModelInfo("a", name="Zed")])
    assert [m.id for m in models.models] == ["b", "a"]  # by what is read: "b" < "Zed"
    assert not models.capped


@pytest.mark.parametrize(
    "bad_id",
    ["x" * (MAX_ID_CHARS + 1), "", " padded", "line\nbreak", "bidi\u202eevil", "tab\there"],
)
def test_unusable_ids_are_dropped_not_cut(bad_id):
    models = capped([ModelInfo(bad_id), ModelInfo("fine")])
    assert [m.id for m in models.models] == ["fine"]
    assert models.total == 2


def test_duplicate_ids_are_kept_once():
    models = capped([ModelInfo("a", name="First"), ModelInfo("a", name="Second")])
    assert [(m.id, m.name) for m in models.models] == [("a", "First")]


def test_names_are_made_plain_and_cut():
    long_name = "n" * (MAX_NAME_CHARS * 10)
    models = capped(
        [
            ModelInfo("a", name="Two\nlines\u202e and\tbidi"),
            ModelInfo("b", name=long_name, owned_by="o" * 10_000),
            ModelInfo("c", name="   "),
        ]
    )
    by_id = {m.id: m for m in models.models}
    assert by_id["a"].name == "Two lines and bidi"
    assert len(by_id["b"].name) == MAX_NAME_CHARS and by_id["b"].name.endswith("…")
    assert len(by_id["b"].owned_by) == MAX_NAME_CHARS
    assert by_id["c"].name is None


def test_the_cache_format_keeps_the_total():
    models = capped([ModelInfo(f"m{i}", context_length=i) for i in range(MAX_MODELS + 5)])
    again = ModelList.from_json(models.to_json())
    assert again == models
    assert again.total == MAX_MODELS + 5


def test_an_old_cache_of_a_bare_list_is_capped():
    old = "[" + ",".join(f'{{"id": "m{i:05d}"}}' for i in range(MAX_MODELS + 10)) + "]"
    models = ModelList.from_json(old)
    assert len(models.models) == MAX_MODELS and models.total == MAX_MODELS + 10


@pytest.mark.parametrize(
    "text",
    ['{"models": 5}', '{"models": [5]}', '{"models": [{"id": "a", "colour": 1}]}', "7", "{"],
)
def test_a_cache_of_another_shape_is_refused(text):
    with pytest.raises((ValueError, TypeError, KeyError)):
        ModelList.from_json(text)


def test_field_types_from_a_cache_are_checked():
    models = ModelList.from_json(
        '{"total": "many", "models": [{"id": "a", "name": 5, "context_length": "big"}]}'
    )
    assert models.models == (ModelInfo("a"),)
    assert models.total == 1


def test_prices_dates_and_limits_survive_the_cache():
    info = ModelInfo(
        "m",
        created=1_700_000_000.0,
        input_price=1.25,
        output_price=10.0,
        input_modalities=("text", "image"),
        max_output_tokens=8192,
        context_length=128_000,
    )
    (again,) = ModelList.from_json(capped([info]).to_json()).models
    assert again == info


def test_a_cache_with_prices_of_the_wrong_shape_reads_them_as_unknown():
    text = '{"total": 1, "models": [{"id": "m", "input_price": "free", "created": "x",'
    text += ' "input_modalities": "text", "max_output_tokens": 1.5}]}'
    (model,) = ModelList.from_json(text).models
    assert (model.input_price, model.created, model.input_modalities) == (None, None, None)
    assert model.max_output_tokens is None


def test_aliases_come_apart_from_dated_versions_newest_first_with_dates():
    from desktopchat.services.model_list import is_dated, versions_apart

    listed = capped(
        [
            ModelInfo("gpt-4o-2024-05-13", created=1_715_000_000.0),
            ModelInfo("gpt-4o", created=1_715_000_000.0),
            ModelInfo("gpt-4o-2024-08-06", created=1_722_000_000.0),
            ModelInfo("mistral-large-latest"),
            ModelInfo("mistral-large-2411"),
            ModelInfo("openai/gpt-4o", name="OpenAI: GPT-4o", created=1_715_000_000.0),
        ]
    )
    shown = versions_apart(listed)
    assert [m.id for m in shown.models] == [
        "gpt-4o",
        "mistral-large-latest",
        "openai/gpt-4o",
        "gpt-4o-2024-08-06",
        "gpt-4o-2024-05-13",
        "mistral-large-2411",
    ]
    assert shown.models[0].label == "gpt-4o  ·  2024-05-06"
    assert shown.models[2].label == "OpenAI: GPT-4o", "a service's own name is kept"
    assert shown.models[5].label == "mistral-large-2411", "no date given, none shown"
    assert shown.total == listed.total
    assert is_dated("claude-sonnet-4-5-20250929") and not is_dated("claude-sonnet-4-5")
    assert not is_dated("llama-3.1-8b-instant") and is_dated("gpt-4-0613")
