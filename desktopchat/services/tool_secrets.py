"""A tool server's secrets between the keychain and its launch: moved out of a config before
mcp.json is written, and read back (with its OAuth sign-in) when the server starts.

Nothing here writes a file or logs a value: a keychain failure is logged by its kind only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from desktopchat.system.mcp_config import (
    SECRET,
    ServerConfig,
    Value,
    looks_secret,
    secret_account,
)

if TYPE_CHECKING:
    from desktopchat.services.tool_sign_in import SignIns
    from desktopchat.tools.launch import LaunchSpec

log = logging.getLogger(__name__)


class SecretStore(Protocol):
    """The keychain, as KeyStore's async methods offer it."""

    async def aget(self, account: str, env_var: str | None = None) -> str | None: ...

    async def aset(self, account: str, key: str) -> Any: ...

    async def adelete(self, account: str) -> None: ...


class MissingSecret(Exception):
    """A value the config keeps in the keychain is not there; the message says which."""


async def secrets_to_keychain(server: ServerConfig, keys: SecretStore) -> ServerConfig:
    """Plain secret values (every header, env values whose name says secret) written to the
    keychain and replaced by references."""

    async def moved(kind: str, values: Iterable[tuple[str, Value]]) -> dict[str, Value]:
        kept: dict[str, Value] = {}
        for name, value in values:
            if isinstance(value, str) and (kind == "header" or looks_secret(name)):
                await keys.aset(secret_account(server.name, kind, name), value)
                kept[name] = SECRET
            else:
                kept[name] = value
        return kept

    return replace(
        server,
        env=await moved("env", server.env.items()),
        headers=await moved("header", server.headers.items()),
    )


async def launch_spec(server: ServerConfig, keys: SecretStore, sign_ins: SignIns) -> LaunchSpec:
    """The server's setup with its secrets and sign-in read from the keychain. Raises
    MissingSecret."""
    from desktopchat.tools.launch import LaunchSpec

    values: dict[str, dict[str, str]] = {"env": {}, "header": {}}
    secrets: list[str] = []
    for kind, mapping in (("env", server.env), ("header", server.headers)):
        for name, value in mapping.items():
            if isinstance(value, str):
                values[kind][name] = value
                continue
            try:
                secret = await keys.aget(secret_account(server.name, kind, name))
            except Exception as error:  # the keychain's own failure, said in words
                secret = None
                log.warning("keychain read for tool server %s failed: %r", server.name, error)
            if secret is None:
                what = "header" if kind == "header" else "variable"
                raise MissingSecret(
                    f"The value of the {what} {name} is not in the keychain: "
                    "enter it again in Settings → Tools."
                )
            values[kind][name] = secret
            secrets.append(secret)
    stored = await sign_ins.stored(server.name) if server.oauth else {}
    return LaunchSpec(
        name=server.name,
        command=server.command,
        args=server.args,
        env=values["env"],
        cwd=server.cwd,
        url=server.url,
        headers=values["header"],
        secrets=tuple(secrets),
        oauth=server.oauth,
        oauth_tokens=stored.get("tokens", ""),
        oauth_client=stored.get("client", ""),
    )
