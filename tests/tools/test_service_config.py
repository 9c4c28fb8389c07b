"""The tool service's config: secrets kept in the keychain (never in mcp.json or the log),
importing Claude Desktop's servers, enabling, removing, and the allow rules."""

from __future__ import annotations

import asyncio
import json
import logging

from desktopchat.domain.tools import ServerStatus
from desktopchat.services.tool_rules import AllowRule
from desktopchat.system.mcp_config import SECRET, ServerConfig, secret_account
from desktopchat.system.mcp_import import OtherApp
from tests.tools.helpers import ECHO, echo_entry, make_service, settled, write_config


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def _all_text(folder) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_claude_desktops_servers_come_in_with_their_secrets_in_the_keychain(
    tmp_path, memory_keyring, caplog
):
    caplog.set_level(logging.DEBUG)
    claude = tmp_path / "claude" / "claude_desktop_config.json"
    claude.parent.mkdir()
    claude.write_text(
        json.dumps(
            {
                "mcpServers": {"echo": echo_entry(env={"GITHUB_TOKEN": "ghp_s3cret", "LOG": "1"})},
                "globalShortcut": "Ctrl+Space",
            }
        )
    )
    ours = tmp_path / "config"
    write_config(ours, {"echo": {"command": "something-else"}})

    async def scenario():
        service = make_service(ours, memory_keyring)
        try:
            await service.start()
            merged = await service.import_servers(OtherApp("Claude Desktop", claude))
            assert merged.renamed == (("echo", "echo-2"),)
            state = await settled(service, "echo-2")
            assert state.status == ServerStatus.RUNNING
            token = await service.call_tool("echo-2", "getenv", {"name": "GITHUB_TOKEN"})
            assert token.parts[0].text == "ghp_s3cret"
        finally:
            await service.aclose()

    run(scenario())
    saved = json.loads((ours / "mcp.json").read_text())
    assert saved["mcpServers"]["echo"] == {"command": "something-else"}  # ours untouched
    assert saved["mcpServers"]["echo-2"]["env"] == {"GITHUB_TOKEN": {"keychain": True}, "LOG": "1"}
    assert "globalShortcut" not in saved
    account = secret_account("echo-2", "env", "GITHUB_TOKEN")
    assert any(account == user for _, user in memory_keyring.passwords)
    assert "ghp_s3cret" not in _all_text(ours)
    assert "ghp_s3cret" not in caplog.text


def test_a_secret_missing_from_the_keychain_is_said(tmp_path, memory_keyring):
    write_config(tmp_path, {"echo": echo_entry(env={"API_TOKEN": {"keychain": True}})})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            state = await settled(service, "echo")
            assert state.status == ServerStatus.FAILED and state.problem == "missing_secret"
            assert "API_TOKEN" in state.message
        finally:
            await service.aclose()

    run(scenario())


def test_servers_are_added_disabled_enabled_and_removed(tmp_path, memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            assert service.states() == []
            server = ServerConfig(
                "echo",
                command=echo_entry()["command"],
                args=(ECHO,),
                env={"API_KEY": "plain-key-value", "MODE": "x"},
                disabled=True,
            )
            await service.save_server(server)
            assert service.states()[0].status == ServerStatus.DISABLED
            assert service.config.server("echo").env == {"API_KEY": SECRET, "MODE": "x"}
            await service.set_enabled("echo", True)
            assert (await settled(service, "echo")).status == ServerStatus.RUNNING
            key = await service.call_tool("echo", "getenv", {"name": "API_KEY"})
            assert key.parts[0].text == "plain-key-value"
            await service.set_enabled("echo", False)
            assert service.states()[0].status == ServerStatus.DISABLED
            await service.remove_server("echo")
            assert service.states() == []
            assert memory_keyring.passwords == {}  # its secret went with it
        finally:
            await service.aclose()

    run(scenario())
    assert "plain-key-value" not in _all_text(tmp_path)
    assert "plain-key-value" not in caplog.text


def test_allow_rules_are_kept_and_revocable(tmp_path, memory_keyring):
    write_config(tmp_path, {"files": {"command": "x", "disabled": True, "autoApprove": ["list"]}})

    async def scenario(check_loaded=False):
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            if check_loaded:
                return service.rules()
            assert service.is_allowed("files", "list", None)
            assert service.is_allowed("files", "list", 7)
            assert not service.is_allowed("files", "read", 7)
            await service.allow(AllowRule("files", "read", 7))
            assert service.is_allowed("files", "read", 7)
            assert not service.is_allowed("files", "read", 8)
            await service.allow(AllowRule("files", "write"))
            await service.revoke(AllowRule("files", "list"))
            assert not service.is_allowed("files", "list", 7)
            return service.rules()
        finally:
            await service.aclose()

    rules = run(scenario())
    assert rules == [AllowRule("files", "write"), AllowRule("files", "read", 7)]
    assert run(scenario(check_loaded=True)) == rules
    saved = json.loads((tmp_path / "mcp.json").read_text())
    assert saved["mcpServers"]["files"]["autoApprove"] == ["write"]


def test_a_hostile_rules_file_is_ignored(tmp_path, memory_keyring):
    write_config(tmp_path, {})
    for content in ("[", '{"conversations": {"x": 1, "5": [[1, 2], ["a"], "b", ["s", "t"]]}}'):
        (tmp_path / "tool_rules.json").write_text(content)

        async def scenario():
            service = make_service(tmp_path, memory_keyring)
            await service.start()
            await service.aclose()
            return service.rules()

        rules = run(scenario())
    assert rules == [AllowRule("s", "t", 5)]
