"""Every configured server, on the loop of the tool host process (tools/child.py): start,
stop, restart, states, the tools named for the models' APIs, calls.

The app never runs this itself: it talks to the host process through tools/remote.py, so
the `mcp` SDK (~35 MB with pydantic's validators, and long GIL-holding stretches while it
loads and parses) stays out of the app's process (DESIGN.md P6, P9, P11).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from desktopchat.domain.tools import (
    ServerState,
    ServerStatus,
    ToolCallError,
    ToolErrorKind,
    ToolOutput,
    ToolSpec,
)
from desktopchat.tools.launch import LaunchSpec, login_path
from desktopchat.tools.names import api_names
from desktopchat.tools.oauth import Notify
from desktopchat.tools.server import ServerConnection

DESCRIPTION_LIMIT = 10_000
"""Characters of a tool's description kept: a model reads them with every request."""


class Servers:
    """The servers, by name. Every method runs on the host's loop; `on_change` is called
    there with each new state."""

    def __init__(
        self,
        on_change: Callable[[ServerState], None],
        path: str | None = None,
        notify: Notify | None = None,
    ) -> None:
        self._on_change = on_change
        self._notify = notify
        self._path = path
        self._servers: dict[str, ServerConnection] = {}
        self._path_lock = asyncio.Lock()

    async def _login_path(self) -> str:
        async with self._path_lock:
            if self._path is None:
                self._path = await asyncio.get_running_loop().run_in_executor(None, login_path)
        return self._path

    async def start(self, spec: LaunchSpec) -> ServerState:
        """Start a server (a running one with another setup is stopped first) and return its
        state once it runs or failed."""
        path = await self._login_path()
        server = self._servers.get(spec.name)
        if server is not None and server.spec != spec:
            await server.stop()
            server = None
        if server is None:
            server = ServerConnection(spec, path, self._on_change, self._notify)
            self._servers[spec.name] = server
        await server.start()
        return server.state

    async def stop(self, name: str, forget: bool = False) -> None:
        server = self._servers.get(name)
        if server is not None:
            await server.stop()
            if forget:
                del self._servers[name]

    async def restart(self, name: str) -> ServerState | None:
        server = self._servers.get(name)
        if server is None:
            return None
        await server.restart()
        return server.state

    def cancel_sign_in(self, name: str) -> None:
        server = self._servers.get(name)
        if server is not None and server.sign_in is not None:
            server.sign_in.cancel()

    def state(self, name: str) -> ServerState | None:
        server = self._servers.get(name)
        return None if server is None else server.state

    def tools(self) -> list[ToolSpec]:
        """The tools of every running server, named for the models' APIs."""
        listed = [
            (server.spec.name, tool)
            for server in self._servers.values()
            if server.state.status is ServerStatus.RUNNING
            for tool in server.tools
        ]
        names = api_names((name, tool.name) for name, tool in listed)
        return [
            ToolSpec(
                server=name,
                name=tool.name,
                api_name=names[(name, tool.name)],
                description=(tool.description or "")[:DESCRIPTION_LIMIT],
                input_schema=dict(tool.input_schema),
                title=tool.title or "",
                annotations=_annotations(tool),
            )
            for name, tool in listed
        ]

    async def call_tool(
        self, name: str, tool: str, arguments: dict[str, Any], timeout: float
    ) -> ToolOutput:
        server = self._servers.get(name)
        if server is None:
            raise ToolCallError(ToolErrorKind.UNKNOWN_SERVER, f"There is no server {name!r}.")
        return await server.call_tool(tool, arguments, timeout)

    async def stop_all(self) -> None:
        await asyncio.gather(*(s.stop() for s in self._servers.values()), return_exceptions=True)


def _annotations(tool: Any) -> dict[str, Any]:
    """The tool's annotations as plain JSON values (a hint a server may send or not)."""
    annotations = getattr(tool, "annotations", None)
    dump = getattr(annotations, "model_dump", None)
    if not callable(dump):
        return {}
    values = dump(mode="json", exclude_none=True, by_alias=True)
    return values if isinstance(values, dict) else {}
