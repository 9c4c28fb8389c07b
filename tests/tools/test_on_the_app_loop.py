"""The tool service on the app's own loop (qasync over Qt), as the app runs it
(app/lifetime.py): services built by build_services, servers begun after start-up, stopped
by shut_down; and a server flooding stderr and sending a 50 MB answer never stalls the
window's loop (DESIGN.md P9, R10)."""

from __future__ import annotations

import asyncio
import os
import time

from desktopchat.app.assembly import build_services
from desktopchat.app.lifetime import shut_down
from desktopchat.domain.tools import ServerStatus
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import SettingsStore
from tests.tools.helpers import echo_entry, write_config

STALL_LIMIT_S = 0.25
"""Far above the target (50 ms, P9) for a shared, loaded runner, and far below what reading
or parsing the 50 MB answer on the loop would cost (seconds)."""


def test_servers_begin_after_start_up_and_stop_at_quit_without_stalling_the_loop(
    qloop, qtbot, isolated_home
):
    paths = app_paths()
    paths.ensure()
    write_config(paths.config, {"echo": echo_entry()})
    settings = SettingsStore(paths.settings_file)
    services, _ = build_services(paths, settings, settings.load())
    assert services.tools is not None and services.tools.made is None  # made on first use
    tools = services.tools()
    assert tools.states() == []  # nothing read before begin()
    stalls = []
    marks = []
    results = []

    async def ticker():
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            stalls.append(now - last)
            marks.append(now)
            last = now

    tick = qloop.create_task(ticker())
    # Measured from here: reading mcp.json, importing the SDK, starting the server.
    tools.begin()
    qtbot.waitUntil(
        lambda: [s.status for s in tools.states()] == [ServerStatus.RUNNING], timeout=60_000
    )

    async def calls():
        results.append(await tools.call_tool("echo", "flood", {"lines": 200_000}))
        results.append(await tools.call_tool("echo", "huge", {"megabytes": 50}, timeout=120))
        results.append(await tools.call_tool("echo", "echo", {"text": "still here"}))

    running = time.monotonic()
    work = qloop.create_task(calls())
    qtbot.waitUntil(work.done, timeout=120_000)
    tick.cancel()
    assert work.exception() is None
    assert results[1].cut and results[2].parts[0].text == "still here"
    starting = [stall for stall, mark in zip(stalls, marks, strict=True) if mark < running]
    serving = [stall for stall, mark in zip(stalls, marks, strict=True) if mark >= running]
    # Starting imports the SDK in a worker thread, which holds the GIL in long stretches
    # (pydantic building its validators): printed, not asserted (DESIGN.md section 8); the
    # way out is a host process of its own (see docs/ARCHITECTURE.md, Tools).
    print(f"longest loop stall while starting {max(starting) * 1000:.0f} ms")
    print(f"longest loop stall while serving a flood and 50 MB {max(serving) * 1000:.0f} ms")
    assert max(serving) < STALL_LIMIT_S, f"the loop stalled {max(serving) * 1000:.0f} ms"

    asked = qloop.create_task(tools.call_tool("echo", "pid", {}))
    qtbot.waitUntil(asked.done, timeout=10_000)
    pid = int(asked.result().parts[0].text)
    done = qloop.create_task(shut_down(services))
    qtbot.waitUntil(done.done, timeout=30_000)
    assert done.exception() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pass
    else:
        raise AssertionError("the server is still running after shut_down")
