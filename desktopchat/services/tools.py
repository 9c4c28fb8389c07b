"""Tools: the MCP servers in mcp.json, their life on the app's loop, and the allow rules.

What the UI and (next) the chat service's tool loop use:
- `start()` once the window shows: reads mcp.json in a worker thread and starts the enabled
  servers in the background (owned tasks). With no server configured nothing else happens:
  no thread, no `mcp` import (DESIGN.md P11).
- `list_tools()`, `call_tool(server, tool, arguments, timeout, cancel)`: what a model may
  use, and running one (never without the person's approval or an allow rule: the caller
  asks `is_allowed` first).
- `states()`, `subscribe(callback)`: each server's state for Settings → Tools, and a call on
  the app's loop whenever one changes.
- the config: `save_server`, `set_enabled`, `remove_server`, `import_servers`, with secrets
  moved to the keychain before the file is written (system/mcp_config.py says how), and the
  allow rules: "always" (the server's autoApprove in mcp.json) and per conversation
  (tool_rules.json beside it, services/tool_rules.py); each revocable. Both are in
  services/tool_changes.py.

`aclose()` cancels and drains every task, then stops every server (their children too); the
app calls it before the history closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from desktopchat.domain.tools import (
    ServerState,
    ServerStatus,
    ToolCallError,
    ToolErrorKind,
    ToolOutput,
    ToolSpec,
)
from desktopchat.services.tool_changes import ToolChanges
from desktopchat.services.tool_rules import RULES_FILE, AllowRule, read_rules
from desktopchat.services.tool_secrets import (
    MissingSecret,
    SecretStore,
    launch_spec,
)
from desktopchat.services.tool_sign_in import SignIns
from desktopchat.system.mcp_config import (
    MCP_FILE,
    McpConfig,
    ServerConfig,
    load_config,
)

if TYPE_CHECKING:
    from desktopchat.tools.launch import LaunchSpec

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 300.0
MAX_TIMEOUT_S = 24 * 3600.0


class ToolHost(Protocol):
    """The servers, as tools/remote.py's RemoteToolHost offers them."""

    async def start(self, spec: LaunchSpec) -> ServerState: ...

    async def stop(self, name: str, forget: bool = False) -> None: ...

    async def state(self, name: str) -> ServerState | None: ...

    async def tools(self) -> list[ToolSpec]: ...

    async def call_tool(
        self, server: str, tool: str, arguments: dict[str, Any], timeout: float
    ) -> ToolOutput: ...

    async def cancel_sign_in(self, name: str) -> None: ...

    async def aclose(self) -> None: ...


OnEvent = Callable[[dict[str, Any]], None]


def _tool_host(on_change: Callable[[ServerState], None], on_event: OnEvent) -> ToolHost:
    """The tool host process (tools/child.py) on this very package."""
    from desktopchat.system.child_python import child_command
    from desktopchat.tools.remote import RemoteToolHost

    argv, env = child_command("desktopchat.tools.child")
    return RemoteToolHost(on_change, argv, env, on_event)


class ToolService(ToolChanges):
    """The MCP servers' life on the app's loop and what the tool loop reads; the changes
    Settings makes are in services/tool_changes.py."""

    def __init__(
        self,
        config_folder: Path,
        keys: SecretStore,
        host_factory: Callable[[Callable[[ServerState], None], OnEvent], ToolHost] | None = None,
    ) -> None:
        self.config_path = config_folder / MCP_FILE
        self.rules_path = config_folder / RULES_FILE
        self._keys = keys
        self._host_factory = host_factory
        self._host: ToolHost | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.config = McpConfig()
        self._states: dict[str, ServerState] = {}
        self._conversation_rules: set[AllowRule] = set()
        self._listeners: list[Callable[[], None]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False
        self._begun = False
        self._loaded = asyncio.Event()
        self._host_lock = asyncio.Lock()
        self.sign_ins = SignIns(keys, self._spawn)
        """Remote servers' OAuth sign-ins: pages to open, what to keep (tool_sign_in.py)."""

    # ---- life

    def begin(self) -> None:
        """start() in a task of the service's own (aclose drains it), once: the app calls
        this after the window shows, and Settings → Tools when it opens."""
        if not self._begun:
            self._spawn(self.start())

    async def start(self) -> None:
        """Read the config and rules, then start every enabled server in the background."""
        self._begun = True
        self._loop = asyncio.get_running_loop()
        try:
            await self._load()
        finally:
            self._loaded.set()

    async def _when_loaded(self) -> None:
        """Wait until mcp.json has been read: a change made before would write over it."""
        self.begin()
        await self._loaded.wait()

    async def _load(self) -> None:
        self.config = await asyncio.to_thread(load_config, self.config_path)
        if self.config.file_problem:
            log.warning("%s cannot be used: %s", self.config_path, self.config.file_problem)
        for problem in self.config.problems:
            log.warning("tool server %r in %s: %s", problem.name, MCP_FILE, problem.message)
        self._conversation_rules = await asyncio.to_thread(read_rules, self.rules_path)
        self._reset_states()
        for server in self.config.servers:
            if not server.disabled:
                self._spawn(self._start_server(server))
        self._changed()

    def _reset_states(self) -> None:
        states = {}
        for server in self.config.servers:
            old = self._states.get(server.name)
            if server.disabled:
                states[server.name] = ServerState(server.name, ServerStatus.DISABLED)
            elif old is None or old.status is ServerStatus.DISABLED or old.problem == "config":
                states[server.name] = ServerState(server.name, ServerStatus.STOPPED)
            else:
                states[server.name] = old
        for problem in self.config.problems:
            states[problem.name] = ServerState(
                problem.name, ServerStatus.FAILED, "config", problem.message
            )
        self._states = states

    def _spawn(self, work: Any) -> None:
        if self._closed:
            work.close()
            return
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("tool server task failed", exc_info=task.exception())

    async def _ensure_host(self) -> ToolHost:
        """The host, made with the first server: a process of its own, so the `mcp` SDK
        never loads in ours."""
        async with self._host_lock:
            if self._host is None:
                factory = self._host_factory or _tool_host
                self._host = factory(self._on_host_change, self._on_host_event)
        return self._host

    def _on_host_change(self, state: ServerState) -> None:
        """On the host's reader thread: the state goes to the app's loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._take_state, state)

    def _on_host_event(self, event: dict[str, Any]) -> None:
        """On the host's reader thread: a sign-in's page or tokens, to the app's loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self.sign_ins.take, event)

    def _take_state(self, state: ServerState) -> None:
        server = self.config.server(state.name)
        if server is None or server.disabled:
            return  # a server removed or disabled meanwhile
        self._states[state.name] = state
        self._changed()

    async def _start_server(self, server: ServerConfig) -> None:
        host = await self._ensure_host()
        spec = await self._launch_spec(server)
        if spec is None:
            return
        await host.start(spec)

    async def _launch_spec(self, server: ServerConfig) -> LaunchSpec | None:
        """The server's setup with its secrets read from the keychain; None (and a failed
        state saying which) when one is missing."""
        try:
            return await launch_spec(server, self._keys, self.sign_ins)
        except MissingSecret as missing:
            self._take_state(
                ServerState(server.name, ServerStatus.FAILED, "missing_secret", str(missing))
            )
            return None

    async def aclose(self) -> None:
        """Cancel and drain every task, then stop every server."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._host is not None:
            await self._host.aclose()
            self._host = None

    # ---- what the UI and the tool loop read

    def states(self) -> list[ServerState]:
        return list(self._states.values())

    async def live_state(self, name: str) -> ServerState | None:
        """The server's state with the stderr lines it wrote up to now (states() holds the
        ones of its last change)."""
        state = self._states.get(name)
        if self._host is None or self._closed or state is None:
            return state
        if state.status is ServerStatus.DISABLED:
            return state
        try:
            live = await self._host.state(name)
        except ToolCallError:  # the host ended meanwhile
            return state
        return live if live is not None and live.status == state.status else state

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """`callback` is called on the app's loop after any state or config change; the
        returned function unsubscribes."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    async def list_tools(self) -> list[ToolSpec]:
        if self._host is None:
            return []
        return await self._host.tools()

    async def call_tool(
        self,
        server: str,
        tool: str,
        arguments: dict[str, Any],
        timeout: float = DEFAULT_TIMEOUT_S,
        cancel: asyncio.Event | None = None,
    ) -> ToolOutput:
        """Run one tool and return its answer. Raises ToolCallError (kind CANCELLED when
        `cancel` was set first: the server is told to stop)."""
        if self._host is None or self._closed:
            raise ToolCallError(ToolErrorKind.NOT_RUNNING, f"The server {server} is not running.")
        timeout = min(max(timeout, 0.1), MAX_TIMEOUT_S)
        call = asyncio.ensure_future(self._host.call_tool(server, tool, arguments, timeout))
        if cancel is None:
            return await call
        cancelled = asyncio.ensure_future(cancel.wait())
        try:
            await asyncio.wait({call, cancelled}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            cancelled.cancel()
            if not call.done():
                call.cancel()
                await asyncio.gather(call, return_exceptions=True)
        if call.cancelled():
            raise ToolCallError(ToolErrorKind.CANCELLED, "The tool was stopped.")
        return call.result()

    async def restart(self, name: str) -> None:
        server = self.config.server(name)
        if server is None or server.disabled:
            return
        if self._host is not None:
            await self._host.stop(name, forget=True)
        await self._start_server(server)

    async def cancel_sign_in(self, name: str) -> None:
        """The person gave up on signing in: the server fails, saying so."""
        if self._host is not None:
            await self._host.cancel_sign_in(name)

    async def sign_out(self, name: str) -> None:
        """Forget the server's OAuth tokens and registration (keychain) and stop it; its
        next start asks the person to sign in again."""
        if self._host is not None:
            await self._host.stop(name, forget=True)
        await self.sign_ins.forget(name)
        if self.config.server(name) is not None:
            self._take_state(ServerState(name, ServerStatus.STOPPED, "signed_out", "Signed out."))
