"""The tool host process: `python -m desktopchat.tools.child [--path PATH]`, started by
tools/remote.py. It runs every MCP server (tools/host.py) on its own loop and answers the
app over its stdin and stdout, one JSON message a line:

    app → host   {"id": 1, "op": "start", "spec": {…}}   ("stop", "restart", "state",
                 "tools", "call", "cancel" {"id": n}, "cancel_sign_in"
                 {"name"}, "close")
    host → app   {"id": 1, "ok": …} | {"id": 1, "error": {"kind", "message"}}
                 {"event": "state", "state": {…}}
                 {"event": "sign_in", "server", "url"} (open this page in the browser),
                 {"event": "sign_in_done", "server"}, {"event": "oauth_store", "server",
                 "kind", "value"} (keep this in the keychain: tools/oauth.py)

It ends when its stdin closes (the app quit or died), stopping every server first. On Linux
it also dies with the app (PR_SET_PDEATHSIG, set by remote.py), and its servers with it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from typing import Any

from desktopchat.domain.tools import ServerState, ToolCallError, ToolErrorKind
from desktopchat.tools import wire
from desktopchat.tools.host import Servers

LINE_LIMIT = 64 * 1024 * 1024
"""An order from the app (a call's arguments a model wrote) is at most this long."""


class Host:
    def __init__(self, path: str | None) -> None:
        self._out = sys.stdout.buffer
        self.servers = Servers(self._state_changed, path, self.send)
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def send(self, message: dict[str, Any]) -> None:
        self._out.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
        self._out.flush()

    def _state_changed(self, state: ServerState) -> None:
        self.send({"event": "state", "state": wire.state_to_json(state)})

    async def answer(self, number: int, op: str, message: dict[str, Any]) -> None:
        try:
            result: Any = None
            if op == "start":
                state = await self.servers.start(wire.spec_from_json(message["spec"]))
                result = wire.state_to_json(state)
            elif op == "stop":
                await self.servers.stop(str(message["name"]), bool(message.get("forget")))
            elif op == "restart":
                restarted = await self.servers.restart(str(message["name"]))
                result = None if restarted is None else wire.state_to_json(restarted)
            elif op == "state":
                state_now = self.servers.state(str(message["name"]))
                result = None if state_now is None else wire.state_to_json(state_now)
            elif op == "tools":
                result = [tool.__dict__ for tool in self.servers.tools()]
            elif op == "call":
                output = await self.servers.call_tool(
                    str(message["server"]),
                    str(message["tool"]),
                    dict(message["arguments"]),
                    float(message["timeout"]),
                )
                result = wire.output_to_json(output)
            else:
                raise ToolCallError(ToolErrorKind.PROTOCOL, f"unknown order {op!r}")
            self.send({"id": number, "ok": result})
        except ToolCallError as error:
            self.send({"id": number, "error": wire.error_to_json(error)})
        except asyncio.CancelledError:
            self.send({"id": number, "error": {"kind": "cancelled", "message": "cancelled"}})
        except Exception as error:  # a bug here must not end every server
            words = f"{type(error).__name__}: {str(error)[:300]}"
            self.send({"id": number, "error": {"kind": "protocol", "message": words}})
        finally:
            self._tasks.pop(number, None)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=LINE_LIMIT)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        try:
            while line := await reader.readline():
                message = json.loads(line)
                op = message.get("op")
                if op == "close":
                    break
                if op == "cancel_sign_in":
                    self.servers.cancel_sign_in(str(message["name"]))
                    continue
                if op == "cancel":
                    task = self._tasks.get(int(message["id"]))
                    if task is not None:
                        task.cancel()
                    continue
                number = int(message["id"])
                self._tasks[number] = loop.create_task(self.answer(number, str(op), message))
        finally:
            for task in list(self._tasks.values()):
                task.cancel()
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
            await self.servers.stop_all()


def main() -> None:
    parser = argparse.ArgumentParser(prog="desktopchat.tools.child")
    parser.add_argument("--path", help="the PATH servers get (default: the login shell's)")
    options = parser.parse_args()
    # Our stdout is the app's pipe: anything else printed there would break the protocol.
    protocol_out = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = os.fdopen(protocol_out, "w", encoding="utf-8", closefd=True)
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        asyncio.run(Host(options.path).run())


if __name__ == "__main__":
    main()
