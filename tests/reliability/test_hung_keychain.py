"""R3 and P9: a keychain that never answers, or answers after a second, at start-up.

Keyring waits on D-Bus with no timeout, so a stuck Secret Service used to freeze the app for
good at start (the window mapped, never painted, and ignored Ctrl+Q). Here start-up runs in
app.run()'s order (build_services, show, after_window_shown) with a test backend that hangs
or is slow, and the window must keep answering: the bound checked is a loop stall below
STALL_LIMIT (the keychain's own stalls are 1 s or forever, so any of them shows), and quitting
within QUIT_LIMIT. The real process gets the hanging backend through PYTHON_KEYRING_BACKEND.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import keyring
import pytest

from desktopchat.app.assembly import build_services
from desktopchat.app.lifetime import shut_down
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import SettingsStore
from desktopchat.ui.window.main_window import MainWindow
from desktopchat.ui.window.startup import after_window_shown
from tests.bench.window_harness import LagProbe
from tests.keyring_memory import HungKeyring, SlowKeyring
from tests.reliability.desktop_process import wait_for
from tests.reliability.in_window import notice_text
from tests.ui.conftest import TEST_KEY, App, wire_preferences

STALL_LIMIT_MS = 500
QUIT_LIMIT_S = 5.0


def reply_error(running) -> str:
    """The last reply's error, in English; empty if it has none."""
    error = running.store.messages(running.window.conversation_id)[-1].error
    return error.message if error else ""


@pytest.fixture
def backends():
    """The keychain backends a test hung or slowed, released only once the test's loop is
    closed (this fixture is set up before qloop, so torn down after it): a call that
    returns then has nobody waiting and must not reach the closed loop."""
    made: list = []
    yield made
    for backend in made:
        backend.release.set()


@pytest.fixture
def started(backends, qtbot, qloop, wire_server):
    """Start the app in app.run()'s order on the keychain given, with a loop-lag probe
    running from before the services are built; closes the window after."""
    made: list[App] = []

    def start(backend) -> tuple[App, LagProbe]:
        keyring.set_keyring(backend)
        backends.append(backend)
        probe = LagProbe()
        probe.start()
        paths = app_paths()
        paths.ensure()
        settings = SettingsStore(paths.settings_file)
        services, problem = build_services(paths, settings, wire_preferences(wire_server))
        window = MainWindow(services)
        window.show()
        after_window_shown(window, problem, settings.problem)
        running = App(qtbot, window, services, wire_server)
        made.append(running)
        return running, probe

    yield start
    for running in made:
        running.window.close()


def quit_seconds(running: App) -> float:
    """Close the window as Ctrl+Q does and shut down in app.run()'s order."""
    began = time.perf_counter()
    running.window.close()
    running.run(shut_down(running.services), timeout=int(QUIT_LIMIT_S * 1000))
    return time.perf_counter() - began


def test_a_keychain_that_never_answers_leaves_the_app_usable(started):
    running, probe = started(HungKeyring())

    running.qtbot.waitUntil(lambda: "not answering" in notice_text(running), timeout=10_000)
    running.send("Hello while the keychain is stuck")
    running.wait_reply_done(timeout=5000)
    error = reply_error(running)
    stall = max(probe.stop().lateness_ms)
    seconds = quit_seconds(running)

    print(f"hung keychain: longest loop stall {stall:.0f} ms, quit in {seconds * 1000:.0f} ms")
    assert "No API key is set for OpenAI" in error and "not answering" in error
    assert stall < STALL_LIMIT_MS
    assert seconds < QUIT_LIMIT_S


def test_a_slow_keychain_is_waited_for_without_stalling(started):
    slow = SlowKeyring()
    slow.passwords[("desktopchat", "openai")] = TEST_KEY
    running, probe = started(slow)

    running.send("Hello through a slow keychain")
    running.wait_text("Hello from the wire server.", timeout=15_000)
    running.wait_reply_done()
    stall = max(probe.stop().lateness_ms)

    print(f"slow keychain: longest loop stall {stall:.0f} ms")
    assert notice_text(running) == ""
    assert stall < STALL_LIMIT_MS
    assert quit_seconds(running) < QUIT_LIMIT_S


def test_a_key_stored_with_an_accent_fails_the_send_with_a_clear_message(started):
    memory = SlowKeyring()
    memory.delay = 0
    memory.passwords[("desktopchat", "openai")] = "sk-cl\u00e9-from-an-older-version"
    running, _probe = started(memory)

    running.send("Hello with a damaged key")
    running.wait_reply_done(timeout=5000)

    error = reply_error(running)
    assert "The OpenAI key was refused" in error
    assert "(U+00E9, latin small letter e with acute) at position 6" in error
    assert not [r for r in running.server.requests if r.path.endswith("/chat/completions")]


def distinct_colours(display: str, window: str) -> int:
    """How many colours the window shows, grabbed from the X server by a small Qt process
    (a window that maps but never paints is one flat colour)."""
    script = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "image = app.primaryScreen().grabWindow(int(sys.argv[1])).toImage()\n"
        "step = max(1, image.width() // 200)\n"
        "seen = {image.pixel(x, y) for x in range(0, image.width(), step)"
        " for y in range(0, image.height(), step)}\n"
        "print(len(seen))\n"
    )
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    done = subprocess.run(
        [sys.executable, "-c", script, window],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(done.stdout.strip())


def test_the_real_app_paints_and_quits_at_once_with_a_hung_keychain(desktop, tmp_path):
    app = desktop(tmp_path / "home", PYTHON_KEYRING_BACKEND="tests.keyring_memory.HungKeyring")
    window = app.wait_window()
    wait_for(lambda: distinct_colours(app.display, window) > 8, "the window to paint", 30)
    time.sleep(1)  # well inside the keychain's first 5 s: the probe is still hanging

    began = time.monotonic()
    code = app.quit()
    seconds = time.monotonic() - began

    print(f"real process, hung keychain: quit {seconds * 1000:.0f} ms after Ctrl+Q")
    assert code == 0
    assert seconds < QUIT_LIMIT_S
