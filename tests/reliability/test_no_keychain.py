"""R3: no keychain, or one that locks or goes away mid-session.

The app starts and says why keys cannot be saved; Settings explains and keeps a key for the
session only; that key works for chatting; nothing is written to disk, and the next start
has forgotten it. The mid-session cases run against a real Secret Service (GNOME Keyring on
a private D-Bus, started here), which the test locks, then takes away.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

import keyring
import keyring.backends.fail
import pytest

from desktopchat.domain.types import MessageStatus
from desktopchat.system.paths import app_paths
from desktopchat.ui.window.startup import after_window_shown
from tests.reliability.in_window import chat_round, notice_text, settings_dialog, type_key
from tests.reliability.secret_scan import files_under, find_keys
from tests.ui.models.picking import pick

KEY = "sk-proj-R3sessionOnly" + secrets.token_hex(16)


def reply_error(running) -> str:
    error = running.store.messages(running.window.conversation_id)[-1].error
    return error.message if error else ""


def assert_key_sent(running, key: str) -> None:
    chats = [r for r in running.server.requests if r.path.endswith("/chat/completions")]
    assert chats[-1].header("authorization") == f"Bearer {key}"


def test_without_a_keychain_a_key_lives_for_the_session_only(make_app, isolated_home):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    running = make_app(keys={})
    warm_up = after_window_shown(running.window, None, None)
    running.qtbot.waitUntil(warm_up.done, timeout=5000)
    assert "No keychain service was found" in notice_text(running)
    dialog = settings_dialog(running, "openai")
    running.qtbot.waitUntil(lambda: dialog.keys_tab.banner_text() != "", timeout=5000)
    assert "Keys can't be saved in a keychain." in dialog.keys_tab.banner_text()
    assert "forgotten when DesktopChat quits" in dialog.keys_tab.banner_text()

    assert type_key(running, "openai", KEY) == "This session only"
    dialog.accept()
    # With no key at start, the first run picked the local server the wire server stands in
    # for; the person switches to OpenAI now that it has a key.
    pick(running.qtbot, running.window.picker, "wire-large", "openai")
    chat_round(running, "Hello with a session key", "Hello back.")
    assert_key_sent(running, KEY)
    running.window.close()

    again = make_app(keys={})
    again.send("Hello after a restart")
    again.wait_reply_done()
    assert "No API key is set for OpenAI" in reply_error(again)
    assert "No keychain service was found" in reply_error(again)
    assert find_keys([KEY], files_under(isolated_home)) == []


SECRET_SERVICE = "org.freedesktop.secrets"


@dataclass
class SecretService:
    """GNOME Keyring on a D-Bus session bus of its own, for this test only."""

    bus: subprocess.Popen
    daemon: subprocess.Popen

    def lock(self) -> None:
        import secretstorage

        connection = secretstorage.dbus_init()
        try:
            secretstorage.get_default_collection(connection).lock()
        finally:
            connection.close()

    def take_away(self) -> None:
        """The bus goes, and the keyring daemon with it, as when a session's services die."""
        for process in (self.bus, self.daemon):
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def bus_has(name: str) -> bool:
    """Whether a connection owns `name` on the session bus. Asking the service itself
    instead would make the bus start one (D-Bus activation), which then competes with ours
    ("another secret service is running") and has no unlocked collection."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = DBusAddress(
        "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
    )
    connection = open_dbus_connection(bus="SESSION")
    try:
        reply = connection.send_and_get_reply(
            new_method_call(bus, "NameHasOwner", "s", (name,)), timeout=5
        )
    finally:
        connection.close()
    return bool(reply.body[0])


@pytest.fixture
def secret_service(tmp_path, monkeypatch) -> Iterator[SecretService]:
    tools = ("dbus-daemon", "gnome-keyring-daemon")
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed (apt-get install dbus gnome-keyring)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Secret Service tests, but {reason}")
        pytest.skip(reason)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    address = bus.stdout.readline().strip()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    env = dict(
        os.environ, XDG_DATA_HOME=str(tmp_path / "keyring-data"), XDG_RUNTIME_DIR=str(tmp_path)
    )
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    service = SecretService(bus, daemon)
    daemon.stdin.write(secrets.token_hex(16))
    daemon.stdin.close()
    deadline = time.monotonic() + 15
    while not bus_has(SECRET_SERVICE):
        if daemon.poll() is not None or time.monotonic() > deadline:
            service.take_away()
            pytest.fail("GNOME Keyring did not start on the private bus")
        time.sleep(0.02)
    from keyring.backends import SecretService as backend

    keyring.set_keyring(backend.Keyring())
    yield service
    service.take_away()


def test_a_keychain_locked_then_gone_mid_session(make_app, secret_service, isolated_home):
    running = make_app(keys={"openai": KEY})
    chat_round(running, "Hello from the keychain", "Hello.")
    assert_key_sent(running, KEY)

    secret_service.lock()
    running.send("Hello while it is locked")
    running.wait_reply_done()
    assert "The keychain is locked" in reply_error(running)
    assert running.store.messages(running.window.conversation_id)[-1].status is MessageStatus.FAILED
    dialog = settings_dialog(running, "openai")
    running.qtbot.waitUntil(lambda: "locked" in dialog.keys_tab.banner_text(), timeout=5000)
    other_key = KEY[::-1]
    assert type_key(running, "openai", other_key) == "This session only"
    dialog.reject()
    running.server.reply.text = "Answered with the session key."
    running.click_link("Retry")
    running.wait_text("Answered with the session key.")
    running.wait_reply_done()
    assert_key_sent(running, other_key)

    secret_service.take_away()
    chat_round(running, "Hello with no Secret Service at all", "Still answering.")
    assert_key_sent(running, other_key)
    assert find_keys([KEY, other_key], files_under(isolated_home)) == []


def test_a_keychain_gone_before_the_key_is_read_says_so(make_app, secret_service, isolated_home):
    running = make_app(keys={"openai": KEY})
    secret_service.take_away()

    running.send("Hello")
    running.wait_reply_done()
    assert "The keychain could not be used" in reply_error(running)
    assert "Add one in Settings → Keys." in reply_error(running)  # where session keys are
    assert KEY not in running.view_text()
    assert find_keys([KEY], files_under(app_paths().data.parent)) == []
