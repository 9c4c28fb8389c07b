"""The context window a local server holds a model in, from its own endpoints (LM Studio,
Ollama, llama.cpp) and its model list, against the wire server: read once per model,
every number range-checked, a hostile answer read as unknown."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.services.local_http import MAX_BYTES
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import CustomEndpoint, Preferences
from tests.wire_formats import ModelSpec
from tests.wire_local import llama_props, lmstudio_models, ollama_show

LLAMA = "custom-llama"


@pytest.fixture
def registry(wire_server, memory_keyring) -> ProviderRegistry:
    root = wire_server.url
    prefs = Preferences(
        base_url_overrides={
            "openai": wire_server.openai_url,
            "lmstudio": wire_server.openai_url,
            "ollama": wire_server.openai_url,
        },
        custom_endpoints=[CustomEndpoint(LLAMA, "llama.cpp", f"{root}/v1")],
    )
    return ProviderRegistry(KeyStore(backend=memory_keyring, environ={}), lambda: prefs)


def window(registry: ProviderRegistry, provider: str, model: str) -> int | None:
    asyncio.run(registry.learn_window(provider, model))
    return registry.model_info(provider, model).context_length


def asked(wire_server, path: str) -> int:
    return sum(1 for request in wire_server.requests if request.path == path)


def test_lm_studio_says_the_loaded_window_else_the_largest(registry, wire_server):
    wire_server.local.lmstudio = lmstudio_models(
        {"id": "loaded", "state": "loaded", "max_context_length": 32768,
         "loaded_context_length": 4096},
        {"id": "resting", "max_context_length": 32768},
    )  # fmt: skip
    assert window(registry, "lmstudio", "loaded") == 4096
    assert window(registry, "lmstudio", "resting") == 32768
    assert window(registry, "lmstudio", "loaded") == 4096
    assert asked(wire_server, "/api/v0/models") == 2, "once per model"
    assert asked(wire_server, "/props") == 0, "LM Studio is asked its own way only"


def test_ollama_says_num_ctx_else_the_trained_window(registry, wire_server):
    wire_server.local.ollama = {
        "set": ollama_show(context_length=131072, num_ctx=2048),
        "default": ollama_show(context_length=8192),
    }
    assert window(registry, "ollama", "set") == 2048
    assert window(registry, "ollama", "default") == 8192
    bodies = [r.body for r in wire_server.requests if r.path == "/api/show"]
    assert bodies == [{"model": "set"}, {"model": "default"}]


def test_llama_cpp_says_the_window_it_runs_with(registry, wire_server):
    wire_server.models = [ModelSpec("small.gguf", meta={"n_ctx_train": 131072})]
    listed = asyncio.run(registry.models(LLAMA))
    assert listed.models[0].context_length == 131072, "the trained window, from /v1/models"
    wire_server.local.props = llama_props(2048)
    assert window(registry, LLAMA, "small.gguf") == 2048, "the running one comes first"


def test_list_fields_give_the_window_where_nothing_else_does(registry, wire_server):
    wire_server.models = [ModelSpec("listed", context_length=4096)]
    asyncio.run(registry.models(LLAMA))
    assert window(registry, LLAMA, "listed") == 4096
    assert [asked(wire_server, p) for p in ("/props", "/api/v0/models", "/api/show")] == [
        1,
        1,
        1,
    ], "each kind of server asked once, then the answer (none) is kept"
    assert window(registry, LLAMA, "listed") == 4096
    assert asked(wire_server, "/props") == 1


@pytest.mark.parametrize("n_ctx", [2**80, -4096, "4096", 4096.0, True, 12, None, {"n": 1}, [4096]])
def test_numbers_out_of_range_are_unknown(registry, wire_server, n_ctx):
    wire_server.local.props = llama_props(n_ctx)
    assert window(registry, LLAMA, "m") is None


def test_an_oversized_or_broken_answer_is_unknown(registry, wire_server):
    wire_server.local.props = b'{"default_generation_settings": {"n_ctx": 2048}, "x": "'
    wire_server.local.props += b"y" * MAX_BYTES + b'"}'
    assert window(registry, LLAMA, "big") is None
    wire_server.local.props = b"[" * 100_000 + b"]" * 100_000
    assert window(registry, LLAMA, "deep") is None
    wire_server.local.props = b"not json"
    assert window(registry, LLAMA, "junk") is None
    assert wire_server.errors == []


def test_a_cloud_service_is_never_asked(registry, wire_server):
    wire_server.local.props = llama_props(2048)
    assert window(registry, "openai", "gpt-4o") != 2048
    assert wire_server.requests == []
