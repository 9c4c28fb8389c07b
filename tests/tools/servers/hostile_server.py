"""An MCP server that breaks the rules, written by hand (no SDK) so it can: run it as
`python hostile_server.py` (stdio). It answers `initialize` and `tools/list` properly; its
tools then misbehave:

- garbage: lines that are not JSON, JSON that is not JSON-RPC, an answer to an id nobody
  asked, then the real answer;
- not_a_result: answers with a result that is not a tool result;
- error: answers with a JSON-RPC error;
- endless: a line that never ends (bytes with no newline, until killed);
- notify_flood: 100,000 log notifications, then the answer.
"""

from __future__ import annotations

import json
import sys

TOOLS = ["garbage", "not_a_result", "error", "endless", "notify_flood"]
out = sys.stdout.buffer


def send(message: object) -> None:
    out.write(json.dumps(message).encode() + b"\n")
    out.flush()


def text(value: str) -> dict:
    return {"content": [{"type": "text", "text": value}], "isError": False}


def answer(request: dict) -> None:
    number, method = request.get("id"), request.get("method")
    if method == "initialize":
        version = request["params"]["protocolVersion"]
        send(
            {
                "jsonrpc": "2.0",
                "id": number,
                "result": {
                    "protocolVersion": version,
                    "capabilities": {"tools": {}},
                    "serverInfo": {"name": "hostile", "version": "1"},
                },
            }
        )
    elif method == "tools/list":
        tools = [{"name": n, "inputSchema": {"type": "object"}} for n in TOOLS]
        send({"jsonrpc": "2.0", "id": number, "result": {"tools": tools}})
    elif method == "tools/call":
        tool = request["params"]["name"]
        if tool == "garbage":
            out.write(b'this is not json\n{"half": \n[1, 2, 3]\n')
            send({"jsonrpc": "2.0", "id": 987654, "result": {}})
            send({"jsonrpc": "1.0", "method": 42})
            send({"jsonrpc": "2.0", "id": number, "result": text("survived")})
        elif tool == "not_a_result":
            send({"jsonrpc": "2.0", "id": number, "result": "just a string"})
        elif tool == "error":
            send(
                {"jsonrpc": "2.0", "id": number, "error": {"code": -32000, "message": "<b>no</b>"}}
            )
        elif tool == "endless":
            chunk = b"x" * 65536
            while True:
                out.write(chunk)
        elif tool == "notify_flood":
            for index in range(100_000):
                send(
                    {
                        "jsonrpc": "2.0",
                        "method": "notifications/message",
                        "params": {"level": "info", "data": f"line {index} " + "z" * 200},
                    }
                )
            send({"jsonrpc": "2.0", "id": number, "result": text("flooded")})
    elif number is not None and method is not None:
        send({"jsonrpc": "2.0", "id": number, "result": {}})


for line in sys.stdin.buffer:
    try:
        message = json.loads(line)
    except ValueError:
        continue
    if isinstance(message, dict):
        answer(message)
