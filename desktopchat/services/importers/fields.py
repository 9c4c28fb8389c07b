"""Reading fields of foreign JSON defensively: a missing or odd value becomes a default or
an ImportProblem that says which field, never a KeyError or a TypeError from deep inside."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from desktopchat.domain.markdown_fields import (
    MAX_INTEGER,
    in_time_range,
    iso_seconds,
    repaired_text,
)
from desktopchat.services.importers.tree import ImportProblem

MAX_MESSAGE_CHARS = 4_000_000
"""A longer message is not a chat message (a mangled or hostile file): refused, clearly."""
MAX_TITLE_CHARS = 1_000


def text_of(value: Any, where: str) -> str:
    """A string field's value ("" when absent), lone surrogates repaired; refuses one that
    is absurdly long."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportProblem(f"{where} is not text")
    if len(value) > MAX_MESSAGE_CHARS:
        raise ImportProblem(f"{where} is longer than {MAX_MESSAGE_CHARS:,} characters")
    return repaired_text(value)


def title_of(value: Any) -> str:
    """A title kept as plain text: only cut and repaired, never interpreted (it is shown
    as plain text)."""
    return repaired_text(value[:MAX_TITLE_CHARS]) if isinstance(value, str) else ""


def name_of(value: Any) -> str | None:
    """A short name (a model, a MIME type): repaired text, None when absent or not text."""
    return title_of(value) or None if isinstance(value, str) else None


def size_of(value: Any) -> int:
    """A size in bytes SQLite can hold, 0 when absent or absurd (it is only shown)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INTEGER:
        return value
    return 0


def seconds_of(value: Any) -> float | None:
    """Unix seconds from a number or an ISO 8601 string; None when absent, unreadable or
    outside 1970–9999 (such a date would later be one nothing can show)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        seconds: float | None = float(value) if abs(value) <= MAX_INTEGER else None
    elif isinstance(value, float):
        seconds = value if math.isfinite(value) else None
    elif isinstance(value, str):
        seconds = iso_seconds(value.replace("Z", "+00:00"))
    else:
        return None
    return seconds if seconds is not None and in_time_range(seconds) else None


def mapping_of(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def list_of(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def stable_id(value: Any) -> str:
    """An id for a conversation its file gives none: the hash of its content, so the same
    file imported twice still adds it once."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:32]
