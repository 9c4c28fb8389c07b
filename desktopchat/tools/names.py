"""The names tools get in a request to a model: at most 64 characters of [A-Za-z0-9_-]
(OpenAI's and Anthropic's limit), unique across every server.

A tool is named `<server>__<tool>`, unusable characters replaced by "_"; a name too long,
or taken already, ends in a short hash of its server and tool, so the same tool gets the
same name from one request to the next.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

API_NAME_LIMIT = 64
_UNUSABLE = re.compile(r"[^A-Za-z0-9_-]")


def _hash(server: str, tool: str) -> str:
    return hashlib.sha256(f"{server}\x00{tool}".encode()).hexdigest()[:8]


def api_names(tools: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(server, tool) → the name sent to a model, for every pair given (in order: earlier
    pairs keep the plain name when two would clash)."""
    taken: set[str] = set()
    names: dict[tuple[str, str], str] = {}
    for server, tool in tools:
        if (server, tool) in names:
            continue
        plain = _UNUSABLE.sub("_", f"{server}__{tool}")
        name = plain
        if len(name) > API_NAME_LIMIT or name in taken:
            suffix = "_" + _hash(server, tool)
            name = plain[: API_NAME_LIMIT - len(suffix)] + suffix
        while name in taken:  # a hash collision: vanishingly rare, still never a duplicate
            suffix = "_" + _hash(name, tool)
            name = plain[: API_NAME_LIMIT - len(suffix)] + suffix
        taken.add(name)
        names[(server, tool)] = name
    return names
