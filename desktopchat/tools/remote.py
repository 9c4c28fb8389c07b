"""The app's side of the tool host process (tools/child.py): the same calls as the servers
themselves (start, stop, restart, state, tools, call_tool, aclose), each a JSON line to the
host and an answer back.

Why a process: the `mcp` SDK costs ~35 MB once imported and holds the GIL in long stretches
while it loads and while pydantic parses a big answer; in a process of its own it costs the
app nothing (DESIGN.md P6, P9, P11), and a server that misbehaves cannot reach the app's
memory. This module imports neither `mcp` nor anything that does.

One thread per host, started with the first server, starts the process and then reads its
answers for as long as it lives: on Linux the process is tied to that thread with
PR_SET_PDEATHSIG, so it (and, through its own tie, every server) dies with the app even
after kill -9. Answers reach the app's loop with call_soon_threadsafe.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import subprocess
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any

from desktopchat.domain.tools import (
    ServerState,
    ServerStatus,
    ToolCallError,
    ToolErrorKind,
    ToolOutput,
    ToolSpec,
)
from desktopchat.tools import wire
from desktopchat.tools.launch import LaunchSpec, die_with_parent

log = logging.getLogger(__name__)

CLOSE_TIMEOUT_S = 15.0
"""How long quitting waits for the host to stop its servers (each has 2 s, then signals)."""


class RemoteToolHost:
    """The servers, in the tool host process. `on_change` is called on the reader thread
    with each new state, `on_event` with the host's other events (a sign-in's page to open,
    OAuth tokens to keep: tools/oauth.py): hand them to your own loop."""

    def __init__(
        self,
        on_change: Callable[[ServerState], None],
        argv: Sequence[str],
        env: dict[str, str] | None = None,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self._on_change = on_change
        self._on_event = on_event
        self._argv = list(argv)
        self._env = env
        self._process: subprocess.Popen[bytes] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._numbers = itertools.count(1)
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self._reader: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self._states: dict[str, ServerState] = {}

    async def _ensure(self) -> subprocess.Popen[bytes]:
        ended = self._process is not None and self._process.poll() is not None
        if ended and self._reader is not None and not self._reader.is_alive():
            # The host died (killed, a bug): the next order starts a new one.
            self._process = None
            self._reader = None
            self._started = threading.Event()
            self._start_error = None
        if self._process is None:
            if self._reader is None:
                self._loop = asyncio.get_running_loop()
                self._reader = threading.Thread(
                    target=self._run, name="desktopchat-tool-host", daemon=True
                )
                self._reader.start()
            await asyncio.to_thread(self._started.wait)
            if self._start_error is not None:
                raise ToolCallError(
                    ToolErrorKind.NOT_RUNNING,
                    f"The tool host could not be started: {self._start_error}",
                )
        assert self._process is not None
        return self._process

    def _run(self) -> None:
        """The reader thread: start the host (so that it is tied to this thread), then
        read its answers until it ends."""
        try:
            process = subprocess.Popen(
                self._argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=self._env,
                preexec_fn=die_with_parent(),
            )
        except (OSError, ValueError) as error:
            self._start_error = error
            self._started.set()
            return
        self._process = process
        self._started.set()
        assert process.stdout is not None
        for line in process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                log.error("the tool host wrote something that is not JSON")
                continue
            if message.get("event") == "state":
                state = wire.state_from_json(message["state"])
                self._states[state.name] = state
                self._on_change(state)
            elif message.get("event") in ("sign_in", "sign_in_done", "oauth_store"):
                if self._on_event is not None:
                    self._on_event(message)
            elif isinstance(message.get("id"), int):
                self._answer(message["id"], message)
        process.wait()
        self._ended(process.returncode)

    def _answer(self, number: int, message: dict[str, Any]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        def settle() -> None:
            future = self._pending.pop(number, None)
            if future is None or future.done():
                return
            if "error" in message:
                future.set_exception(wire.error_from_json(message["error"]))
            else:
                future.set_result(message.get("ok"))

        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle)

    def _ended(self, code: int | None) -> None:
        """The host is gone: every waiting call fails, every server it ran is stopped."""
        loop = self._loop
        if code not in (0, None):
            log.error("the tool host ended with exit code %s", code)
        for name, state in list(self._states.items()):
            if state.status in (ServerStatus.RUNNING, ServerStatus.STARTING):
                self._on_change(
                    ServerState(name, ServerStatus.FAILED, "host_ended", "The tool host ended.")
                )

        def fail_all() -> None:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(
                        ToolCallError(ToolErrorKind.SERVER_DIED, "The tool host ended.")
                    )
            self._pending.clear()

        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(fail_all)

    def _write(self, stdin: IO[bytes], data: bytes) -> None:
        with self._write_lock:
            stdin.write(data)
            stdin.flush()

    async def _ask(self, op: str, **fields: Any) -> Any:
        process = await self._ensure()
        if process.poll() is not None or process.stdin is None:
            raise ToolCallError(ToolErrorKind.SERVER_DIED, "The tool host ended.")
        number = next(self._numbers)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        data = json.dumps({"id": number, "op": op, **fields}, ensure_ascii=False).encode()
        sent = asyncio.ensure_future(asyncio.to_thread(self._write, process.stdin, data + b"\n"))
        try:
            try:
                await asyncio.shield(sent)
            except (OSError, ValueError):  # ValueError: the pipe was closed (quitting)
                self._pending.pop(number, None)
                raise ToolCallError(ToolErrorKind.SERVER_DIED, "The tool host ended.") from None
            return await future
        except asyncio.CancelledError:
            # Stopped while the request was being written or answered: nobody waits for
            # the answer any more (read here if it came, never left unretrieved), and the
            # host is told to cancel once the request itself is out.
            self._pending.pop(number, None)
            if future.done() and not future.cancelled():
                future.exception()
            with contextlib.suppress(OSError, ValueError):
                await asyncio.shield(sent)
                cancel = json.dumps({"op": "cancel", "id": number}).encode() + b"\n"
                await asyncio.shield(asyncio.to_thread(self._write, process.stdin, cancel))
            raise

    async def start(self, spec: LaunchSpec) -> ServerState:
        return wire.state_from_json(await self._ask("start", spec=wire.spec_to_json(spec)))

    def _running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    async def stop(self, name: str, forget: bool = False) -> None:
        if not self._running():
            self._states.pop(name, None)
            return
        await self._ask("stop", name=name, forget=forget)
        if forget:
            self._states.pop(name, None)

    async def restart(self, name: str) -> ServerState | None:
        answer = await self._ask("restart", name=name)
        return None if answer is None else wire.state_from_json(answer)

    async def cancel_sign_in(self, name: str) -> None:
        process = self._process
        if self._running() and process is not None and process.stdin is not None:
            order = json.dumps({"op": "cancel_sign_in", "name": name}).encode() + b"\n"
            with contextlib.suppress(OSError, ValueError):
                await asyncio.to_thread(self._write, process.stdin, order)

    async def state(self, name: str) -> ServerState | None:
        if not self._running():
            return self._states.get(name)
        answer = await self._ask("state", name=name)
        return None if answer is None else wire.state_from_json(answer)

    async def tools(self) -> list[ToolSpec]:
        if not self._running():
            return []
        return [wire.tool_from_json(tool) for tool in await self._ask("tools")]

    async def call_tool(
        self, server: str, tool: str, arguments: dict[str, Any], timeout: float
    ) -> ToolOutput:
        answer = await self._ask(
            "call", server=server, tool=tool, arguments=arguments, timeout=timeout
        )
        return wire.output_from_json(answer)

    async def aclose(self) -> None:
        """Close the host's stdin (it stops every server, then ends), wait, kill if need be."""
        process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                await asyncio.to_thread(process.stdin.close)
        try:
            await asyncio.to_thread(process.wait, CLOSE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)
        if self._reader is not None:
            await asyncio.to_thread(self._reader.join, 5.0)
