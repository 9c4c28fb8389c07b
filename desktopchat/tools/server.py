"""One MCP server's life on the host's loop: start (stdio child or streamable HTTP), the
session, its tools, calls with a timeout, death noticed and said in words, stop, restart."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from typing import Any

import httpx2
import mcp_types as types
from mcp.client import ClientSession
from mcp.client.auth import OAuthFlowError
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from desktopchat.domain.errors import redact
from desktopchat.domain.tools import (
    ServerState,
    ServerStatus,
    ToolCallError,
    ToolErrorKind,
    ToolOutput,
    ToolPart,
)
from desktopchat.tools.launch import CommandNotFound, LaunchSpec, resolve_command, server_env
from desktopchat.tools.oauth import SIGN_IN_TIMEOUT_S, Notify, SignIn, SignInFailed
from desktopchat.tools.results import tool_output
from desktopchat.tools.stdio import LINE_LIMIT, TOO_LARGE_CODE, StdioChild

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0
"""How long a server has to answer `initialize` and list its tools (npx may download)."""
STOP_TIMEOUT_S = 10.0
MAX_TOOL_PAGES = 20
MAX_TOOLS = 1000
HTTP_TIMEOUT = httpx2.Timeout(30.0, read=300.0)


class ServerConnection:
    """A configured server and, while it runs, its session. Every method runs on the host's
    loop; `on_change` is called there with each new state."""

    def __init__(
        self,
        spec: LaunchSpec,
        path: str,
        on_change: Callable[[ServerState], None],
        notify: Notify | None = None,
    ) -> None:
        self.spec = spec
        self._path = path
        self._on_change = on_change
        self._notify = notify or (lambda _event: None)
        self.sign_in: SignIn | None = None
        self._state = ServerState(spec.name, ServerStatus.STOPPED)
        self._session: ClientSession | None = None
        self._child: StdioChild | None = None
        self.tools: tuple[types.Tool, ...] = ()
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._ready: asyncio.Future[None] | None = None

    @property
    def state(self) -> ServerState:
        """What Settings shows. A server got its secrets (env, headers) from the keychain and
        may print them: they are hidden in its message and stderr lines (R4)."""
        tail = self._child.stderr.tail() if self._child is not None else self._state.stderr_tail
        secrets = self.spec.secrets
        return ServerState(
            self._state.name,
            self._state.status,
            self._state.problem,
            redact(self._state.message, secrets),
            self._state.exit_code,
            tuple(redact(line, secrets) for line in tail),
            len(self.tools) if self._state.status is ServerStatus.RUNNING else 0,
        )

    def _set(self, status: ServerStatus, problem: str = "", message: str = "") -> None:
        child = self._child
        self._state = ServerState(
            self.spec.name,
            status,
            problem,
            message,
            child.returncode if child is not None else None,
            child.stderr.tail() if child is not None else self._state.stderr_tail,
        )
        log.info("tool server %s: %s %s", self.spec.name, status.value, problem)
        self._on_change(self.state)

    async def start(self) -> None:
        """Start the server and wait until it runs or failed (its state says which)."""
        if self._task is not None and not self._task.done():
            if self._ready is not None:
                await asyncio.shield(self._ready)
            return
        self._stop = asyncio.Event()
        self._ready = asyncio.get_running_loop().create_future()
        self._child = None
        self.tools = ()
        self._set(ServerStatus.STARTING)
        self._task = asyncio.get_running_loop().create_task(self._run(self._ready))
        await asyncio.shield(self._ready)

    async def stop(self) -> None:
        """Stop the server (its children too) and wait until it has."""
        task = self._task
        if task is None or task.done():
            return
        self._stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_TIMEOUT_S)
        except TimeoutError:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def _run(self, ready: asyncio.Future[None]) -> None:
        stopped_by_us = False
        try:
            async with contextlib.AsyncExitStack() as stack:
                read, write = await self._open(stack)
                session = await stack.enter_async_context(ClientSession(read, write))
                # A sign-in happens inside the handshake: the person's time in the browser
                # does not count against the server.
                limit = START_TIMEOUT_S + (SIGN_IN_TIMEOUT_S if self.spec.oauth else 0)
                await asyncio.wait_for(self._handshake(session), limit)
                self._session = session
                self._set(ServerStatus.RUNNING)
                ready.set_result(None)
                waits = [asyncio.ensure_future(self._stop.wait())]
                if self._child is not None:
                    waits.append(asyncio.ensure_future(self._child.exited.wait()))
                try:
                    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for wait in waits:
                        wait.cancel()
                stopped_by_us = self._stop.is_set()
                self._session = None
                if not stopped_by_us:
                    self._set(ServerStatus.FAILED, "exited", self._exit_words("stopped"))
        except CommandNotFound as missing:
            self._set(ServerStatus.FAILED, "command_not_found", str(missing))
        except TimeoutError:
            if self._child is not None and self._child.returncode is not None:
                self._set(ServerStatus.FAILED, "exited", self._exit_words("exited while starting"))
            else:
                self._set(
                    ServerStatus.FAILED,
                    "no_answer",
                    f"The server did not answer within {START_TIMEOUT_S:.0f} seconds.",
                )
        except asyncio.CancelledError:
            self._set(ServerStatus.STOPPED)
            raise
        except Exception as error:  # a server's failure, in words; never the app's
            self._set(ServerStatus.FAILED, *self._failure_words(error))
        finally:
            self._session = None
            if not ready.done():
                ready.set_result(None)
        if stopped_by_us:
            self._set(ServerStatus.STOPPED)

    async def _open(self, stack: contextlib.AsyncExitStack) -> tuple[Any, Any]:
        spec = self.spec
        if spec.command:
            cwd = os.path.expanduser(spec.cwd) if spec.cwd else None
            program = resolve_command(spec.command, self._path, spec.cwd)
            child = StdioChild([program, *spec.args], server_env(spec.env, self._path), cwd)
            self._child = child
            streams = await child.start()
            stack.push_async_callback(child.close)
            return streams
        auth = None
        if spec.oauth:
            self.sign_in = SignIn(
                spec.name, spec.url, spec.oauth_tokens, spec.oauth_client, self._notify
            )
            auth = self.sign_in.auth()
        client = httpx2.AsyncClient(headers=dict(spec.headers), timeout=HTTP_TIMEOUT, auth=auth)
        await stack.enter_async_context(client)
        return await stack.enter_async_context(
            streamable_http_client(spec.url, http_client=client, max_sse_event_size=LINE_LIMIT)
        )

    async def _handshake(self, session: ClientSession) -> None:
        await session.initialize()
        tools: list[types.Tool] = []
        cursor: str | None = None
        for _ in range(MAX_TOOL_PAGES):
            params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
            page = await session.list_tools(params=params)
            tools.extend(page.tools)
            cursor = page.next_cursor
            if not cursor or len(tools) >= MAX_TOOLS:
                break
        self.tools = tuple(tools[:MAX_TOOLS])

    def _exit_words(self, what: str) -> str:
        code = self._child.returncode if self._child is not None else None
        if code is None:
            return f"The server {what}."
        if code < 0:
            return f"The server {what}: it was ended by signal {-code}."
        return f"The server {what} with exit code {code}."

    def _failure_words(self, error: BaseException) -> tuple[str, str]:
        leaf = _leaf(error)
        if isinstance(leaf, SignInFailed):
            return "sign_in", str(leaf)
        if isinstance(leaf, OAuthFlowError):
            return "sign_in", f"The sign-in failed: {str(leaf)[:300]}"
        if self._child is not None and self._child.returncode is not None:
            return "exited", self._exit_words("exited while starting")
        if isinstance(leaf, PermissionError):
            return "cannot_start", f"{self.spec.command} could not be started: permission denied."
        if isinstance(leaf, OSError) and self.spec.command:
            reason = leaf.strerror or type(leaf).__name__
            return "cannot_start", f"{self.spec.command} could not be started: {reason}."
        if isinstance(leaf, httpx2.HTTPError):
            return "unreachable", f"{self.spec.url} could not be reached ({type(leaf).__name__})."
        if isinstance(leaf, MCPError):
            return "protocol", f"The server answered with an error: {leaf.error.message[:300]}"
        return (
            "protocol",
            f"The server could not be used ({type(leaf).__name__}: {str(leaf)[:300]}).",
        )

    async def call_tool(self, tool: str, arguments: dict[str, Any], timeout: float) -> ToolOutput:
        """Call `tool` and wait at most `timeout` seconds for its answer. Raises
        ToolCallError; cancelling the caller sends the server a cancellation."""
        session = self._session
        if session is None:
            words = self.state.message or f"The server {self.spec.name} is not running."
            raise ToolCallError(ToolErrorKind.NOT_RUNNING, words)
        if not any(t.name == tool for t in self.tools):
            raise ToolCallError(
                ToolErrorKind.UNKNOWN_TOOL, f"{self.spec.name} has no tool named {tool[:100]!r}."
            )
        try:
            result = await asyncio.wait_for(
                session.call_tool(tool, arguments, read_timeout_seconds=timeout), timeout + 5
            )
        except MCPError as error:
            if error.error.code == TOO_LARGE_CODE:
                note = "The tool's answer was larger than 16 MiB and was dropped."
                return ToolOutput((ToolPart("text", text=note),), is_error=True, cut=True)
            if error.error.code == types.REQUEST_TIMEOUT:
                raise self._timed_out(timeout) from None
            if error.error.code == types.CONNECTION_CLOSED and await self._gone():
                raise ToolCallError(
                    ToolErrorKind.SERVER_DIED, self._exit_words("stopped during the call")
                ) from None
            raise ToolCallError(ToolErrorKind.PROTOCOL, error.error.message[:1000]) from None
        except TimeoutError:
            raise self._timed_out(timeout) from None
        if not isinstance(result, types.CallToolResult):
            raise ToolCallError(
                ToolErrorKind.PROTOCOL, "The server's answer was not a tool result."
            )
        return tool_output(result)

    async def _gone(self) -> bool:
        """Whether the server is gone: -32000 is also the code many servers give their own
        errors, which must not read as "stopped"."""
        await asyncio.sleep(0.2)  # let the exit code arrive
        if self._child is not None:
            return self._child.returncode is not None
        return True

    def _timed_out(self, timeout: float) -> ToolCallError:
        return ToolCallError(
            ToolErrorKind.TIMEOUT, f"The tool gave no answer within {timeout:g} seconds."
        )


def _leaf(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error
