"""The frozen build (packaging/build) does what needs more than its own modules: its child
processes (formulas, PDF text, the MCP tool host) start from its executable, as there is no
Python in it to run them with, and its keychain library finds the Secret Service.

Run by packaging/test-installed with DESKTOPCHAT_LAUNCHER set to the installed or unpacked
build (the chat on Xvfb and the command line are the process-level tests it runs beside
this one); skipped when no build is named.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat.domain.tools import ServerStatus
from desktopchat.services.sync.target import PASSPHRASE_ACCOUNT
from desktopchat.system.child_python import FROZEN_CHILD_FLAG
from desktopchat.system.paths import app_paths
from tests.attachment_files import pdf
from tests.e2e.test_app_process import RunningApp, wait_for
from tests.installed import LAUNCHER_ENV
from tests.tools.helpers import echo_entry, settled, write_config

LAUNCHER = os.environ.get(LAUNCHER_ENV, "")
pytestmark = pytest.mark.skipif(not LAUNCHER, reason=f"no frozen build named by ${LAUNCHER_ENV}")


def child(module: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """One of the build's own child processes, started as child_python.py starts it."""
    return subprocess.run(
        [LAUNCHER, FROZEN_CHILD_FLAG, module, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_formula_child_draws_svg():
    request = {"source": r"\frac{a}{b}", "display": True, "colour": "#000000", "size": 14}
    done = child("desktopchat.ui.transcript.math_child", stdin=json.dumps(request) + "\n")
    ready, answer = done.stdout.splitlines()
    assert ready == "ready", done.stderr
    assert json.loads(answer)["svg"].startswith("<svg")


def test_the_pdf_child_reads_text(tmp_path):
    document = tmp_path / "two pages.pdf"
    document.write_bytes(pdf(["first page words", "second page words"]))
    done = child("desktopchat.services.pdf_text", str(document), "1000", str(1 << 30), "30")
    answer = json.loads(done.stdout)
    assert answer["pages"] == 2, done.stderr
    assert "first page words" in answer["text"] and "second page words" in answer["text"]


def test_the_flag_runs_only_desktopchat_modules():
    done = child("http.server")
    assert done.returncode != 0
    assert "own modules only" in done.stderr


def test_the_tool_host_child_runs_a_stdio_server(tmp_path, memory_keyring):
    from desktopchat.services.tools import ToolService
    from desktopchat.system.keys import KeyStore
    from desktopchat.tools.remote import RemoteToolHost

    write_config(tmp_path, {"echo": echo_entry()})
    argv = [LAUNCHER, FROZEN_CHILD_FLAG, "desktopchat.tools.child", "--path", os.environ["PATH"]]

    async def scenario() -> None:
        service = ToolService(
            tmp_path,
            KeyStore(memory_keyring),
            host_factory=lambda on_change, on_event: RemoteToolHost(
                on_change, argv, dict(os.environ), on_event
            ),
        )
        try:
            await service.start()
            state = await settled(service, "echo")
            assert state.status == ServerStatus.RUNNING, state
            said = await service.call_tool("echo", "echo", {"text": "from the build"})
            assert said.parts[0].text == "from the build"
        finally:
            await service.aclose()

    asyncio.run(asyncio.wait_for(scenario(), 120))


def test_the_window_starts_the_tool_host_which_starts_a_server(tmp_path):
    """The chain as the app runs it: the frozen window starts the frozen tool host, which
    starts the person's MCP server with the person's LD_LIBRARY_PATH, not the bundle's."""
    home = tmp_path / "home"
    config = app_paths({"DESKTOPCHAT_HOME": str(home)}).config
    marker = tmp_path / "server started"
    server = "import os, sys, time; open(sys.argv[1], 'w').write(repr(dict(os.environ))); " \
        "time.sleep(60)"  # fmt: skip
    write_config(
        config, {"marker": {"command": sys.executable, "args": ["-c", server, str(marker)]}}
    )
    app = RunningApp(home)
    try:
        app.wait_shown()
        wait_for(lambda: marker.exists() and marker.read_text(), "the MCP server started")
    finally:
        code, stderr = app.terminate()
    assert code == 0, stderr
    assert "_internal" not in marker.read_text()


@pytest.mark.keychain
def test_the_build_reads_the_keychain(tmp_path):
    """`desktopchat sync` with no passphrase in its environment and no terminal finds the
    one kept in the Secret Service (packaging/test-installed runs in a D-Bus session with
    an unlocked GNOME Keyring, as .ci/run does); without the keychain backend in the build
    it could only fail."""
    from desktopchat.system.keys import KeySource, KeyStore

    keys = KeyStore()
    kept = asyncio.run(keys.aset(PASSPHRASE_ACCOUNT, "a passphrase kept in the keychain"))
    assert kept is KeySource.KEYCHAIN, "the test's own keychain must work first"
    try:
        home = tmp_path / "home"
        folder = tmp_path / "sync"
        folder.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTOPCHAT_SYNC")}
        done = subprocess.run(
            [LAUNCHER, "sync", "--folder", str(folder)],
            env={**env, "DESKTOPCHAT_HOME": str(home)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "synced with" in done.stdout
        assert any(Path(folder).iterdir()), "the sync folder holds the sealed history"
    finally:
        asyncio.run(keys.adelete(PASSPHRASE_ACCOUNT))
