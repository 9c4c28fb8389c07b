"""Non-secret preferences (system/preferences.py), as JSON in the config folder.

A damaged settings file must never stop the app or be lost: whatever cannot be read falls
back to its default, field by field (system/settings_values.py), and the file itself is
moved aside for a person to look at. Writes are atomic, so a crash leaves the old file or
the new one. There is deliberately no field for an API key: keys live in the keychain
(system/keys.py).
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.preferences import (
    LANGUAGES,
    NEW_CHAT_SWITCHES,
    PLACE_FIELDS,
    SWITCH_DEFAULTS,
    THEMES,
    CustomEndpoint,
    Preferences,
    new_endpoint_id,
    switches_of,
)
from desktopchat.system.settings_values import preferences_from, without_surrogates
from desktopchat.system.small_files import UnusableFile, read_small_json

__all__ = [
    # Preferences are read and saved through here: their names come with the store.
    "LANGUAGES",
    "NEW_CHAT_SWITCHES",
    "PLACE_FIELDS",
    "SWITCH_DEFAULTS",
    "THEMES",
    "CustomEndpoint",
    "Preferences",
    "SettingsProblem",
    "SettingsStore",
    "merge_preferences",
    "new_endpoint_id",
    "switches_of",
]

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class SettingsProblem:
    """What load() had to do about a damaged settings file, for the UI to say once in the
    person's language (ui/window/start_notice.py words it).

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
            prefs, repaired = preferences_from(data)
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
                on_disk, _ = preferences_from(_read_object(self.path))
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
