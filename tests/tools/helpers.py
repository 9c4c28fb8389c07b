"""Running the tool service in a test: a real keychain store over the in-memory keyring,
the echo server as a real child, and waits that end."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

from desktopchat.domain.tools import ServerState
from desktopchat.services.tools import ToolService
from desktopchat.system.keys import KeyStore

ECHO = str(Path(__file__).parent / "servers" / "echo_server.py")


def echo_entry(**extra):
    return {"command": sys.executable, "args": [ECHO], **extra}


def write_config(folder: Path, servers: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mcp.json"
    path.write_text(json.dumps({"mcpServers": servers}))
    return path


async def settled(service: ToolService, name: str, timeout: float = 30) -> ServerState:
    """The server's state once it is no longer starting."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = next((s for s in service.states() if s.name == name), None)
        if state is not None and state.status not in ("starting", "stopped"):
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"{name} still starting: {service.states()}")


def make_service(folder: Path, keyring, login_shell: bool = False) -> ToolService:
    """The service as the app builds it; with `login_shell` False the servers get the
    current PATH rather than the login shell's (asking a login shell takes seconds here)."""
    if login_shell:
        return ToolService(folder, KeyStore(keyring))
    from desktopchat.system.child_python import child_command
    from desktopchat.tools.remote import RemoteToolHost

    argv, env = child_command("desktopchat.tools.child", ["--path", os.environ["PATH"]])

    def host(on_change, on_event):
        return RemoteToolHost(on_change, argv, env, on_event)

    return ToolService(folder, KeyStore(keyring), host_factory=host)
