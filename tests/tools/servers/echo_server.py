"""A real MCP server written with the SDK, for the tool tests: run it as
`python echo_server.py` (stdio) or `python echo_server.py http PORT` (streamable HTTP)."""

from __future__ import annotations

import asyncio
import base64
import os
import sys

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.utilities.types import Image
from mcp.types import ToolAnnotations

server = MCPServer("echo")

# A 1×1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@server.tool(annotations=ToolAnnotations(readOnlyHint=True, title="<b>Echo</b>"))
def echo(text: str) -> str:
    """Say the text back."""
    return text


@server.tool()
def add(a: float, b: float) -> float:
    """Add two numbers."""
    return a + b


@server.tool()
def pixel() -> Image:
    """A tiny image."""
    return Image(data=PIXEL, format="png")


@server.tool()
async def sleep(seconds: float) -> str:
    """Sleep, then say so; writes a marker file when cancelled, if asked to."""
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        marker = os.environ.get("CANCEL_MARKER")
        if marker:
            with open(marker, "w") as file:
                file.write("cancelled")
        raise
    return f"slept {seconds}"


@server.tool()
def flood(lines: int) -> str:
    """Write many lines to stderr."""
    for number in range(lines):
        sys.stderr.write(f"flood line {number} " + "x" * 100 + "\n")
    sys.stderr.flush()
    return "flooded"


@server.tool()
def huge(megabytes: int) -> str:
    """An answer of that many megabytes."""
    return "y" * (megabytes * 1024 * 1024)


@server.tool()
def crash() -> str:
    """Die mid-call."""
    sys.stderr.write("about to crash: goodbye\n")
    sys.stderr.flush()
    os._exit(3)


@server.tool()
def environment() -> str:
    """The names of the variables this server was given, one a line."""
    return "\n".join(sorted(os.environ))


@server.tool()
def getenv(name: str) -> str:
    """The value of one variable ("" when unset)."""
    return os.environ.get(name, "")


@server.tool()
def pid() -> str:
    """This server's process id."""
    return str(os.getpid())


@server.tool()
def rich() -> str:
    """Text that looks like markup."""
    return '<b>bold</b> <img src="http://example.com/x.png"> <a href="file:///etc/passwd">x</a>'


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        if os.environ.get("STDERR_AT_START"):
            sys.stderr.write(os.environ["STDERR_AT_START"] + "\n")
            sys.stderr.flush()
        if os.environ.get("EXIT_AT_START"):
            sys.exit(int(os.environ["EXIT_AT_START"]))
        server.run()
        if os.environ.get("HOLD_ON_EOF"):  # a server that ignores the end of its input
            import signal
            import time

            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            time.sleep(3600)
