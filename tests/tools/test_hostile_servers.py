"""Servers that break the rules (servers/hostile_server.py, written without the SDK):
garbage on stdout, answers that are not tool results, a line that never ends, a flood of
notifications. Each call ends with an answer or a clear error, memory stays bounded, and
the server (or the app) goes on."""

from __future__ import annotations

import asyncio
import resource
import sys
from pathlib import Path

import pytest

from desktopchat.domain.tools import ServerStatus, ToolCallError, ToolErrorKind
from tests.tools.helpers import make_service, settled, write_config

HOSTILE = str(Path(__file__).parent / "servers" / "hostile_server.py")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_garbage_wrong_answers_endless_lines_and_floods(tmp_path, memory_keyring):
    write_config(tmp_path, {"hostile": {"command": sys.executable, "args": [HOSTILE]}})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            assert (await settled(service, "hostile")).status == ServerStatus.RUNNING
            said = await service.call_tool("hostile", "garbage", {}, timeout=30)
            assert said.parts[0].text == "survived"

            with pytest.raises(ToolCallError) as wrong:
                await service.call_tool("hostile", "not_a_result", {}, timeout=30)
            assert wrong.value.kind is ToolErrorKind.PROTOCOL

            with pytest.raises(ToolCallError) as refused:
                await service.call_tool("hostile", "error", {}, timeout=30)
            assert refused.value.message == "<b>no</b>"  # plain text, shown as such

            before = _peak_rss_mb()
            flooded = await service.call_tool("hostile", "notify_flood", {}, timeout=120)
            assert flooded.parts[0].text == "flooded"

            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.01)
                    ticks += 1

            tick = asyncio.ensure_future(ticker())
            with pytest.raises(ToolCallError) as endless:
                await service.call_tool("hostile", "endless", {}, timeout=3)
            tick.cancel()
            assert endless.value.kind is ToolErrorKind.TIMEOUT
            assert ticks > 10, "the loop stood still while the server wrote"
            assert _peak_rss_mb() - before < 100, "the endless line was held"
            return service.states()
        finally:
            await service.aclose()

    asyncio.run(asyncio.wait_for(scenario(), 240))
