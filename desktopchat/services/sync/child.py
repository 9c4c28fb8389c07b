"""The sync process: `python -P -m desktopchat.services.sync.child`, started by the app
(services/sync/process.py) for each sync, so that the engine's work — parsing thousands
of records, the history's writer applying one statement per message — holds this
process's GIL, never the window's (DESIGN.md P9).

One JSON line each way; secrets travel on stdin, never on the command line:

    app → child   {"database", "target": {"kind", "location", "user"}, "passphrase",
                   "password", "timeout", "parent"}  (the first line: one sync)
                  then end of input (or {"op": "stop"}): stop at the next file
    child → app   {"event": "files", "done", "total"}   (at most 10 a second)
                  {"event": "done", "report": {…}}     (SyncReport's fields)
                  {"event": "failed", "kind", "message"} (problem_kind's kinds)

The history is written through its normal path (ConversationStore and its writer thread,
with an instance field of its own: storage/ids.py). Killed at any moment, it loses
nothing: the engine journals what it applies and the next sync goes on (sync_state.py).
A child whose app is gone stops: on Linux the kernel kills it (PR_SET_PDEATHSIG, which it
sets itself as soon as it has the app's pid), and everywhere its stdin then ends, which
stops the sync at the next file.
Anything else it has to say (a warning, a traceback) goes to stderr, which the app logs.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

PROGRESS_EVERY_S = 0.1
ORDER_LIMIT = 1024 * 1024


NICENESS = 10
"""A sync is background work: on a busy machine the window gets the CPU first."""


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    out = _protocol_stdout()
    order = json.loads(sys.stdin.buffer.readline(ORDER_LIMIT) or b"null")
    if not isinstance(order, dict):
        return 2  # the app went away before it said what to do
    from desktopchat.tools.launch import die_with_parent

    tie = die_with_parent(int(order["parent"]))
    if tie is not None:
        tie()  # killed with the app's thread that started it (ended at once if it is gone)
    stop = threading.Event()
    threading.Thread(target=_watch_input, args=(stop,), name="stdin", daemon=True).start()
    try:
        report = _sync(order, stop, _files_writer(out))
    except Exception as error:  # every failure is said to the app by its kind
        from desktopchat.services.sync.service import problem_kind

        kind = problem_kind(error)
        if kind in ("other", "sync"):
            logging.getLogger(__name__).warning("sync failed", exc_info=error)
        _send(out, {"event": "failed", "kind": kind, "message": str(error)})
        return 1
    _send(out, {"event": "done", "report": asdict(report)})
    return 0


def _sync(order: dict[str, Any], stop: threading.Event, files: Any) -> Any:
    from desktopchat.services.sync.engine import SyncEngine
    from desktopchat.services.sync.service import remember_success
    from desktopchat.services.sync.target import SyncTarget
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore
    from desktopchat.storage.sync_state import STATE_FILE, SyncState
    from desktopchat.sync.errors import SyncError

    database = Path(order["database"])
    target = SyncTarget(**order["target"])
    timeout = order.get("timeout")
    transport = target.transport(order.get("password"), None if timeout is None else timeout)
    db, problem = open_database(database)
    if problem is not None:
        db.close()
        transport.close()
        raise SyncError(f"the history cannot be used ({problem.kind}: {problem.detail})")
    store = ConversationStore(db)
    state = SyncState(database.with_name(STATE_FILE))
    try:
        joining = state.get("joining")
        report = SyncEngine(
            store,
            state,
            transport,
            order["passphrase"],
            files=files,
            stop=stop.is_set,
            joining=None if joining is None else joining == "1",
        ).run()
        remember_success(state, report)
        return report
    finally:
        state.close()
        transport.close()
        store.close()  # waits for what the writer still holds
        db.close()


def _protocol_stdout() -> IO[bytes]:
    """The protocol's own copy of stdout; fd 1 then goes to stderr, so that nothing a
    library prints can break a line the app reads."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


_write_lock = threading.Lock()


def _send(out: IO[bytes], message: dict[str, Any]) -> None:
    with _write_lock:
        out.write(json.dumps(message).encode() + b"\n")
        out.flush()


def _files_writer(out: IO[bytes]) -> Any:
    last = [0.0]

    def files(done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            _send(out, {"event": "files", "done": done, "total": total})

    return files


def _watch_input(stop: threading.Event) -> None:
    """End of input (the app stopped the sync, quit or died) or a stop order: stop at the
    next file. Unbuffered reads of fd 0 (the app writes nothing after the order, so the
    buffer holds nothing more): a daemon thread blocked in sys.stdin's buffer would hold
    its lock while the interpreter shuts down, a fatal error."""
    while True:
        try:
            data = os.read(0, 4096)
        except OSError:
            break
        if not data or b'"stop"' in data:
            break
    stop.set()


if __name__ == "__main__":
    sys.exit(main())
