"""Allow rules: a tool that runs without asking the person, always (the server's
autoApprove in mcp.json) or in one conversation (tool_rules.json beside it, read and written
here).

Apart from the tool service because a rule is plain data that the tool loop and Settings
also handle, and its file is the service's only one besides mcp.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.small_files import UnusableFile, read_small_json

RULES_FILE = "tool_rules.json"
RULES_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class AllowRule:
    """A tool that runs without asking: always (conversation None) or in one conversation."""

    server: str
    tool: str
    conversation: int | None = None


def read_rules(path: Path) -> set[AllowRule]:
    """The per-conversation allow rules in tool_rules.json; none when it is missing or
    cannot be used."""
    try:
        data = read_small_json(path, RULES_LIMIT)
    except (FileNotFoundError, UnusableFile):
        return set()
    rules = set()
    entries = data.get("conversations", {}) if isinstance(data, dict) else {}
    for conversation, pairs in entries.items() if isinstance(entries, dict) else ():
        if not (isinstance(conversation, str) and conversation.isdigit()):
            continue
        for pair in pairs if isinstance(pairs, list) else ():
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
                rules.add(AllowRule(pair[0], pair[1], int(conversation)))
    return rules


def write_rules(path: Path, rules: set[AllowRule]) -> None:
    """Write the per-conversation allow rules, atomically."""
    import json

    entries: dict[str, list[list[str]]] = {}
    for rule in sorted(rules, key=lambda r: (r.conversation, r.server, r.tool)):
        entries.setdefault(str(rule.conversation), []).append([rule.server, rule.tool])
    write_text_atomic(path, json.dumps({"conversations": entries}, indent=2) + "\n")
