"""The servers' own event loop, in one thread: what the window's loop asks of a server is
submitted here and awaited there, so a server's work (pipes, JSON parsing, a flood on
stderr, a hung handshake) never runs on the Qt thread (DESIGN.md P9, R10).

The thread starts with the first server, so a person with no server configured pays for
neither the thread nor the `mcp` import (P1, P6, P11). Cancelling an awaited call on the
window's loop cancels it here too (run_coroutine_threadsafe chains the cancellation), and
the SDK then tells the server.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from desktopchat.domain.tools import (
    ServerState,
    ToolCallError,
    ToolErrorKind,
    ToolOutput,
    ToolSpec,
)
from desktopchat.tools.launch import LaunchSpec, login_path
from desktopchat.tools.names import api_names
from desktopchat.tools.server import ServerConnection

_T = TypeVar("_T")

DESCRIPTION_LIMIT = 10_000
"""Characters of a tool's description kept: a model reads them with every request."""


class ToolHost:
    """Every running server, on the host's loop. `on_change` is called on the host's thread
    with each new state: hand it to your own loop."""

    def __init__(
        self, on_change: Callable[[ServerState], None], path: Callable[[], str] = login_path
    ) -> None:
        self._on_change = on_change
        self._find_path = path
        self._path: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: dict[str, ServerConnection] = {}
        self._path_lock: asyncio.Lock | None = None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

            self._thread = threading.Thread(target=run, name="desktopchat-tools", daemon=True)
            self._thread.start()
            ready.wait()
            self._loop = loop
        return self._loop

    async def _submit(self, coro: Coroutine[Any, Any, _T]) -> _T:
        loop = self._ensure_loop()
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))

    async def _login_path(self) -> str:
        if self._path_lock is None:
            self._path_lock = asyncio.Lock()
        async with self._path_lock:
            if self._path is None:
                self._path = await asyncio.get_running_loop().run_in_executor(None, self._find_path)
        return self._path

    async def start(self, spec: LaunchSpec) -> ServerState:
        """Start a server (a running one with another setup is stopped first) and return its
        state once it runs or failed."""
        return await self._submit(self._start(spec))

    async def _start(self, spec: LaunchSpec) -> ServerState:
        path = await self._login_path()
        server = self._servers.get(spec.name)
        if server is not None and server.spec != spec:
            await server.stop()
            server = None
        if server is None:
            server = ServerConnection(spec, path, self._on_change)
            self._servers[spec.name] = server
        await server.start()
        return server.state

    async def stop(self, name: str, forget: bool = False) -> None:
        await self._submit(self._stop(name, forget))

    async def _stop(self, name: str, forget: bool) -> None:
        server = self._servers.get(name)
        if server is not None:
            await server.stop()
            if forget:
                del self._servers[name]

    async def restart(self, name: str) -> ServerState | None:
        return await self._submit(self._restart(name))

    async def _restart(self, name: str) -> ServerState | None:
        server = self._servers.get(name)
        if server is None:
            return None
        await server.restart()
        return server.state

    async def state(self, name: str) -> ServerState | None:
        async def read() -> ServerState | None:
            server = self._servers.get(name)
            return None if server is None else server.state

        return await self._submit(read())

    async def tools(self) -> list[ToolSpec]:
        """The tools of every running server, named for the models' APIs."""
        return await self._submit(self._tools())

    async def _tools(self) -> list[ToolSpec]:
        listed = [
            (server.spec.name, tool)
            for server in self._servers.values()
            if server.state.status == "running"
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
            )
            for name, tool in listed
        ]

    async def call_tool(
        self, server: str, tool: str, arguments: dict[str, Any], timeout: float
    ) -> ToolOutput:
        return await self._submit(self._call(server, tool, arguments, timeout))

    async def _call(
        self, name: str, tool: str, arguments: dict[str, Any], timeout: float
    ) -> ToolOutput:
        server = self._servers.get(name)
        if server is None:
            raise ToolCallError(ToolErrorKind.UNKNOWN_SERVER, f"There is no server {name!r}.")
        return await server.call_tool(tool, arguments, timeout)

    async def aclose(self) -> None:
        """Stop every server and end the thread."""
        loop = self._loop
        if loop is None:
            return
        await self._submit(self._stop_all())
        loop.call_soon_threadsafe(loop.stop)
        thread = self._thread
        if thread is not None:
            await asyncio.to_thread(thread.join, 10.0)
        self._loop = None

    async def _stop_all(self) -> None:
        await asyncio.gather(*(s.stop() for s in self._servers.values()), return_exceptions=True)
