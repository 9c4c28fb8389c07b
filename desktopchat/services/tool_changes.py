"""What Settings → Tools changes in the tool service: the servers of mcp.json (added,
edited, enabled, removed, imported from other apps) and the allow rules.

Apart from the servers' life on the loop (services/tools.py) because every change here
follows one path: wait until mcp.json was read, keep secrets in the keychain, write the file
(or tool_rules.json), then say so and restart what changed.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktopchat.services.tool_rules import AllowRule, write_rules
from desktopchat.services.tool_secrets import (
    SecretStore,
    secrets_to_keychain,
)
from desktopchat.services.tool_sign_in import SignIns
from desktopchat.system.mcp_config import (
    McpConfig,
    ServerConfig,
    load_config,
    parse_text,
    save_config,
    secret_account,
)
from desktopchat.system.mcp_import import Merged, OtherApp, merge, other_app_configs, read_other_app

if TYPE_CHECKING:
    from desktopchat.services.tools import ToolHost


class ToolChanges:
    """The config and allow-rule half of ToolService, which sets these up."""

    config: McpConfig
    config_path: Path
    rules_path: Path
    sign_ins: SignIns
    _keys: SecretStore
    _host: ToolHost | None
    _conversation_rules: set[AllowRule]

    if TYPE_CHECKING:

        async def _when_loaded(self) -> None: ...

        def _reset_states(self) -> None: ...

        def _changed(self) -> None: ...

        def _spawn(self, work: Any) -> None: ...

        async def _start_server(self, server: ServerConfig) -> None: ...

    # ---- the config

    async def _save(self, config: McpConfig) -> None:
        await asyncio.to_thread(save_config, self.config_path, config)
        self.config = config

    async def save_server(
        self, server: ServerConfig, secrets: dict[tuple[str, str], str] | None = None
    ) -> None:
        """Add or replace a server; `secrets` maps (kind, name) to values for the keychain.
        Raises OSError or KeychainError; the file is then as it was. Secrets the server
        kept before and no longer has leave the keychain."""
        await self._when_loaded()
        for (kind, name), value in (secrets or {}).items():
            await self._keys.aset(secret_account(server.name, kind, name), value)
        server = await secrets_to_keychain(server, self._keys)
        old = self.config.server(server.name)
        await self._save(self.config.with_server(server))
        for kind, key in set(old.secrets() if old else ()) - set(server.secrets()):
            with contextlib.suppress(Exception):
                await self._keys.adelete(secret_account(server.name, kind, key))
        self._reset_states()
        self._changed()
        if self._host is not None:
            await self._host.stop(server.name, forget=True)
        if not server.disabled:
            self._spawn(self._start_server(server))

    async def set_enabled(self, name: str, enabled: bool) -> None:
        server = self.config.server(name)
        if server is None:
            return
        await self.save_server(replace(server, disabled=not enabled))

    async def remove_server(self, name: str) -> None:
        await self._when_loaded()
        server = self.config.server(name)
        await self._save(self.config.without(name))
        if self._host is not None:
            await self._host.stop(name, forget=True)
        if server is not None:
            for kind, key in server.secrets():
                with contextlib.suppress(Exception):
                    await self._keys.adelete(secret_account(name, kind, key))
            if server.oauth:
                await self.sign_ins.forget(name)
        self._conversation_rules = {r for r in self._conversation_rules if r.server != name}
        await asyncio.to_thread(self._write_rules)
        self._reset_states()
        self._changed()

    async def other_apps(self) -> list[OtherApp]:
        """Claude Desktop, Cursor, LM Studio configs found on this computer."""
        return await asyncio.to_thread(other_app_configs)

    async def import_servers(self, source: OtherApp | Path | str) -> Merged:
        """Add the servers of another app's config, a file, or pasted text; nothing of ours
        is replaced (a clash is renamed, an identical server skipped: Merged says which)."""
        await self._when_loaded()
        if isinstance(source, OtherApp):
            incoming = await asyncio.to_thread(read_other_app, source)
        elif isinstance(source, Path):
            incoming = replace(await asyncio.to_thread(load_config, source), extra={})
        else:
            incoming = replace(parse_text(source), extra={})
        merged = merge(self.config, incoming)
        config = merged.config
        for name in merged.added:
            server = config.server(name)
            if server is not None:
                config = config.with_server(await secrets_to_keychain(server, self._keys))
        await self._save(config)
        self._reset_states()
        self._changed()
        for name in merged.added:
            server = config.server(name)
            if server is not None and not server.disabled:
                self._spawn(self._start_server(server))
        return merged

    # ---- allow rules

    def is_allowed(self, server: str, tool: str, conversation: int | None) -> bool:
        """Whether a rule the person made lets this tool run without asking."""
        config = self.config.server(server)
        if config is not None and tool in config.auto_approve:
            return True
        return AllowRule(server, tool, conversation) in self._conversation_rules

    def rules(self) -> list[AllowRule]:
        always = [AllowRule(s.name, t) for s in self.config.servers for t in s.auto_approve]
        return always + sorted(self._conversation_rules, key=lambda r: (r.server, r.tool))

    async def allow(self, rule: AllowRule) -> None:
        await self._set_rule(rule, True)

    async def revoke(self, rule: AllowRule) -> None:
        await self._set_rule(rule, False)

    async def _set_rule(self, rule: AllowRule, on: bool) -> None:
        await self._when_loaded()
        if rule.conversation is None:
            server = self.config.server(rule.server)
            if server is None:
                return
            tools = [t for t in server.auto_approve if t != rule.tool]
            if on:
                tools.append(rule.tool)
            await self._save(self.config.with_server(replace(server, auto_approve=tuple(tools))))
        else:
            if on:
                self._conversation_rules.add(rule)
            else:
                self._conversation_rules.discard(rule)
            await asyncio.to_thread(self._write_rules)
        self._changed()

    def _write_rules(self) -> None:
        write_rules(self.rules_path, self._conversation_rules)
