"""create_provider picks the adapter by SDK and imports no SDK until a request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat.domain.presets import PRESETS
from desktopchat.providers.anthropic import AnthropicProvider
from desktopchat.providers.base import RequestTimeouts
from desktopchat.providers.factory import create_provider
from desktopchat.providers.openai_compat import OpenAICompatProvider

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda preset: preset.id)
def test_the_adapter_matches_the_sdk(preset):
    provider = create_provider(preset, "sk-test-key-value-0000", timeouts=RequestTimeouts(1, 2))
    expected = AnthropicProvider if preset.sdk == "anthropic" else OpenAICompatProvider
    assert isinstance(provider, expected)
    assert (provider.provider_id, provider.display_name) == (preset.id, preset.name)
    assert "sk-test" not in repr(provider)


def test_building_providers_imports_no_sdk():
    code = (
        "import sys\n"
        "from desktopchat.providers.factory import create_provider\n"
        "from desktopchat.domain.presets import PRESETS\n"
        "providers = [create_provider(p, 'k') for p in PRESETS]\n"
        "print(sorted(m for m in ('openai', 'anthropic', 'httpx2') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
