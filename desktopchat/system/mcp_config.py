"""mcp.json: the MCP servers a person configured, in Claude Desktop's format, read and written
safely.

    {"mcpServers": {
        "files":  {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "~"],
                   "env": {"LOG_LEVEL": "info", "API_TOKEN": {"keychain": true}},
                   "autoApprove": ["read_file"]},
        "search": {"url": "https://example.com/mcp",
                   "headers": {"Authorization": {"keychain": true}}, "disabled": true}}}

A stdio server has `command` (and optional `args`, `env`, `cwd`); a streamable-HTTP one has
`url` (and optional `headers`). `autoApprove` lists the tools that run without asking (the
"always" allow rule), `disabled: true` keeps a server configured but not started.

**Secrets never live in the file.** A value written `{"keychain": true}` is kept in the OS
keychain under the account `mcp/<server>/env/<NAME>` or `mcp/<server>/header/<Name>`
(secret_account). Every header value is a secret; an env value is one when its name says so
(KEY, TOKEN, SECRET, PASSWORD, AUTH, CREDENTIAL, COOKIE, SESSION: looks_secret), and
services/tools.py moves such values to the keychain before the file is written, so a plain
secret pasted or imported never reaches the disk.

A hostile or broken file never crashes the app: the file is read bounded (system/small_files),
each server is checked on its own, and a server that does not pass is reported with its
problem and written back untouched, so nothing the person wrote is lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.small_files import UnusableFile, read_small_json

MCP_FILE = "mcp.json"
FILE_LIMIT = 1024 * 1024
MAX_SERVERS = 100
MAX_NAME = 64
MAX_TEXT = 4096
MAX_ARGS = 256
MAX_ARG = 32 * 1024
MAX_ENTRIES = 256
MAX_VALUE = 32 * 1024

KEYCHAIN = "keychain"


class Secret:
    """A value kept in the keychain; the file holds `{"keychain": true}` in its place."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "Secret()"


SECRET = Secret()

Value = str | Secret

_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSW|PASSPHRASE|AUTH|CREDENTIAL|COOKIE|SESSION", re.I)
_NAME = re.compile(r"[^\x00-\x1f\x7f/\\]{1,64}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")


def looks_secret(name: str) -> bool:
    """Whether an env variable's name says its value is a secret."""
    return bool(_SECRET_NAME.search(name))


def secret_account(server: str, kind: str, name: str) -> str:
    """The keychain account of a server's secret: kind is "env" or "header"."""
    return f"mcp/{server}/{kind}/{name}"


OAUTH_KINDS = ("tokens", "client")


def oauth_account(server: str, kind: str) -> str:
    """The keychain account of a server's OAuth tokens ("tokens") or the client the
    authorization server registered for us ("client"), each kept as JSON."""
    return f"mcp/{server}/oauth/{kind}"


@dataclass(frozen=True)
class ServerConfig:
    """One configured server; exactly one of `command` and `url` is set."""

    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    env: Mapping[str, Value] = field(default_factory=dict)
    cwd: str = ""
    url: str = ""
    headers: Mapping[str, Value] = field(default_factory=dict)
    auto_approve: tuple[str, ...] = ()
    disabled: bool = False
    oauth: bool = False
    """A remote server the person signs in to with OAuth (its tokens are in the keychain
    under oauth_account, never in the file)."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Keys we do not use (another app's), written back as they were."""

    def secrets(self) -> list[tuple[str, str]]:
        """(kind, name) of every value kept in the keychain."""
        found = [("env", name) for name, value in self.env.items() if isinstance(value, Secret)]
        found += [("header", n) for n, value in self.headers.items() if isinstance(value, Secret)]
        return found


@dataclass(frozen=True)
class ServerProblem:
    """A server entry that could not be used, and why in words; its raw entry is kept."""

    name: str
    message: str
    raw: Any = None


@dataclass(frozen=True)
class McpConfig:
    """The servers in the file in its order, the entries that did not pass, and the file's
    other top-level keys (kept)."""

    servers: tuple[ServerConfig, ...] = ()
    problems: tuple[ServerProblem, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    file_problem: str = ""
    """Why the file as a whole could not be read ("" when it could, or there is none)."""

    def server(self, name: str) -> ServerConfig | None:
        return next((s for s in self.servers if s.name == name), None)

    def names(self) -> set[str]:
        return {s.name for s in self.servers} | {p.name for p in self.problems}

    def with_server(self, server: ServerConfig) -> McpConfig:
        """This config with `server` added, or replacing the one of the same name."""
        servers = list(self.servers)
        for index, old in enumerate(servers):
            if old.name == server.name:
                servers[index] = server
                break
        else:
            servers.append(server)
        problems = tuple(p for p in self.problems if p.name != server.name)
        return replace(self, servers=tuple(servers), problems=problems)

    def without(self, name: str) -> McpConfig:
        return replace(
            self,
            servers=tuple(s for s in self.servers if s.name != name),
            problems=tuple(p for p in self.problems if p.name != name),
        )


class _Bad(ValueError):
    pass


def _text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} must be text")
    if len(value) > limit:
        raise _Bad(f"{what} is longer than {limit:,} characters")
    if "\x00" in value:
        raise _Bad(f"{what} holds a NUL character")
    return value


def _values(value: Any, what: str, name_pattern: re.Pattern[str]) -> dict[str, Value]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Bad(f"{what} must be an object of names and values")
    if len(value) > MAX_ENTRIES:
        raise _Bad(f"{what} has more than {MAX_ENTRIES} entries")
    found: dict[str, Value] = {}
    for name, item in value.items():
        if not name_pattern.fullmatch(name):
            raise _Bad(f"{what} has an unusable name: {name[:80]!r}")
        if isinstance(item, dict) and item.get(KEYCHAIN) is True:
            found[name] = SECRET
            continue
        text = _text(item, f"{what} {name}", MAX_VALUE)
        if what == "headers" and ("\r" in text or "\n" in text):
            raise _Bad(f"header {name} holds a line break")
        found[name] = text
    return found


_KNOWN = {
    "command",
    "args",
    "env",
    "cwd",
    "url",
    "headers",
    "autoApprove",
    "disabled",
    "oauth",
    "type",
}


def parse_server(name: str, raw: Any) -> ServerConfig:
    """One entry of "mcpServers", checked. Raises ValueError with a sentence saying what is
    wrong."""
    if not _NAME.fullmatch(name) or name != name.strip():
        raise _Bad("its name must be 1 to 64 characters, without control characters or slashes")
    if not isinstance(raw, dict):
        raise _Bad("its entry must be an object")
    kind = raw.get("type")
    if kind is not None and kind not in ("stdio", "http", "streamable-http", "streamableHttp"):
        raise _Bad(f"servers of type {str(kind)[:40]!r} are not supported (stdio and HTTP are)")
    command = _text(raw.get("command", ""), "command")
    url = _text(raw.get("url", ""), "url")
    if bool(command) == bool(url):
        raise _Bad('it needs either a "command" (a program to start) or a "url"')
    if url and not re.match(r"https?://[^\s/]+", url, re.I):
        raise _Bad("its url must start with http:// or https://")
    args = raw.get("args", [])
    if not isinstance(args, list) or len(args) > MAX_ARGS:
        raise _Bad(f"args must be a list of at most {MAX_ARGS} texts")
    approve = raw.get("autoApprove", [])
    if not isinstance(approve, list) or len(approve) > 1000:
        raise _Bad("autoApprove must be a list of tool names")
    disabled = raw.get("disabled", False)
    if not isinstance(disabled, bool):
        raise _Bad("disabled must be true or false")
    oauth = raw.get("oauth", False)
    if not isinstance(oauth, bool) or (oauth and not url):
        raise _Bad("oauth must be true or false, and only for a server with a url")
    return ServerConfig(
        name=name,
        command=command,
        args=tuple(_text(arg, "an argument", MAX_ARG) for arg in args),
        env=_values(raw.get("env"), "env", _ENV_NAME),
        cwd=_text(raw.get("cwd", ""), "cwd"),
        url=url,
        headers=_values(raw.get("headers"), "headers", _HEADER_NAME),
        auto_approve=tuple(_text(tool, "a tool name", 256) for tool in approve),
        disabled=disabled,
        oauth=oauth,
        extra={k: v for k, v in raw.items() if k not in _KNOWN or k == "type"},
    )


def parse_config(data: Any) -> McpConfig:
    """A config from the JSON value of an mcp.json (ours, Claude Desktop's, Cursor's …)."""
    if not isinstance(data, dict):
        return McpConfig(file_problem="the file does not hold a JSON object")
    entries = data.get("mcpServers", {})
    extra = {k: v for k, v in data.items() if k != "mcpServers"}
    if not isinstance(entries, dict):
        return McpConfig(extra=extra, file_problem='"mcpServers" is not an object')
    servers: list[ServerConfig] = []
    problems: list[ServerProblem] = []
    for index, (name, raw) in enumerate(entries.items()):
        if index >= MAX_SERVERS:
            problems.append(ServerProblem(name[:80], f"more than {MAX_SERVERS} servers", raw))
            continue
        try:
            servers.append(parse_server(name, raw))
        except ValueError as bad:
            problems.append(ServerProblem(name, str(bad), raw))
    return McpConfig(tuple(servers), tuple(problems), extra)


def parse_text(text: str) -> McpConfig:
    """A config from pasted text: the whole file, or just its "mcpServers" object, or one
    server's entries without the outer braces' name."""
    if len(text) > FILE_LIMIT:
        return McpConfig(file_problem="the text is larger than 1 MiB")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return McpConfig(file_problem="the text is not JSON in the mcp.json format")
    if isinstance(data, dict) and "mcpServers" not in data:
        values = list(data.values())
        if values and all(isinstance(v, dict) for v in values):
            data = {"mcpServers": data}
    return parse_config(data)


def _dump_values(values: Mapping[str, Value]) -> dict[str, Any]:
    return {k: ({KEYCHAIN: True} if isinstance(v, Secret) else v) for k, v in values.items()}


def server_entry(server: ServerConfig) -> dict[str, Any]:
    """The JSON entry of one server, as another app would read it."""
    entry: dict[str, Any] = {}
    if server.command:
        entry["command"] = server.command
        if server.args:
            entry["args"] = list(server.args)
        if server.env:
            entry["env"] = _dump_values(server.env)
        if server.cwd:
            entry["cwd"] = server.cwd
    else:
        entry["url"] = server.url
        if server.headers:
            entry["headers"] = _dump_values(server.headers)
        if server.oauth:
            entry["oauth"] = True
    if server.auto_approve:
        entry["autoApprove"] = list(server.auto_approve)
    if server.disabled:
        entry["disabled"] = True
    entry.update(server.extra)
    return entry


def config_text(config: McpConfig) -> str:
    """The file's text: valid servers and the entries that did not pass, in order.

    Raises ValueError if a server still holds a plain secret header (services/tools.py moves
    them to the keychain first): a bug must not write one to disk."""
    entries: dict[str, Any] = {}
    for server in config.servers:
        if any(isinstance(v, str) for v in server.headers.values()):
            raise ValueError(f"server {server.name!r} has a header value outside the keychain")
        if any(isinstance(v, str) and looks_secret(k) for k, v in server.env.items()):
            raise ValueError(f"server {server.name!r} has a secret outside the keychain")
        entries[server.name] = server_entry(server)
    for problem in config.problems:
        entries.setdefault(problem.name, problem.raw)
    return json.dumps({**config.extra, "mcpServers": entries}, indent=2, ensure_ascii=False) + "\n"


def load_config(path: Path) -> McpConfig:
    """The config in `path`; an empty one when there is no file, and one with file_problem
    set when the file cannot be used (the file is then left alone). Blocking."""
    try:
        data = read_small_json(path, FILE_LIMIT)
    except FileNotFoundError:
        return McpConfig()
    except UnusableFile as bad:
        words = {
            "too_large": "the file is larger than 1 MiB",
            "not_text": "the file is not UTF-8 text",
            "not_json": "the file is not valid JSON",
            "too_deep": "the file is nested too deeply",
        }
        return McpConfig(file_problem=words.get(bad.kind, "the file cannot be read"))
    return parse_config(data)


def save_config(path: Path, config: McpConfig) -> None:
    """Write the config atomically, owner-only. Blocking; raises OSError, and ValueError when
    a secret is still in it. A file that could not be read is never written over."""
    if config.file_problem:
        raise ValueError(f"{path.name} could not be read ({config.file_problem}); not replaced")
    write_text_atomic(path, config_text(config))
