"""ProviderRegistry against the wire server: keys looked up in order, overrides applied,
providers reused until something they depend on changes, model lists cached on disk."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import CustomEndpoint, Preferences
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


def test_no_key_is_refused_before_any_request(wire_server, prefs, keys):
    registry = ProviderRegistry(keys, lambda: prefs)
    with pytest.raises(ChatError) as caught:
        asyncio.run(registry.provider("openai"))
    assert caught.value.kind is ErrorKind.NO_KEY
    assert wire_server.requests == []


def test_keychain_key_is_sent_and_models_are_cached(wire_server, prefs, keys, tmp_path):
    wire_server.models = [ModelSpec("alpha"), ModelSpec("beta")]
    keys.set("openai", KEY)
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
    keys.set("openai", KEY)
    registry = ProviderRegistry(keys, lambda: prefs)

    async def scenario():
        first = await registry.provider("openai")
        again = await registry.provider("openai")
        keys.set("openai", KEY + "-new")
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
    assert [m.id for m in models] == ["gamma"]
    assert keys.get("openai") is None


def test_unreadable_model_cache_is_ignored(prefs, keys, tmp_path):
    (tmp_path / "models-openai.json").write_text("{not json")
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=tmp_path)
    assert asyncio.run(registry.cached_models("openai")).models == ()
