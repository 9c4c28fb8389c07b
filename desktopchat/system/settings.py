"""Non-secret preferences, as JSON in the config folder.

A damaged settings file must never stop the app or be lost: whatever cannot be read falls
back to its default, field by field, and the file itself is moved aside for a person to look
at. Writes are atomic, so a crash leaves the old file or the new one. There is deliberately
no field for an API key: keys live in the keychain (core/keys.py).
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desktopchat.system.atomic import write_text_atomic

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "fr")
MAX_TOKENS_LIMIT = 1_000_000
TIMEOUT_LIMIT = 3600.0
_SLUG_LIMIT = 40


@dataclass(frozen=True)
class CustomEndpoint:
    """A person's own OpenAI-compatible server; its key, if any, is in the keychain under
    `id`."""

    id: str
    name: str
    base_url: str


@dataclass
class Preferences:
    theme: str = "system"
    language: str = "system"
    max_tokens: int = 4096
    request_timeout: float = 60.0
    """Seconds to wait for the first byte of a reply."""
    send_on_enter: bool = True
    last_provider: str | None = None
    last_model: str | None = None
    window_geometry: str = ""
    """Base64 of QWidget.saveGeometry()."""
    splitter_state: str = ""
    base_url_overrides: dict[str, str] = field(default_factory=dict)
    """Provider id → base URL: LM Studio or Ollama on another port, Qwen's China region."""
    custom_endpoints: list[CustomEndpoint] = field(default_factory=list)


class _Invalid(ValueError):
    """A value in the file that cannot be used; the field keeps its default."""


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise _Invalid
        return value

    return check


def _positive_int(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= MAX_TOKENS_LIMIT:
        raise _Invalid
    return value


def _timeout(value: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise _Invalid
    if not 0 < value <= TIMEOUT_LIMIT:
        raise _Invalid
    return float(value)


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Invalid
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _overrides(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Invalid
    kept = {k: v for k, v in value.items() if isinstance(v, str) and v.strip()}
    if len(kept) != len(value):
        raise _Invalid(kept)
    return kept


def _endpoints(value: Any) -> list[CustomEndpoint]:
    if not isinstance(value, list):
        raise _Invalid
    kept: list[CustomEndpoint] = []
    ids: set[str] = set()
    for item in value:
        if not isinstance(item, dict):
            continue
        parts = [item.get(name) for name in ("id", "name", "base_url")]
        if all(isinstance(p, str) and p.strip() for p in parts) and parts[0] not in ids:
            ids.add(parts[0])
            kept.append(CustomEndpoint(*parts))
    if len(kept) != len(value):
        raise _Invalid(kept)
    return kept


_READERS: dict[str, Callable[[Any], Any]] = {
    "theme": _one_of(THEMES),
    "language": _one_of(LANGUAGES),
    "max_tokens": _positive_int,
    "request_timeout": _timeout,
    "send_on_enter": _bool,
    "last_provider": _optional_text,
    "last_model": _optional_text,
    "window_geometry": _text,
    "splitter_state": _text,
    "base_url_overrides": _overrides,
    "custom_endpoints": _endpoints,
}


def _preferences_from(data: dict[str, Any]) -> tuple[Preferences, list[str]]:
    """Preferences from decoded JSON, and the names of the fields that had to be repaired.

    A collection with some bad entries keeps the good ones (the reader puts them in the
    _Invalid it raises); any other bad value falls back to the default.
    """
    values: dict[str, Any] = {}
    repaired: list[str] = []
    for pref in fields(Preferences):
        if pref.name not in data:
            continue
        try:
            values[pref.name] = _READERS[pref.name](data[pref.name])
        except _Invalid as bad:
            repaired.append(pref.name)
            if bad.args:
                values[pref.name] = bad.args[0]
    return Preferences(**values), repaired


class SettingsStore:
    """Loads and saves Preferences in one JSON file.

    `problem` says in words what the last load() had to repair, for the UI to show once.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.problem: str | None = None

    def load(self) -> Preferences:
        self.problem = None
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Preferences()
        except (OSError, UnicodeDecodeError) as exc:
            return self._start_over(f"could not be read ({exc.__class__.__name__})")
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            return self._start_over(f"is not valid JSON (line {exc.lineno})")
        if not isinstance(data, dict):
            return self._start_over("does not hold a JSON object")
        prefs, repaired = _preferences_from(data)
        if repaired:
            aside = self._move_aside()
            self.problem = (
                f"Some settings were unreadable and were reset: {', '.join(repaired)}. {aside}"
            )
            log.warning("Settings repaired: %s", ", ".join(repaired))
        return prefs

    def _start_over(self, what_went_wrong: str) -> Preferences:
        aside = self._move_aside()
        self.problem = f"The settings file {what_went_wrong}; defaults are used. {aside}"
        log.warning("Settings file %s %s", self.path, what_went_wrong)
        return Preferences()

    def _move_aside(self) -> str:
        """Rename the damaged file to settings.json.bad-<stamp>, never over an older one.
        Returns a sentence saying where it went."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.bad-{stamp}-{counter}")
        try:
            os.rename(self.path, target)
        except OSError as exc:
            log.warning("Could not move %s aside: %s", self.path, exc)
            return f"The damaged file could not be moved aside ({exc.strerror or exc})."
        return f"The damaged file was kept as {target}."

    def save(self, prefs: Preferences) -> None:
        """Write atomically, creating the folder; raises OSError (full disk, no permission)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = {"version": SETTINGS_VERSION, **asdict(prefs)}
        write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def new_endpoint_id(name: str, existing: Iterable[str]) -> str:
    """A stable, readable id for a custom endpoint ("custom-<slug>"), unique among
    `existing`: it is also the endpoint's account name in the keychain."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_SLUG_LIMIT].strip("-")
    base = f"custom-{slug or 'endpoint'}"
    taken = set(existing)
    candidate, counter = base, 1
    while candidate in taken:
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate
