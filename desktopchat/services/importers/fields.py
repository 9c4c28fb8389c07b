"""Reading fields of foreign JSON defensively: a missing or odd value becomes a default or
an ImportProblem that says which field, never a KeyError or a TypeError from deep inside."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime
from typing import Any

from desktopchat.services.importers.tree import ImportProblem

MAX_MESSAGE_CHARS = 4_000_000
"""A longer message is not a chat message (a mangled or hostile file): refused, clearly."""
MAX_TITLE_CHARS = 1_000


def text_of(value: Any, where: str) -> str:
    """A string field's value ("" when absent); refuses one that is absurdly long."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportProblem(f"{where} is not text")
    if len(value) > MAX_MESSAGE_CHARS:
        raise ImportProblem(f"{where} is longer than {MAX_MESSAGE_CHARS:,} characters")
    return value


def title_of(value: Any) -> str:
    """A title kept as plain text: only cut, never interpreted (it is shown as plain text)."""
    return value[:MAX_TITLE_CHARS] if isinstance(value, str) else ""


def seconds_of(value: Any) -> float | None:
    """Unix seconds from a number or an ISO 8601 string; None when absent or unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) and 0 <= value < 1e11 else None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    return None


def mapping_of(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def list_of(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def stable_id(value: Any) -> str:
    """An id for a conversation its file gives none: the hash of its content, so the same
    file imported twice still adds it once."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
