"""mcp.json: the format, round trips, hostile files, secrets kept out of it, other apps'
configs found and merged without overwriting."""

from __future__ import annotations

import json
import os
import stat

import pytest

from desktopchat.system.mcp_config import (
    SECRET,
    McpConfig,
    ServerConfig,
    config_text,
    load_config,
    looks_secret,
    parse_config,
    parse_text,
    save_config,
)
from desktopchat.system.mcp_import import free_name, merge, other_app_configs, read_other_app

SAMPLE = {
    "mcpServers": {
        "files": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-filesystem", "~"],
            "env": {"LOG_LEVEL": "info", "API_TOKEN": {"keychain": True}},
            "autoApprove": ["read_file"],
        },
        "search": {
            "url": "https://example.com/mcp",
            "headers": {"Authorization": {"keychain": True}},
            "disabled": True,
        },
    },
    "somethingElse": {"kept": True},
}


def test_a_file_in_claude_desktops_format_reads_back_as_written(tmp_path):
    path = tmp_path / "mcp.json"
    path.write_text(json.dumps(SAMPLE))
    config = load_config(path)
    assert config.file_problem == "" and config.problems == ()
    files, search = config.servers
    assert files.command == "npx" and files.args[0] == "-y"
    assert files.env == {"LOG_LEVEL": "info", "API_TOKEN": SECRET}
    assert files.auto_approve == ("read_file",) and not files.disabled
    assert search.url == "https://example.com/mcp" and search.disabled
    assert search.headers == {"Authorization": SECRET}
    save_config(path, config)
    assert json.loads(path.read_text()) == SAMPLE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config(path) == config


def test_no_file_is_an_empty_config(tmp_path):
    assert load_config(tmp_path / "mcp.json") == McpConfig()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"x" * (2 * 1024 * 1024), "larger than 1 MiB"),
        (b"[1, 2]", "JSON object"),
        (b'{"mcpServers": [1]}', "not an object"),
    ],
)
def test_an_unusable_file_is_said_and_never_written_over(tmp_path, content, problem):
    path = tmp_path / "mcp.json"
    path.write_bytes(content)
    config = load_config(path)
    assert problem in config.file_problem
    with pytest.raises(ValueError):
        save_config(path, config.with_server(ServerConfig("new", command="x")))
    assert path.read_bytes() == content


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_the_file_does_not_hang(tmp_path):
    path = tmp_path / "mcp.json"
    os.mkfifo(path)
    assert load_config(path).file_problem


HOSTILE_SERVERS = {
    "no command nor url": {},
    "both": {"command": "a", "url": "https://x"},
    "not an object": "npx",
    "args not a list": {"command": "a", "args": "b"},
    "arg not text": {"command": "a", "args": [1]},
    "env not an object": {"command": "a", "env": ["A"]},
    "env bad name": {"command": "a", "env": {"A=B": "c"}},
    "header line break": {"url": "https://x", "headers": {"X-A": "a\r\nInjected: 1"}},
    "url scheme": {"url": "file:///etc/passwd"},
    "nul": {"command": "a\x00b"},
    "disabled text": {"command": "a", "disabled": "yes"},
    "sse": {"url": "https://x", "type": "sse"},
    "bad\x1bname": {"command": "a"},
    "x" * 65: {"command": "a"},
    "long command": {"command": "a" * 5000},
}


def test_each_broken_server_is_reported_the_others_load_and_nothing_is_lost(tmp_path):
    path = tmp_path / "mcp.json"
    data = {"mcpServers": {"good": {"command": "ok"}, **HOSTILE_SERVERS}}
    path.write_text(json.dumps(data))
    config = load_config(path)
    assert [s.name for s in config.servers] == ["good"]
    assert {p.name for p in config.problems} == set(HOSTILE_SERVERS)
    assert all(p.message for p in config.problems)
    save_config(path, config.with_server(ServerConfig("added", command="b")))
    written = json.loads(path.read_text())["mcpServers"]
    for name, raw in HOSTILE_SERVERS.items():
        assert written[name] == raw
    assert written["added"] == {"command": "b"}


def test_a_thousand_servers_are_bounded():
    config = parse_config({"mcpServers": {f"s{i}": {"command": "a"} for i in range(1000)}})
    assert len(config.servers) == 100
    assert len(config.problems) == 900


def test_a_plain_secret_never_reaches_the_file():
    header = ServerConfig("s", url="https://x", headers={"Authorization": "Bearer abc"})
    with pytest.raises(ValueError):
        config_text(McpConfig((header,)))
    env = ServerConfig("s", command="a", env={"GITHUB_TOKEN": "ghp_abc"})
    with pytest.raises(ValueError):
        config_text(McpConfig((env,)))
    plain = ServerConfig("s", command="a", env={"LOG_LEVEL": "debug"})
    assert "debug" in config_text(McpConfig((plain,)))


def test_secret_names():
    for name in ("OPENAI_API_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "client_secret", "AUTH"):
        assert looks_secret(name)
    for name in ("LOG_LEVEL", "HOME", "PORT", "DEBUG"):
        assert not looks_secret(name)


def test_pasted_text_may_be_the_file_or_its_servers():
    whole = parse_text(json.dumps(SAMPLE))
    bare = parse_text(json.dumps(SAMPLE["mcpServers"]))
    assert [s.name for s in whole.servers] == [s.name for s in bare.servers] == ["files", "search"]
    assert parse_text("not json").file_problem
    assert parse_text("x" * (2 * 1024 * 1024)).file_problem


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def test_other_apps_configs_are_found_where_each_app_keeps_them(tmp_path):
    home = tmp_path
    _write(home / ".config" / "Claude" / "claude_desktop_config.json", SAMPLE)
    _write(home / ".cursor" / "mcp.json", SAMPLE)
    _write(home / ".lmstudio" / "mcp.json", SAMPLE)
    found = other_app_configs(home, environ={}, platform="linux")
    assert [f.app for f in found] == ["Claude Desktop", "Cursor", "LM Studio"]
    mac = home / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
    _write(mac, SAMPLE)
    assert other_app_configs(home, environ={}, platform="darwin")[0].path == mac
    roaming = tmp_path / "Roaming"
    _write(roaming / "Claude" / "claude_desktop_config.json", SAMPLE)
    windows = other_app_configs(home, environ={"APPDATA": str(roaming)}, platform="win32")
    assert windows[0].path == roaming / "Claude" / "claude_desktop_config.json"
    assert read_other_app(found[0]).extra == {}  # Claude's own settings are not ours


def test_merging_never_replaces_a_server_silently():
    ours = parse_config({"mcpServers": {"files": {"command": "npx", "args": ["a"]}}})
    theirs = parse_config(
        {
            "mcpServers": {
                "files": {"command": "npx", "args": ["b"]},
                "same": {"command": "x"},
                "new": {"url": "https://n"},
                "bad": {},
            }
        }
    )
    first = merge(ours, parse_config({"mcpServers": {"same": {"command": "x"}}}))
    merged = merge(first.config, theirs)
    assert merged.added == ("files-2", "new")
    assert merged.renamed == (("files", "files-2"),)
    assert merged.skipped == ("same",)
    assert merged.problems and merged.problems[0].startswith("bad:")
    config = merged.config
    assert config.server("files").args == ("a",)
    assert config.server("files-2").args == ("b",)


def test_free_names_stay_within_the_limit():
    long = "n" * 64
    assert free_name(long, {long}) == "n" * 62 + "-2"
    assert free_name("a", {"a", "a-2"}) == "a-3"
