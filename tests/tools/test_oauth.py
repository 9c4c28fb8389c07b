"""Signing in to a remote MCP server with OAuth 2.1 and PKCE, against an authorization
server written with the SDK's server pieces (servers/oauth_server.py) on the loopback: the
test plays the person's browser (it fetches the page the app was asked to open and follows
its redirect to the app's loopback listener). Discovery, registration, the code, a refresh
after expiry (in a session and after a restart), refusal, cancel, sign-out; tokens only in
the keychain."""

from __future__ import annotations

import asyncio
import logging
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from desktopchat.domain.tools import ServerStatus
from desktopchat.system.mcp_config import ServerConfig, oauth_account
from tests.tools.helpers import make_service, settled

OAUTH_SERVER = str(Path(__file__).parent / "servers" / "oauth_server.py")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(tmp_path: Path, *flags: str):
    port = _free_port()
    tmp_path.mkdir()
    log = tmp_path / "grants.log"
    process = subprocess.Popen(
        [sys.executable, OAUTH_SERVER, str(port), str(log), *flags],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    return process, f"http://127.0.0.1:{port}/mcp", log


@pytest.fixture
def oauth_server(tmp_path):
    process, url, log = _serve(tmp_path / "as")
    yield url, log
    process.terminate()
    process.wait(10)


@pytest.fixture
def refusing_server(tmp_path):
    process, url, _ = _serve(tmp_path / "as", "refuse")
    yield url
    process.terminate()
    process.wait(10)


def _browser(service, pages: list[str], follow: bool = True):
    """What the app's UI does with a sign-in page, played by the test: open it (here:
    fetch it and follow the redirect to the app's loopback), or press Cancel."""
    loop = asyncio.get_running_loop()
    tasks = set()

    def opened(server: str, url: str) -> None:
        if not url:
            return
        pages.append(url)
        if follow:
            fetch = asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=30).read())
            tasks.add(loop.create_task(fetch))
        else:
            tasks.add(loop.create_task(service.cancel_sign_in(server)))

    service.sign_ins.subscribe(opened)


def _grants(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


async def _call(service, name="secure"):
    return (await service.call_tool(name, "whoami", {})).parts[0].text


def test_sign_in_refresh_restart_and_sign_out(tmp_path, memory_keyring, oauth_server, caplog):
    caplog.set_level(logging.DEBUG, logger="desktopchat")
    url, grants = oauth_server
    pages: list[str] = []

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            _browser(service, pages)
            await service.save_server(ServerConfig("secure", url=url, oauth=True))
            state = await settled(service, "secure", timeout=60)
            assert state.status == ServerStatus.RUNNING, state
            assert len(pages) == 1 and "code_challenge=" in pages[0] and "state=" in pages[0]
            assert "code_challenge_method=S256" in pages[0]
            assert await _call(service) == "signed in"
            assert _grants(grants) == ["register", "authorization_code"]
            assert service.sign_ins.waiting == {}

            await asyncio.sleep(2.5)  # the access token (2 s) expires
            assert await _call(service) == "signed in"
            assert _grants(grants)[-1] == "refresh_token"

            await asyncio.sleep(2.5)
            await service.restart("secure")  # tokens from the keychain, expired: refreshed
            state = await settled(service, "secure", timeout=60)
            assert state.status == ServerStatus.RUNNING, state
            assert await _call(service) == "signed in"
            assert len(pages) == 1, "a restart asked the person to sign in again"
            assert _grants(grants).count("register") == 1

            stored = {a: v for (_, a), v in memory_keyring.passwords.items()}
            tokens = stored[oauth_account("secure", "tokens")]
            assert "access_token" in tokens and stored[oauth_account("secure", "client")]
            await service.sign_out("secure")
            stored = {a for _, a in memory_keyring.passwords}
            assert oauth_account("secure", "tokens") not in stored
            assert oauth_account("secure", "client") not in stored
            assert service.states()[0].message == "Signed out."
            return tokens
        finally:
            await service.aclose()

    tokens = asyncio.run(asyncio.wait_for(scenario(), 180))
    import json

    access = json.loads(tokens)["token"]["access_token"]
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "grants.log":
            assert access not in path.read_text(errors="replace"), path
    assert access not in caplog.text
    assert '"oauth": true' in (tmp_path / "mcp.json").read_text()


def test_a_refused_sign_in_says_so(tmp_path, memory_keyring, refusing_server):
    pages: list[str] = []

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            _browser(service, pages)
            await service.save_server(ServerConfig("secure", url=refusing_server, oauth=True))
            return await settled(service, "secure", timeout=60)
        finally:
            await service.aclose()

    state = asyncio.run(asyncio.wait_for(scenario(), 120))
    assert state.status == ServerStatus.FAILED and state.problem == "sign_in"
    assert state.message == "The sign-in was refused: The person said no."
    assert not any("oauth" in a for _, a in memory_keyring.passwords if "tokens" in a)


def test_a_cancelled_sign_in_says_so_and_closes_the_loopback(
    tmp_path, memory_keyring, oauth_server
):
    url, grants = oauth_server
    pages: list[str] = []

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            _browser(service, pages, follow=False)
            await service.save_server(ServerConfig("secure", url=url, oauth=True))
            return await settled(service, "secure", timeout=60)
        finally:
            await service.aclose()

    state = asyncio.run(asyncio.wait_for(scenario(), 120))
    assert state.status == ServerStatus.FAILED, state
    assert state.message == "The sign-in was cancelled."
    assert "authorization_code" not in _grants(grants)
    redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(pages[0]).query)["redirect_uri"][0]
    with pytest.raises(OSError):
        urllib.request.urlopen(redirect + "?code=x&state=y", timeout=5)
