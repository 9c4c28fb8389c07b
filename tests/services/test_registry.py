"""ProviderRegistry against the wire server: keys looked up in order, overrides applied,
providers reused until something they depend on changes, model lists capped, cached on disk
(written atomically, read once per provider) and kept in memory."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import ModelInfo
from desktopchat.services import registry as registry_module
from desktopchat.services.model_list import MAX_CACHE_BYTES, MAX_MODELS, ModelList
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import CustomEndpoint, Preferences
from tests.keyring_memory import run_keys
from tests.wire_formats import ModelSpec

KEY = "sk-registry-0123456789abcdef"


@pytest.fixture
def prefs(wire_server) -> Preferences:
    return Preferences(
        base_url_overrides={"openai": wire_server.openai_url, "lmstudio": wire_server.openai_url}
    )


@pytest.fixture
def keys(memory_keyring) -> KeyStore:
    return KeyStore(backend=memory_keyring, environ={})


def test_presets_apply_overrides_and_list_custom_endpoints(wire_server, prefs, keys):
    prefs.custom_endpoints.append(CustomEndpoint("custom-box", "Box", "http://box.local/v1"))
    registry = ProviderRegistry(keys, lambda: prefs)
    presets = {p.id: p for p in registry.presets()}
    assert presets["openai"].base_url == wire_server.openai_url
    assert presets["anthropic"].base_url == "https://api.anthropic.com"
    assert presets["custom-box"].custom and presets["custom-box"].base_url == "http://box.local/v1"
    with pytest.raises(ChatError):
        registry.preset("nope")


def test_providers_are_named_as_people_know_them_never_by_id(prefs, keys):
    # View → Usage showed "custom-fake-server" where the person had named it.
    prefs.custom_endpoints.append(CustomEndpoint("custom-fake-server", "My llama", "http://x/v1"))
    registry = ProviderRegistry(keys, lambda: prefs)
    assert registry.provider_name("custom-fake-server") == "My llama"
    assert registry.provider_name("openai") == "OpenAI"
    assert registry.provider_name("custom-removed-since") is None


def test_no_key_is_refused_before_any_request(wire_server, prefs, keys):
    registry = ProviderRegistry(keys, lambda: prefs)
    with pytest.raises(ChatError) as caught:
        asyncio.run(registry.provider("openai"))
    assert caught.value.kind is ErrorKind.NO_KEY
    assert wire_server.requests == []


def test_keychain_key_is_sent_and_models_are_cached(wire_server, prefs, keys, tmp_path):
    wire_server.models = [ModelSpec("alpha"), ModelSpec("beta")]
    run_keys(keys.aset("openai", KEY))
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path)

    async def scenario():
        models = await registry.models("openai")
        await registry.aclose()
        return models

    models = asyncio.run(scenario())
    assert [m.id for m in models.models] == ["alpha", "beta"]
    assert wire_server.last_request.header("Authorization") == f"Bearer {KEY}"
    fresh = ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path)
    cached = asyncio.run(fresh.cached_models("openai"))
    assert [m.id for m in cached.models] == ["alpha", "beta"]
    assert KEY not in "".join(p.read_text() for p in tmp_path.iterdir())


def test_environment_key_is_used_when_the_keychain_has_none(wire_server, prefs, memory_keyring):
    keys = KeyStore(backend=memory_keyring, environ={"OPENAI_API_KEY": KEY})
    registry = ProviderRegistry(keys, lambda: prefs)

    async def scenario():
        await registry.models("openai")
        await registry.aclose()

    asyncio.run(scenario())
    assert wire_server.last_request.header("Authorization") == f"Bearer {KEY}"


def test_local_server_gets_a_dummy_key_never_the_openai_one(wire_server, prefs, memory_keyring):
    keys = KeyStore(backend=memory_keyring, environ={"OPENAI_API_KEY": KEY})
    registry = ProviderRegistry(keys, lambda: prefs)

    async def scenario():
        await registry.models("lmstudio")
        await registry.aclose()

    asyncio.run(scenario())
    assert wire_server.last_request.header("Authorization") == "Bearer lm-studio"


def test_provider_is_reused_until_the_key_changes(wire_server, prefs, keys):
    run_keys(keys.aset("openai", KEY))
    registry = ProviderRegistry(keys, lambda: prefs)

    async def scenario():
        first = await registry.provider("openai")
        again = await registry.provider("openai")
        run_keys(keys.aset("openai", KEY + "-new"))
        changed = await registry.provider("openai")
        registry.invalidate("openai")
        rebuilt = await registry.provider("openai")
        await registry.aclose()
        return first, again, changed, rebuilt

    first, again, changed, rebuilt = asyncio.run(scenario())
    assert first is again
    assert changed is not first
    assert rebuilt is not changed


def test_test_key_checks_a_key_that_is_not_saved(wire_server, prefs, keys):
    wire_server.models = [ModelSpec("gamma")]
    registry = ProviderRegistry(keys, lambda: prefs)
    models = asyncio.run(registry.test_key("openai", KEY))
    assert [(m.id, m.owned_by) for m in models] == [("gamma", "system")]
    assert run_keys(keys.aget("openai")) is None


@pytest.mark.parametrize("text", ["{not json", "[" * 100_000, '{"models": [{"id": 5}]}'])
def test_unreadable_model_cache_is_ignored(prefs, keys, tmp_path, text):
    (tmp_path / "models-openai.json").write_text(text)
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path)
    assert asyncio.run(registry.cached_models("openai")).models == ()


def test_a_long_model_list_is_capped_before_it_is_kept(wire_server, prefs, keys, tmp_path):
    wire_server.models = [ModelSpec(f"model-{i:05d}") for i in range(MAX_MODELS + 500)]
    wire_server.models.append(ModelSpec("x" * 10_000))
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path)

    async def scenario():
        models = await registry.models("lmstudio")
        await registry.aclose()
        return models

    models = asyncio.run(scenario())
    assert len(models.models) == MAX_MODELS
    assert models.total == MAX_MODELS + 501
    assert all(len(m.id) < 100 for m in models.models)
    assert registry.known_models("lmstudio") is models
    cached = asyncio.run(
        ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path).cached_models("lmstudio")
    )
    assert cached == models


def test_the_cache_is_read_once_however_many_ask(prefs, keys, tmp_path, monkeypatch):
    (tmp_path / "models-openai.json").write_text(ModelList((ModelInfo("a"),), 1).to_json())
    reads = []
    read = registry_module._read_cache
    monkeypatch.setattr(
        registry_module, "_read_cache", lambda path: reads.append(path) or read(path)
    )
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path)

    async def scenario():
        assert registry.known_models("openai") is None
        together = await asyncio.gather(*(registry.cached_models("openai") for _ in range(3)))
        later = await registry.cached_models("openai")
        return together, later

    together, later = asyncio.run(scenario())
    assert len(reads) == 1
    assert all(models is later for models in together)
    assert [m.id for m in later.models] == ["a"]
    assert registry.known_models("openai") is later


def test_an_oversized_cache_is_not_read(prefs, keys, tmp_path):
    (tmp_path / "models-openai.json").write_text("[" + " " * MAX_CACHE_BYTES + "]")
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path)
    assert asyncio.run(registry.cached_models("openai")) == ModelList()


def test_a_list_found_by_the_probe_is_kept_like_a_fetched_one(prefs, keys, tmp_path):
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path)
    found = ModelList((ModelInfo("local-1"),), 1)
    asyncio.run(registry.keep_models("lmstudio", found))
    assert registry.known_models("lmstudio") is found
    cache = tmp_path / "models-lmstudio.json"
    assert cache.stat().st_mode & 0o777 == 0o600
    assert ModelList.from_json(cache.read_text()) == found


def test_model_facts_fill_the_lists_gaps_from_the_bundled_table(wire_server, prefs, keys):
    run_keys(keys.aset("openai", KEY))
    wire_server.models = [ModelSpec("gpt-4o-2024-08-06"), ModelSpec("wire-large", context_length=9)]
    registry = ProviderRegistry(keys, lambda: prefs)

    async def scenario():
        await registry.load_catalog()
        await registry.models("openai")

    asyncio.run(scenario())
    dated = registry.model_info("openai", "gpt-4o-2024-08-06")
    assert (dated.context_length, dated.max_output_tokens) == (128_000, 16_384)
    assert dated.created is not None, "the date the service gave"
    assert registry.model_info("openai", "wire-large").context_length == 9
    assert registry.model_info("openai", "never-heard-of").context_length is None
    assert "gpt-4o" in [m.id for m in registry.well_known_models("openai").models]
    assert registry.well_known_models("lmstudio").models == ()
    assert registry.is_local("lmstudio") and not registry.is_local("nope")


@pytest.mark.parametrize(
    ("place", "said"),
    [("lost", "forgotten when DesktopChat quit"), ("keychain", "no longer in the keychain")],
)
def test_a_custom_endpoint_whose_key_is_gone_says_so_instead_of_going_without(
    wire_server, prefs, keys, place, said
):
    """A key was given to the endpoint (kept for a session that ended, or in the keychain)
    and none is found now: the request would go without the key it needs."""
    prefs.custom_endpoints.append(CustomEndpoint("custom-box", "Box", wire_server.openai_url))
    prefs.key_places["custom-box"] = place
    registry = ProviderRegistry(keys, lambda: prefs)
    with pytest.raises(ChatError) as caught:
        asyncio.run(registry.provider("custom-box"))
    assert caught.value.kind is ErrorKind.NO_KEY and said in caught.value.detail
    assert wire_server.requests == []


def test_learning_the_window_of_an_endpoint_whose_key_is_gone_neither_raises_nor_asks_twice(
    wire_server, prefs, keys
):
    """Learning the window runs before every send: a gone key must not turn it into an
    exception outside the reply (Send would fail with no reply to say why), and a server
    asked once is not asked again, nor the keychain."""
    prefs.custom_endpoints.append(CustomEndpoint("custom-box", "Box", wire_server.openai_url))
    prefs.key_places["custom-box"] = "lost"
    registry = ProviderRegistry(keys, lambda: prefs)

    async def learn_twice() -> None:
        await registry.learn_window("custom-box", "wire-large")
        await registry.learn_window("custom-box", "wire-large")

    asyncio.run(learn_twice())
    asked = [r for r in wire_server.requests if r.method == "GET"]
    assert asked and all(r.header("authorization") != "Bearer no-key" for r in asked)
    assert len({r.path for r in asked}) == len(asked)  # each source once


def test_a_custom_endpoint_never_given_a_key_goes_without_one(wire_server, prefs, keys):
    prefs.custom_endpoints.append(CustomEndpoint("custom-box", "Box", wire_server.openai_url))
    registry = ProviderRegistry(keys, lambda: prefs)
    models = asyncio.run(registry.models("custom-box"))
    assert models.models
    assert wire_server.last_request.header("authorization") == "Bearer no-key"
