"""The services DesktopChat knows out of the box, and user-defined endpoints.

Plain data: which SDK speaks to a service, where it lives, where its key comes from and the
quirks that change a request (DESIGN.md section 3). Building a provider from a preset imports
the adapter, and the adapter imports its SDK, only when a request is about to be made.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

SdkName = Literal["openai", "anthropic"]


@dataclass(frozen=True)
class ProviderPreset:
    id: str
    name: str
    sdk: SdkName
    base_url: str
    env_var: str | None = None
    """The environment variable a key may come from when the keychain has none."""
    local: bool = False
    """A server on the person's machine: no key needed, a dummy one is sent."""
    dummy_key: str | None = None
    temperature_max: float = 2.0
    include_usage: bool = True
    """Send stream_options.include_usage (Mistral answers 422 to it)."""
    extra_headers: dict[str, str] = field(default_factory=dict)
    custom: bool = False

    @property
    def needs_key(self) -> bool:
        return not self.local and self.dummy_key is None

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""


APP_URL = "https://github.com/desktopchat/desktopchat"

PRESETS: tuple[ProviderPreset, ...] = (
    ProviderPreset("openai", "OpenAI", "openai", "https://api.openai.com/v1", "OPENAI_API_KEY"),
    ProviderPreset(
        "anthropic",
        "Anthropic",
        "anthropic",
        "https://api.anthropic.com",
        "ANTHROPIC_API_KEY",
        temperature_max=1.0,
        include_usage=False,
    ),
    ProviderPreset(
        "openrouter",
        "OpenRouter",
        "openai",
        "https://openrouter.ai/api/v1",
        "OPENROUTER_API_KEY",
        extra_headers={"HTTP-Referer": APP_URL, "X-OpenRouter-Title": "DesktopChat"},
    ),
    ProviderPreset("groq", "Groq", "openai", "https://api.groq.com/openai/v1", "GROQ_API_KEY"),
    ProviderPreset(
        "deepseek", "DeepSeek", "openai", "https://api.deepseek.com", "DEEPSEEK_API_KEY"
    ),
    ProviderPreset(
        "mistral",
        "Mistral",
        "openai",
        "https://api.mistral.ai/v1",
        "MISTRAL_API_KEY",
        include_usage=False,
    ),
    ProviderPreset(
        "gemini",
        "Google Gemini",
        "openai",
        "https://generativelanguage.googleapis.com/v1beta/openai/",
        "GEMINI_API_KEY",
    ),
    ProviderPreset(
        "qwen",
        "Qwen (DashScope)",
        "openai",
        "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        "DASHSCOPE_API_KEY",
    ),
    ProviderPreset(
        "lmstudio",
        "LM Studio",
        "openai",
        "http://localhost:1234/v1",
        local=True,
        dummy_key="lm-studio",
        include_usage=False,
    ),
    ProviderPreset(
        "ollama", "Ollama", "openai", "http://localhost:11434/v1", local=True, dummy_key="ollama"
    ),
)

_BY_ID = {preset.id: preset for preset in PRESETS}


def get_preset(provider_id: str) -> ProviderPreset:
    """The built-in preset with this id; KeyError if there is none."""
    return _BY_ID[provider_id]


def custom_preset(endpoint_id: str, name: str, base_url: str, *, has_key: bool) -> ProviderPreset:
    """A person's own OpenAI-compatible endpoint. Without a key it gets a dummy one, so the
    SDK never falls back to OPENAI_API_KEY and sends a person's OpenAI key elsewhere."""
    return ProviderPreset(
        id=endpoint_id,
        name=name,
        sdk="openai",
        base_url=base_url,
        dummy_key=None if has_key else "no-key",
        custom=True,
    )


def validate_base_url(url: str) -> str | None:
    """Why this URL cannot be an API base URL, or None if it can."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return "The address must start with http:// or https://."
    if not parts.hostname:
        return "The address has no host name."
    if parts.query or parts.fragment:
        return "The address must not contain ? or #."
    return None


def is_loopback(host: str) -> bool:
    """`localhost`, `*.localhost`, 127.0.0.0/8 and ::1: this machine, never via a proxy."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sends_key_in_clear(url: str) -> bool:
    """Whether a key sent to this base URL would cross a network unencrypted: plain http to
    another machine. The person is asked before a key goes there (R4)."""
    parts = urlsplit(url.strip())
    host = parts.hostname
    return parts.scheme == "http" and bool(host) and not is_loopback(host or "")


def with_base_url(preset: ProviderPreset, base_url: str) -> ProviderPreset:
    """The same preset pointed elsewhere: LM Studio on another port, Qwen's China region,
    or the wire server in tests."""
    return replace(preset, base_url=base_url)


_REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")


def is_reasoning_model(preset: ProviderPreset, model: str) -> bool:
    """OpenAI's reasoning models (o-series, gpt-5 family) reject a non-default temperature
    and want max_completion_tokens; reached directly or through OpenRouter ("openai/o3")."""
    if preset.id not in ("openai", "openrouter") and not preset.custom:
        return False
    name = model.lower().rsplit("/", 1)[-1]
    return name.startswith(_REASONING_PREFIXES) and "chat" not in name


def accepts_temperature(preset: ProviderPreset, model: str) -> bool:
    """Whether the temperature slider means anything for this model."""
    return not is_reasoning_model(preset, model)
