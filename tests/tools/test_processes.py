"""Servers as processes: no orphan when the app is killed with SIGKILL, and a
streamable-HTTP server (the same echo server, served over HTTP) with its headers."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktopchat.domain.tools import ServerStatus
from desktopchat.system.mcp_config import ServerConfig
from tests.tools.helpers import ECHO, make_service, settled

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead: it only waits for its parent (here: init) to read its status.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_no_server_outlives_an_app_killed_with_sigkill(tmp_path):
    """The server ignores the end of its input and SIGTERM: only the kernel's parent-death
    signal can end it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    app = subprocess.Popen(
        [sys.executable, "-m", "tests.tools.app_child", str(tmp_path)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        text=True,
    )
    server_pid = None
    try:
        line = app.stdout.readline()
        server_pid = int(line)
        assert _alive(server_pid)
        app.send_signal(signal.SIGKILL)
        app.wait(10)
        deadline = time.monotonic() + 10
        while _alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(server_pid), "the server outlived the app"
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        if server_pid is not None and _alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)  # the test failed: leave nothing behind


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def http_server():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, ECHO, "http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/mcp"
    server.terminate()
    server.wait(10)


def test_a_streamable_http_server_is_used_with_its_headers(tmp_path, memory_keyring, http_server):
    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            server = ServerConfig("web", url=http_server, headers={"X-Api-Key": "hdr-s3cret"})
            await service.save_server(server)
            state = await settled(service, "web")
            assert state.status == ServerStatus.RUNNING, state
            said = await service.call_tool("web", "echo", {"text": "over http"})
            assert said.parts[0].text == "over http"
            assert any(t.api_name == "web__echo" for t in await service.list_tools())
        finally:
            await service.aclose()

    asyncio.run(asyncio.wait_for(scenario(), 120))
    assert "hdr-s3cret" not in (tmp_path / "mcp.json").read_text()


def test_an_http_server_that_is_not_there_says_so(tmp_path, memory_keyring):
    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            url = f"http://127.0.0.1:{_free_port()}/mcp"
            await service.save_server(ServerConfig("web", url=url))
            state = await settled(service, "web")
            assert state.status == ServerStatus.FAILED
            assert state.problem == "unreachable" and url in state.message
        finally:
            await service.aclose()

    asyncio.run(asyncio.wait_for(scenario(), 120))


def _host_pids() -> list[int]:
    """Our tool host processes (children of this test process)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = next(line for line in status.splitlines() if line.startswith("PPid:"))
        if int(parent.split()[1]) == os.getpid() and b"desktopchat.tools.child" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_host_that_dies_is_said_and_a_restart_brings_a_new_one(tmp_path, memory_keyring):
    from tests.tools.helpers import echo_entry, write_config

    write_config(tmp_path, {"echo": echo_entry()})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            await settled(service, "echo")
            (host,) = _host_pids()
            os.kill(host, signal.SIGKILL)
            for _ in range(200):
                if service.states()[0].status == ServerStatus.FAILED:
                    break
                await asyncio.sleep(0.05)
            assert service.states()[0].problem == "host_ended"
            await service.restart("echo")
            assert (await settled(service, "echo")).status == ServerStatus.RUNNING
            said = await service.call_tool("echo", "echo", {"text": "again"})
            assert said.parts[0].text == "again"
        finally:
            await service.aclose()

    asyncio.run(asyncio.wait_for(scenario(), 120))
