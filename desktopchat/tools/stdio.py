"""A stdio server as a child process, read with bounds: our own transport for the SDK's
ClientSession (the SDK's stdio_client reads a line however long it is, starts the child
without a way to tie it to our life, and takes stderr only as a file).

- One line of stdout (one JSON-RPC message) is at most LINE_LIMIT bytes: a longer one is
  dropped as it arrives and the request it answered gets an error (TOO_LARGE_CODE) instead,
  so a 50 MB answer costs at most 16 MiB of memory, and the server runs on.
- stderr is read as it comes and only its last STDERR_LINES lines are kept, each cut at
  STDERR_LINE_CHARS: a server that floods stderr costs a few hundred kilobytes at most.
- The child is started in a process group of its own, with launch.die_with_parent on Linux;
  closing the transport closes stdin, waits, then ends the whole group (SIGTERM, SIGKILL).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sys
from collections import deque

import anyio
import mcp_types as types
from mcp.client._transport import TransportStreams
from mcp.shared.message import SessionMessage

from desktopchat.tools.launch import die_with_parent

LINE_LIMIT = 16 * 1024 * 1024
STDERR_LINES = 50
STDERR_LINE_CHARS = 2000
READ_CHUNK = 256 * 1024
TOO_LARGE_CODE = -32077
"""The error code of a request whose answer was over LINE_LIMIT (a server-range code no
other part of the protocol uses)."""
STOP_GRACE_S = 2.0
EXIT_POLL_S = 0.25

_ID = re.compile(rb'"id"\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,20})')


class StderrTail:
    """The last lines a server wrote to stderr, bounded however much it writes."""

    def __init__(self) -> None:
        self.lines: deque[str] = deque(maxlen=STDERR_LINES)
        self._partial = ""

    def feed(self, chunk: bytes) -> None:
        text = self._partial + chunk.decode("utf-8", "replace")
        *complete, rest = text.split("\n")
        for line in complete[-STDERR_LINES:]:
            self.lines.append(_cut(line.rstrip("\r")))
        self._partial = rest[: STDERR_LINE_CHARS + 1]

    def flush(self) -> None:
        if self._partial:
            self.lines.append(_cut(self._partial))
            self._partial = ""

    def tail(self) -> tuple[str, ...]:
        return (*self.lines, *([_cut(self._partial)] if self._partial else []))


def _cut(line: str) -> str:
    return line if len(line) <= STDERR_LINE_CHARS else line[:STDERR_LINE_CHARS] + "…"


def too_large_error(head: bytes) -> SessionMessage | Exception:
    """The error that answers, in place of the server, a request whose answer was too long;
    the request is found by the id at the head of the line (JSON-RPC puts it first)."""
    found = _ID.search(head)
    if found is None:
        return ValueError("the server sent a message over 16 MiB, which was dropped")
    request_id = json.loads(found.group(1))
    error = types.JSONRPCError(
        jsonrpc="2.0",
        id=request_id,
        error=types.ErrorData(
            code=TOO_LARGE_CODE, message="the answer was larger than 16 MiB and was dropped"
        ),
    )
    return SessionMessage(error)


def _parse(line: bytes) -> SessionMessage | Exception:
    """One line as a message. An answer that is not valid JSON-RPC (a result that is not an
    object…) becomes an error for the request it names: dropped, the call would wait for
    its whole timeout."""
    try:
        return SessionMessage(types.jsonrpc_message_adapter.validate_json(line, by_name=False))
    except ValueError as bad:
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            return bad
        if not (isinstance(data, dict) and ("result" in data or "error" in data)):
            return bad
        request_id = data.get("id")
        if isinstance(request_id, bool) or not isinstance(request_id, (int, str)):
            return bad
        error = types.ErrorData(
            code=types.INVALID_REQUEST, message="The server's answer was not valid JSON-RPC."
        )
        return SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=request_id, error=error))


class StdioChild:
    """One server process and the streams a ClientSession reads and writes. Runs on the
    host's loop only."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: str | None) -> None:
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.stderr = StderrTail()
        self.exited = asyncio.Event()
        self.returncode: int | None = None
        self.pid: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> TransportStreams:
        """Start the process (raises OSError when it cannot be) and the pipe tasks."""
        process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self.env,
            cwd=self.cwd,
            start_new_session=sys.platform != "win32",
            preexec_fn=die_with_parent(),
        )
        self._process = process
        self.pid = process.pid
        read_writer, read_stream = anyio.create_memory_object_stream[SessionMessage | Exception](0)
        write_stream, write_reader = anyio.create_memory_object_stream[SessionMessage](0)
        self._streams = (read_writer, read_stream, write_stream, write_reader)
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._read_stdout(process, read_writer)),
            loop.create_task(self._write_stdin(process, write_reader, read_writer)),
            loop.create_task(self._read_stderr(process)),
            loop.create_task(self._watch_exit(process, read_writer)),
        ]
        return read_stream, write_stream

    async def _read_stdout(
        self,
        process: asyncio.subprocess.Process,
        out: anyio.abc.ObjectSendStream[SessionMessage | Exception],
    ) -> None:
        assert process.stdout is not None
        pieces: list[bytes] = []
        size = 0
        head = b""  # the line's first 512 bytes, where JSON-RPC puts the id
        dropping: bytes | None = None  # the head of a line too long to keep
        with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError):
            while chunk := await process.stdout.read(READ_CHUNK):
                start = 0
                while start < len(chunk):
                    end = chunk.find(b"\n", start)
                    piece = chunk[start:] if end < 0 else chunk[start:end]
                    start = len(chunk) if end < 0 else end + 1
                    if dropping is None:
                        size += len(piece)
                        pieces.append(piece)
                        if len(head) < 512:
                            head += piece[: 512 - len(head)]
                        if size > LINE_LIMIT:
                            dropping = head
                            pieces, size = [], 0
                    if end < 0:
                        break
                    head = b""
                    if dropping is not None:
                        await out.send(too_large_error(dropping))
                        dropping = None
                    else:
                        line = b"".join(pieces)
                        pieces, size = [], 0
                        if line.strip():
                            await out.send(_parse(line))

    async def _write_stdin(
        self,
        process: asyncio.subprocess.Process,
        messages: anyio.abc.ObjectReceiveStream[SessionMessage],
        out: anyio.abc.ObjectSendStream[SessionMessage | Exception],
    ) -> None:
        assert process.stdin is not None
        try:
            async for message in messages:
                data = message.message.model_dump_json(by_alias=True, exclude_unset=True)
                process.stdin.write(data.encode("utf-8") + b"\n")
                await process.stdin.drain()
        except (OSError, anyio.ClosedResourceError, anyio.BrokenResourceError):
            await out.aclose()  # pending requests fail rather than wait forever

    async def _read_stderr(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        with contextlib.suppress(OSError):
            while chunk := await process.stderr.read(64 * 1024):
                self.stderr.feed(chunk)
        self.stderr.flush()

    async def _watch_exit(
        self,
        process: asyncio.subprocess.Process,
        out: anyio.abc.ObjectSendStream[SessionMessage | Exception],
    ) -> None:
        """Polls the exit code: `wait()` also waits for the pipes, which a grandchild may
        hold open after the server itself exited."""
        while process.returncode is None:
            await asyncio.sleep(EXIT_POLL_S)
        self.returncode = process.returncode
        await asyncio.sleep(0.1)  # let the last stderr lines and stdout messages in
        await out.aclose()
        self.exited.set()

    async def close(self) -> None:
        """Close stdin, give the server STOP_GRACE_S to end, then end its group."""
        process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.exited.wait(), STOP_GRACE_S)
        for signum in (signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
            self._signal_group(process, signum)
            if process.returncode is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.exited.wait(), STOP_GRACE_S)
            if process.returncode is not None:
                break
        # Whatever the server left behind in its group goes too.
        self._signal_group(process, getattr(signal, "SIGKILL", signal.SIGTERM))
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for stream in self._streams:
            await stream.aclose()
        transport = getattr(process, "_transport", None)
        if transport is not None:
            transport.close()

    @staticmethod
    def _signal_group(process: asyncio.subprocess.Process, signum: int) -> None:
        with contextlib.suppress(OSError):
            if sys.platform == "win32":
                if process.returncode is None:
                    process.kill()
            else:
                os.killpg(process.pid, signum)
