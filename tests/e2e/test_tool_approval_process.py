"""The approval of a tool call, as a person does it: the app as a process on its own X
server (Xvfb), typed into and answered with the keyboard through xdotool; a real stdio MCP
server (tests/tools/servers/echo_server.py) from mcp.json, the wire LM Studio asking for
the tool. Checked from outside: what the model is sent back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.system.paths import app_paths
from tests.e2e.test_app_process import RunningApp, app_environment, wait_for
from tests.installed import desktopchat_command
from tests.tools.helpers import echo_entry, write_config
from tests.wire_script import Reply, WireToolCall

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
)
ECHO = WireToolCall("call_a", "echo__echo", '{"text": "héllo"}')
TIMEOUT = 60.0


@pytest.fixture
def display() -> Iterator[str]:
    """A private X server; its display number chosen by Xvfb itself."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


class XApp(RunningApp):
    """The app on the X server `display`, with its windows as a person sees them."""

    def __init__(self, home: Path, display: str) -> None:
        self.home = home
        self.display = display
        self.paths = app_paths({"DESKTOPCHAT_HOME": str(home)})
        env = {**app_environment(home), "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
        self.process = subprocess.Popen(
            desktopchat_command(),
            cwd=home,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def xdotool(self, *args: str) -> str:
        return subprocess.run(
            ["xdotool", *args],
            env={**os.environ, "DISPLAY": self.display},
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout


@pytest.fixture
def home(tmp_path: Path, wire_server) -> Path:
    root = tmp_path / "portable"
    config = app_paths({"DESKTOPCHAT_HOME": str(root)}).config
    config.mkdir(parents=True)
    settings = {
        "version": 1,
        "base_url_overrides": {"lmstudio": wire_server.openai_url},
        "last_provider": "lmstudio",
        "last_model": "wire-large",
        "language": "en",
    }
    (config / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    write_config(config, {"echo": echo_entry()})
    return root


def chat_requests(wire_server) -> list:
    return [r for r in wire_server.requests if r.path.endswith("/chat/completions")]


def test_a_person_allows_a_tool_call_from_the_keyboard(home, display, wire_server):
    app = XApp(home, display)
    try:
        app.wait_shown()
        window = ""

        def found() -> bool:
            nonlocal window
            window = app.xdotool("search", "--onlyvisible", "--name", "DesktopChat").strip()
            return bool(window)

        wait_for(found, "the window on the X server", TIMEOUT)
        window = window.splitlines()[0]
        app.xdotool("windowfocus", "--sync", window)
        # The server starts after the window shows: until it runs, requests carry no tools
        # (the wire server answers them plainly). Ask until one does.
        deadline = time.monotonic() + TIMEOUT
        while not offered_tools(wire_server):
            assert time.monotonic() < deadline, "the echo server's tools were never offered"
            sent = len(chat_requests(wire_server))
            send(app, "Hello")
            wait_for(
                lambda before=sent: len(chat_requests(wire_server)) > before, "a reply", TIMEOUT
            )
            time.sleep(0.5)
        wire_server.replies.extend(
            [Reply(text="Checking.", tool_calls=(ECHO,)), Reply(text="It said héllo.")]
        )
        asked = len(chat_requests(wire_server))
        send(app, "Echo please")
        wait_for(lambda: len(chat_requests(wire_server)) > asked, "the question", TIMEOUT)
        time.sleep(1.5)  # the card takes the keyboard; Enter on it answers nothing
        app.xdotool("key", "Return")
        time.sleep(1.0)
        assert len(chat_requests(wire_server)) == asked + 1, "Enter did not allow the call"
        app.xdotool("key", "alt+o")  # Allow once
        wait_for(lambda: len(chat_requests(wire_server)) == asked + 2, "the result", TIMEOUT)
        sent = json.dumps(chat_requests(wire_server)[-1].body["messages"], ensure_ascii=False)
        assert "call_a" in sent and "héllo" in sent
    finally:
        app.terminate()


def offered_tools(wire_server) -> bool:
    requests = chat_requests(wire_server)
    return bool(requests) and "echo__echo" in json.dumps(requests[-1].body.get("tools"))


def send(app: XApp, text: str) -> None:
    """Type a message in the composer (where the keyboard is) and press Enter."""
    app.xdotool("type", "--delay", "20", text)
    app.xdotool("key", "Return")
