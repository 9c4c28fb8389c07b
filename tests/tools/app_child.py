"""A stand-in for the app in the orphan test: starts the echo server through the tool
service, prints the server's process id, then waits to be killed."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.keyring_memory import MemoryKeyring
from tests.tools.helpers import echo_entry, make_service, settled, write_config


async def main(folder: Path) -> None:
    write_config(folder, {"echo": echo_entry(env={"HOLD_ON_EOF": "1"})})
    service = make_service(folder, MemoryKeyring())
    await service.start()
    await settled(service, "echo")
    pid = await service.call_tool("echo", "pid", {})
    print(pid.parts[0].text, flush=True)
    await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
