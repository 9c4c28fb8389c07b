"""The MCP servers people already set up in other apps (Claude Desktop, Cursor, LM Studio),
found on this computer, and merging servers into ours without overwriting any.

Merging never replaces a server silently: a server identical to one we have is skipped and
said so; one with the same name and a different setup comes in under a new name
("files-2") and the report says which.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from desktopchat.system.mcp_config import (
    FILE_LIMIT,
    MAX_NAME,
    McpConfig,
    ServerConfig,
    load_config,
)


@dataclass(frozen=True)
class OtherApp:
    """Another app's MCP config found on this computer."""

    app: str
    path: Path


def other_app_configs(
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    platform: str = sys.platform,
) -> list[OtherApp]:
    """The config files of Claude Desktop, Cursor and LM Studio that exist here. Blocking
    (a few stat calls)."""
    env = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    if platform == "darwin":
        claude = home / "Library" / "Application Support" / "Claude"
    elif platform == "win32":
        claude = Path(env.get("APPDATA", str(home / "AppData" / "Roaming"))) / "Claude"
    else:
        config_home = env.get("XDG_CONFIG_HOME") or str(home / ".config")
        claude = Path(config_home) / "Claude"
    candidates = [
        OtherApp("Claude Desktop", claude / "claude_desktop_config.json"),
        OtherApp("Cursor", home / ".cursor" / "mcp.json"),
        OtherApp("LM Studio", home / ".lmstudio" / "mcp.json"),
    ]
    found = []
    for candidate in candidates:
        try:
            if candidate.path.is_file() and candidate.path.stat().st_size <= FILE_LIMIT:
                found.append(candidate)
        except OSError:
            continue
    return found


def read_other_app(other: OtherApp) -> McpConfig:
    """The servers in another app's file (its other settings are not ours: dropped)."""
    return replace(load_config(other.path), extra={})


@dataclass(frozen=True)
class Merged:
    """What a merge did: the new config, the servers added (with the name they got when it
    had to change), and the ones skipped because we have the very same."""

    config: McpConfig
    added: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...]
    skipped: tuple[str, ...]
    problems: tuple[str, ...]


def _same(ours: ServerConfig, theirs: ServerConfig) -> bool:
    return (ours.command, ours.args, ours.url, ours.cwd) == (
        theirs.command,
        theirs.args,
        theirs.url,
        theirs.cwd,
    ) and set(ours.env) == set(theirs.env)


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3` … the first not taken, within the length limit."""
    if name not in taken:
        return name
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = name[: MAX_NAME - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def merge(ours: McpConfig, incoming: McpConfig) -> Merged:
    """`incoming`'s servers added to `ours`; nothing of ours is replaced."""
    config = ours
    added: list[str] = []
    renamed: list[tuple[str, str]] = []
    skipped: list[str] = []
    problems = [f"{p.name}: {p.message}" for p in incoming.problems]
    if incoming.file_problem:
        problems.append(incoming.file_problem)
    for server in incoming.servers:
        existing = config.server(server.name)
        if existing is not None and _same(existing, server):
            skipped.append(server.name)
            continue
        name = free_name(server.name, config.names())
        if name != server.name:
            renamed.append((server.name, name))
        config = config.with_server(replace(server, name=name))
        added.append(name)
    return Merged(config, tuple(added), tuple(renamed), tuple(skipped), tuple(problems))
