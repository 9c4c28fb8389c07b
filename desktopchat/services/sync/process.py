"""The app's side of the sync process (services/sync/child.py): start it, hand it the sync
and its secrets on stdin, pass its file counts on, and turn its last line into a report or
a failure of the same kinds the window already words.

Why a process: in a thread of the app, the engine and the history's writer held the GIL
for 100–300 ms at a time during a first sync of 10,000 messages, and the window stalled
while the person typed (DESIGN.md P9). The process has a GIL of its own.

One reader thread per sync starts the process and reads its lines until it ends: on
Linux the process ties itself to that thread with PR_SET_PDEATHSIG first thing
(tools/launch.py `die_with_parent`, called in the child: a preexec_fn would make Popen
fork this large process under the GIL, 30–60 ms, instead of vfork), so it dies with the
app even after kill -9; everywhere its stdin is a pipe from the app whose end stops it.
Another thread reads its stderr into the log, bounded. Stop closes stdin (the sync stops
at its next file, keeping what it read); cancelling the awaiting task kills the process,
which loses nothing (the engine journals what it applies).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import subprocess
import threading
from collections import deque
from collections.abc import Callable
from typing import IO, Any

from desktopchat.services.sync.report import SyncReport
from desktopchat.sync.errors import SyncError
from desktopchat.system.child_python import child_command

log = logging.getLogger(__name__)

CHILD_MODULE = "desktopchat.services.sync.child"
LINE_LIMIT = 1024 * 1024
"""A line from the child longer than this is not ours: the child is stopped."""
STDERR_LINES = 200
"""At most this many of the child's stderr lines are logged per sync…"""
STDERR_LINE_CHARS = 2000
"""…each cut to this many characters; the last few are kept for a failure's detail."""
STDERR_TAIL = 5


class SyncFailed(SyncError):
    """The sync process said it failed, or ended without saying: `kind` is one of
    service.problem_kind's, "ended" for a process that died (killed, a crash)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class SyncProcess:
    """One sync in a child process. `files(done, total)` is called on the reader thread."""

    def __init__(self, order: dict[str, Any], files: Callable[[int, int], None] | None) -> None:
        self._order = order
        self._files = files
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self._killed = False
        self._stderr: deque[str] = deque(maxlen=STDERR_TAIL)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def run(self) -> SyncReport:
        """The report, or SyncFailed; cancelled, the process is killed."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[SyncReport] = loop.create_future()

        def settle(result: SyncReport | None, error: BaseException | None) -> None:
            if done.done():
                return
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(result)  # type: ignore[arg-type]

        def body() -> None:
            try:
                result: tuple[SyncReport | None, BaseException | None] = (self._read(), None)
            except BaseException as error:  # handed to the awaiting task
                result = (None, error)
            with contextlib.suppress(RuntimeError):  # the app's loop is gone: nobody waits
                loop.call_soon_threadsafe(settle, *result)

        threading.Thread(target=body, name="desktopchat-sync", daemon=True).start()
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            self.kill()
            raise

    def stop(self) -> None:
        """Stop at the next file: the child's stdin ends (never blocks)."""
        with self._lock:
            self._stopped = True
            process = self._process
            if process is not None and process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()

    def kill(self) -> None:
        """End it now (crash-safe: the next sync goes on from what it applied)."""
        with self._lock:
            self._stopped = True
            self._killed = True
            if self._process is not None and self._process.poll() is None:
                with contextlib.suppress(OSError):
                    self._process.kill()

    def _read(self) -> SyncReport:
        """The reader thread: start the process (tied to this thread), give it the order,
        read its lines until it ends."""
        argv, env = child_command(CHILD_MODULE)
        with self._lock:
            if self._stopped:
                raise SyncFailed("stopped", "stopped before it began")
            try:
                process = subprocess.Popen(
                    argv,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env=env,
                )
            except (OSError, ValueError) as error:
                raise SyncFailed("other", f"the sync process could not start: {error}") from None
            self._process = process
            assert process.stdin is not None and process.stdout is not None
            order = {**self._order, "parent": os.getpid()}
            with contextlib.suppress(OSError):  # it died at once: said below
                process.stdin.write(json.dumps(order).encode() + b"\n")
                process.stdin.flush()
        threading.Thread(
            target=self._log_stderr, args=(process.stderr,), name="sync-stderr", daemon=True
        ).start()
        last: dict[str, Any] | None = None
        try:
            for line in iter(lambda: process.stdout.readline(LINE_LIMIT), b""):  # type: ignore[union-attr]
                last = self._line(line) or last
        except BaseException:
            self.kill()  # it wrote nonsense: not left running
            raise
        finally:
            process.wait()
            with contextlib.suppress(OSError):
                process.stdin.close()
        return self._outcome(last, process.returncode)

    def _line(self, line: bytes) -> dict[str, Any] | None:
        """A progress line is passed on; the last word (done, failed) is returned."""
        if not line.endswith(b"\n"):
            return None  # cut short by a kill: the end follows
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            raise SyncFailed("other", "the sync process wrote something that is not ours")
        if message.get("event") == "files":
            if self._files is not None:
                self._files(int(message["done"]), int(message["total"]))
            return None
        return message

    def _outcome(self, last: dict[str, Any] | None, code: int | None) -> SyncReport:
        if last is not None and last.get("event") == "done":
            return SyncReport(**last["report"])
        if last is not None and last.get("event") == "failed":
            raise SyncFailed(str(last.get("kind", "other")), str(last.get("message", "")))
        if self._killed:
            raise SyncFailed("stopped", "ended at quit")
        said = " | ".join(self._stderr)
        log.error("the sync process ended without a result (exit code %s)", code)
        detail = f"exit code {code}" + (f": {said}" if said else "")
        raise SyncFailed("ended", f"the sync process ended unexpectedly ({detail})")

    def _log_stderr(self, stream: IO[bytes]) -> None:
        logged = 0
        for raw in iter(lambda: stream.readline(STDERR_LINE_CHARS), b""):
            text = raw.decode("utf-8", "replace").rstrip()[:STDERR_LINE_CHARS]
            self._stderr.append(text)
            if logged < STDERR_LINES:
                log.warning("sync process: %s", text)
                logged += 1
        if logged >= STDERR_LINES:
            log.warning("sync process: more on stderr was not logged")
