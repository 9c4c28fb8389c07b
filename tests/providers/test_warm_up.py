"""The SDK warm-up leaves the first real request nothing to import (P2: the first Send does
not stall the event loop on imports), and it sends nothing anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_FIRST_REQUEST = """
import asyncio, json, sys
from tests.wire_server import WireServer
from desktopchat.domain.presets import get_preset, with_base_url
from desktopchat.domain.types import ChatTurn, GenerationSettings, Role
from desktopchat.providers.factory import create_provider
from desktopchat.providers.warm_up import warm_up

sdk = sys.argv[1]
with WireServer() as server:
    url = server.openai_url if sdk == "openai" else server.url
    preset = with_base_url(get_preset(sdk), url)
    warm_up(sdk)
    provider = create_provider(preset, "sk-warm-up-test-0123456789")
    provider.prepare()
    before = set(sys.modules)

    async def first_request():
        events = [event async for event in provider.stream(
            [ChatTurn(role=Role.USER, text="hello")], GenerationSettings(model="wire-large"))]
        await provider.aclose()
        return events

    events = asyncio.run(first_request())
    print(json.dumps({
        "imported": sorted(set(sys.modules) - before),
        "events": [type(event).__name__ for event in events],
        "requests": len(server.requests),
    }))
"""


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_after_the_warm_up_the_first_request_imports_nothing(sdk):
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_REQUEST, sdk],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["events"][-1] == "Finished"
    assert report["requests"] == 1  # the warm-up's canned request never reached the server
    assert report["imported"] == []


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_without_a_loopback_socket_the_warm_up_still_streams_its_canned_reply(sdk, monkeypatch):
    """A sandbox that refuses to listen on loopback: the mock transport stands in, and the
    warm-up still ends (it runs in a worker thread; an exception there would only be
    logged, and the SDK's own first-request costs would be left to the loop)."""
    import asyncio

    from desktopchat.providers import warm_up as warm_up_module

    async def refuse(*_args, **_kwargs):
        raise PermissionError("listening is not allowed here")

    opened = []
    monkeypatch.setattr(asyncio, "start_server", refuse)
    real_mock = warm_up_module._mock_client
    monkeypatch.setattr(
        warm_up_module, "_mock_client", lambda body: opened.append(body) or real_mock(body)
    )
    warm_up_module.warm_up(sdk)
    assert len(opened) == 1 and b"ok" in opened[0]


def test_a_warm_up_that_fails_to_import_once_is_tried_again_and_reports_no_bug(monkeypatch):
    """An SDK import that fails once (PySide's import hook and pydantic's lazy attributes,
    about one start in twenty) is retried on fresh modules; the window never shows a bug."""
    import asyncio

    from desktopchat.providers import warm_up as warm_up_module
    from desktopchat.services import registry

    calls = []
    real = warm_up_module.warm_up

    def flaky(sdk):
        calls.append(sdk)
        if len(calls) == 1:
            raise ImportError("cannot import name 'import_string' from partially initialized")
        real(sdk)

    monkeypatch.setattr(warm_up_module, "warm_up", flaky)
    monkeypatch.setattr(registry, "_imported_sdks", set())
    asyncio.run(registry.import_sdk("openai"))
    assert calls == ["openai", "openai"]
    assert "openai" in registry._imported_sdks
