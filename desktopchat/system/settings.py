"""Non-secret preferences, as JSON in the config folder.

A damaged settings file must never stop the app or be lost: whatever cannot be read falls
back to its default, field by field, and the file itself is moved aside for a person to look
at. Writes are atomic, so a crash leaves the old file or the new one. There is deliberately
no field for an API key: keys live in the keychain (system/keys.py).
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import math
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.small_files import UnusableFile, read_small_json

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
    sidebar_folded: bool = False
    """The person folded the sidebar (Ctrl+B); a fold made by a narrow window is not kept."""
    sidebar_width: int = 0
    """The sidebar's width before it was folded (0: none yet); the splitter's state holds
    the rail's width while it is folded."""
    open_conversation: int | None = None
    """The conversation on screen when the app last stopped (None: a new chat)."""
    scroll_positions: dict[str, int] = field(default_factory=dict)
    """Conversation id → how far above its bottom it was scrolled, in pixels."""
    base_url_overrides: dict[str, str] = field(default_factory=dict)
    """Provider id → base URL: LM Studio or Ollama on another port, Qwen's China region."""
    custom_endpoints: list[CustomEndpoint] = field(default_factory=list)
    key_places: dict[str, str] = field(default_factory=dict)
    """Account → where the person put its key: "keychain", "session" (kept until quit) or
    "lost" (a session key gone with the last quit, already said). Names only, never a key:
    so a start can say which session keys are gone, and a custom endpoint whose key is
    missing says so instead of going without it."""
    keychain_notice: bool = True
    """Whether to say at start that there is no keychain ("Don't show again" turns it off)."""
    favourite_models: list[list[str]] = field(default_factory=list)
    """[provider id, model id] pairs starred in the model picker, in the order starred."""
    recent_models: list[list[str]] = field(default_factory=list)
    """[provider id, model id] pairs picked most recently, newest first."""
    side_panel: bool = False
    """Whether the conversation's settings panel is open."""
    conversation_switches: dict[str, dict[str, bool]] = field(default_factory=dict)
    """Conversation id ("new" for the chat not sent yet) → {"tools": …, "web_search": …}:
    whether its replies may use tools and web search. Kept here, not in the history (the
    history's schema has no place for them): a conversation never set uses the defaults
    (tools on, web search off)."""
    update_checks: bool | None = None
    """Whether DesktopChat may read the release feed once a day; None until the person
    answers the first start's question (and, like False, no request is ever made)."""
    update_feed: str = ""
    """The release feed's address (https); empty: not configured, nothing is checked."""
    update_last_check: float = 0.0
    """When the feed was last read (seconds since the epoch): at most one check a day."""


PLACE_FIELDS = frozenset(
    {
        "window_geometry",
        "splitter_state",
        "open_conversation",
        "scroll_positions",
        "favourite_models",
        "recent_models",
        "side_panel",
        "conversation_switches",
        "sidebar_folded",
        "sidebar_width",
        "update_last_check",
    }
)
"""The window's place, what the header keeps (favourite and recent models, the side panel,
each conversation's switches) and the time of the last update check: the window saves these itself
(ui/window/place.py), Settings never (so an open dialog cannot write an older value back)."""


class _Invalid(ValueError):
    """A value in the file that cannot be used; the field keeps its default."""


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise _Invalid
        return str(value)

    return check


def _width(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= 100_000:
        raise _Invalid
    return value


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


def _optional_bool(value: Any) -> bool | None:
    return None if value is None else _bool(value)


def _moment(value: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
        raise _Invalid
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _optional_id(value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is not int or value < 0:
        raise _Invalid
    return value


def _scroll_positions(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise _Invalid
    kept = {k: v for k, v in value.items() if k.isdigit() and type(v) is int and v > 0}
    if len(kept) != len(value):
        raise _Invalid(kept)
    return kept


def _overrides(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Invalid
    kept = {k: v for k, v in value.items() if isinstance(v, str) and v.strip()}
    if len(kept) != len(value):
        raise _Invalid(kept)
    return kept


def _model_keys(value: Any) -> list[list[str]]:
    if not isinstance(value, list):
        raise _Invalid
    kept = [
        list(item)
        for item in value
        if isinstance(item, list) and len(item) == 2 and all(isinstance(p, str) and p for p in item)
    ]
    if len(kept) != len(value):
        raise _Invalid(kept)
    return kept


SWITCHES = ("tools", "web_search")
SWITCH_DEFAULTS = {"tools": True, "web_search": False}
NEW_CHAT_SWITCHES = "new"
"""The key of the chat not sent yet in Preferences.conversation_switches."""


def switches_of(prefs: Preferences, conversation_id: int | None) -> dict[str, bool]:
    """Whether a conversation's replies may use tools and web search (the defaults filled
    in): what the person set in its side panel or composer."""
    key = NEW_CHAT_SWITCHES if conversation_id is None else str(conversation_id)
    return {**SWITCH_DEFAULTS, **prefs.conversation_switches.get(key, {})}


def _switches(value: Any) -> dict[str, dict[str, bool]]:
    if not isinstance(value, dict):
        raise _Invalid
    kept = {
        k: v
        for k, v in value.items()
        if (k.isdigit() or k == "new")
        and isinstance(v, dict)
        and all(name in SWITCHES and type(on) is bool for name, on in v.items())
    }
    if len(kept) != len(value):
        raise _Invalid(kept)
    return kept


KEY_PLACES = ("keychain", "session", "lost")


def _key_places(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Invalid
    kept = {k: v for k, v in value.items() if k.strip() and v in KEY_PLACES}
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
        parts: list[Any] = [item.get(name) for name in ("id", "name", "base_url")]
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
    "sidebar_folded": _bool,
    "sidebar_width": _width,
    "open_conversation": _optional_id,
    "scroll_positions": _scroll_positions,
    "base_url_overrides": _overrides,
    "custom_endpoints": _endpoints,
    "key_places": _key_places,
    "keychain_notice": _bool,
    "favourite_models": _model_keys,
    "recent_models": _model_keys,
    "side_panel": _bool,
    "conversation_switches": _switches,
    "update_checks": _optional_bool,
    "update_feed": _text,
    "update_last_check": _moment,
}


def _preferences_from(data: dict[str, Any]) -> tuple[Preferences, list[str]]:
    """Preferences from decoded JSON, and the names of the fields that had to be repaired.

    A collection with some bad entries keeps the good ones (the reader puts them in the
    _Invalid it raises); any other bad value falls back to the default. Text with a lone
    surrogate (a "\\udcff" escape, which no UTF-8 file can hold) is kept with U+FFFD in its
    place, and the field counts as repaired.
    """
    values: dict[str, Any] = {}
    repaired: list[str] = []
    for pref in fields(Preferences):
        if pref.name not in data:
            continue
        try:
            value, damaged = without_surrogates(data[pref.name])
            values[pref.name] = _READERS[pref.name](value)
        except RecursionError:  # nested deeper than any setting is
            damaged = True
        except _Invalid as bad:
            damaged = True
            if bad.args:
                values[pref.name] = bad.args[0]
        if damaged:
            repaired.append(pref.name)
    return Preferences(**values), repaired


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(value: Any) -> tuple[Any, bool]:
    """`value` (decoded JSON) with every lone surrogate in its text, keys included, replaced
    by U+FFFD, and whether there was one. Such text cannot be encoded to UTF-8: left in, it
    would make every later save fail."""
    if isinstance(value, str):
        repaired = _LONE_SURROGATE.sub("\ufffd", value)
        return repaired, repaired != value
    if isinstance(value, list):
        items = [without_surrogates(item) for item in value]
        return [item for item, _ in items], any(damaged for _, damaged in items)
    if isinstance(value, dict):
        pairs = [(without_surrogates(k), without_surrogates(v)) for k, v in value.items()]
        return {k: v for (k, _), (v, _) in pairs}, any(dk or dv for (_, dk), (_, dv) in pairs)
    return value, False


@dataclass(frozen=True)
class SettingsProblem:
    """What load() had to do about a damaged settings file, for the UI to say once in the
    person's language (app.py words it).

    kind: "unreadable" (detail: the error's name), "too_large", "not_text" (not UTF-8),
    "not_json" (detail: the line), "too_deep", "not_object", or "repaired" (some fields
    reset, named in `repaired`). moved_to is where the damaged file was kept; when it could
    not be moved, move_failed says why.
    """

    kind: str
    detail: str = ""
    repaired: tuple[str, ...] = ()
    moved_to: Path | None = None
    move_failed: str | None = None


MAX_SETTINGS_BYTES = 1 << 20
"""A settings file is a few kilobytes; anything over 1 MiB is not one and is not parsed."""


def _read_object(path: Path) -> dict[str, Any]:
    """The settings file's JSON object; FileNotFoundError when there is none, UnusableFile
    when it cannot be used. Reads at most MAX_SETTINGS_BYTES + 1 bytes."""
    data = read_small_json(path, MAX_SETTINGS_BYTES)
    if not isinstance(data, dict):
        raise UnusableFile("not_object")
    return data


class SettingsStore:
    """Loads and saves Preferences in one JSON file, which other running instances share.

    `problem` says what the last load() had to repair, for the UI to show once.

    The store remembers what it loaded (or last saved). save() reads the file again and
    merges: what this instance changed wins, what another instance changed or added since
    (an endpoint, a theme) is kept, and what this instance deleted stays deleted. Without
    it, the instance that quits last would write back its old list and drop the other's
    new endpoint, leaving that endpoint's key orphaned in the keychain.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.problem: SettingsProblem | None = None
        self._loaded: Preferences | None = None
        self._saving = threading.Lock()
        """save() runs in worker threads (Settings, the window's place) and at quit."""

    def load(self) -> Preferences:
        self.problem = None
        try:
            data = _read_object(self.path)
        except FileNotFoundError:
            prefs = Preferences()
        except UnusableFile as unusable:
            log.warning("Settings file %s unusable: %s %s", self.path, *unusable.args)
            self.problem = self._move_aside(SettingsProblem(unusable.kind, unusable.detail))
            prefs = Preferences()
        else:
            prefs, repaired = _preferences_from(data)
            if repaired:
                log.warning("Settings repaired: %s", ", ".join(repaired))
                self.problem = self._move_aside(
                    SettingsProblem("repaired", repaired=tuple(repaired))
                )
        self._loaded = copy.deepcopy(prefs)
        return prefs

    def _move_aside(self, problem: SettingsProblem) -> SettingsProblem:
        """Rename the damaged file to settings.json.bad-<stamp>, never over an older one,
        and say where it went in the problem."""
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
            return replace(problem, move_failed=exc.strerror or str(exc))
        return replace(problem, moved_to=target)

    def save(self, prefs: Preferences, keep: frozenset[str] = frozenset()) -> Preferences:
        """Merge with what the file holds now (see the class) and write atomically, creating
        the folder; return the preferences as written. Raises OSError only (full disk, no
        permission): text that cannot be encoded is repaired, never a reason to fail.

        `keep`: fields this save does not change, whatever `prefs` holds (Settings keeps
        PLACE_FIELDS: its snapshot of the window's place may be older than what the window
        saved meanwhile from another thread)."""
        with self._saving:
            if keep and self._loaded is not None:
                prefs = replace(prefs, **{name: getattr(self._loaded, name) for name in keep})
            return self._save(prefs)

    def _save(self, prefs: Preferences) -> Preferences:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        merged = prefs
        if self._loaded is not None:
            with contextlib.suppress(FileNotFoundError, UnusableFile):
                on_disk, _ = _preferences_from(_read_object(self.path))
                merged = merge_preferences(self._loaded, prefs, on_disk)
        data, _ = without_surrogates({"version": SETTINGS_VERSION, **asdict(merged)})
        write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        self._loaded = copy.deepcopy(merged)
        return merged


def merge_preferences(base: Preferences, ours: Preferences, theirs: Preferences) -> Preferences:
    """Three-way merge: `ours` where it differs from `base` (what was loaded), else `theirs`
    (the file now). Endpoints merge by id and address overrides by provider, one by one."""
    values: dict[str, Any] = {}
    for pref in fields(Preferences):
        b, o, t = (getattr(p, pref.name) for p in (base, ours, theirs))
        if pref.name == "custom_endpoints":
            values[pref.name] = _merge_endpoints(b, o, t)
        elif pref.name in ("base_url_overrides", "scroll_positions", "key_places"):
            values[pref.name] = _merge_mapping(b, o, t)
        else:
            values[pref.name] = o if o != b else t
    return Preferences(**values)


def _merge_endpoints(
    base: list[CustomEndpoint], ours: list[CustomEndpoint], theirs: list[CustomEndpoint]
) -> list[CustomEndpoint]:
    """Ours in our order, then those added elsewhere. One we left untouched takes the other
    instance's edit, or goes if it was deleted there; one we deleted stays deleted."""
    base_by_id = {e.id: e for e in base}
    theirs_by_id = {e.id: e for e in theirs}
    ours_ids = {e.id for e in ours}
    merged = []
    for endpoint in ours:
        untouched = base_by_id.get(endpoint.id) == endpoint
        if not untouched:
            merged.append(endpoint)
        elif endpoint.id in theirs_by_id:
            merged.append(theirs_by_id[endpoint.id])
    merged += [e for e in theirs if e.id not in ours_ids and e.id not in base_by_id]
    return merged


def _merge_mapping(
    base: dict[str, str], ours: dict[str, str], theirs: dict[str, str]
) -> dict[str, str]:
    merged = {}
    for name in {**theirs, **ours}:
        b, o, t = base.get(name), ours.get(name), theirs.get(name)
        value = o if o != b else t
        if value is not None:
            merged[name] = value
    return merged


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
