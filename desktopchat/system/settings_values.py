"""The checks a value read from the settings file goes through, field by field.

A damaged settings file must never stop the app or be lost: whatever cannot be read falls
back to its default, a collection keeps its good entries, and text no UTF-8 file can hold is
repaired; the store (system/settings.py) then moves the file aside and says which fields
were repaired. Kept apart from the store because each field's reader is small and many.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from desktopchat.system.preferences import (
    KEY_PLACES,
    LANGUAGES,
    SWITCHES,
    THEMES,
    CustomEndpoint,
    Preferences,
)

MAX_TOKENS_LIMIT = 1_000_000
TIMEOUT_LIMIT = 3600.0


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


def preferences_from(data: dict[str, Any]) -> tuple[Preferences, list[str]]:
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
