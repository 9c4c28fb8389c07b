"""The first minutes: the welcome panel on a first run, a local server found by itself, and
the problems found while starting said once above the conversation."""

from __future__ import annotations

import socket
from pathlib import Path

import keyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from desktopchat.domain.types import MessageStatus
from desktopchat.storage.db import StorageProblem
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import SettingsStore
from desktopchat.ui.window import local_servers
from desktopchat.ui.window.local_servers import PROBE_INTERVAL_MS
from desktopchat.ui.window.startup import after_window_shown
from tests.keyring_memory import FailingKeyring
from tests.wire_server import WireServer


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def first_run(make_app, **prefs_changes):
    return make_app(keys={}, last_provider=None, last_model=None, **prefs_changes)


def warm_up(app) -> None:
    task = after_window_shown(app.window, None, None)
    app.qtbot.waitUntil(task.done, timeout=5000)
    assert task.exception() is None


def test_first_run_shows_the_welcome_panel(make_app):
    app = first_run(make_app)
    assert app.window.welcome.isVisible()
    assert app.sidebar_titles() == []
    assert app.window.picker.provider_id() == "openai"


def test_first_run_finds_a_local_server_and_chats_with_it(make_app):
    app = first_run(make_app)
    warm_up(app)

    bar = app.window.picker
    app.qtbot.waitUntil(lambda: bar.provider_id() == "lmstudio", timeout=5000)
    assert [m.id for m in bar.models().models] == [
        "wire-large",
        "wire-small",
    ]
    assert bar.current_model_id() == "wire-large"
    assert not app.window.welcome.isVisible()
    assert app.window.notices.label.text() == (
        "Found LM Studio on this computer: 2 models available. It is selected."
    )
    assert not app.window.local_servers.watching
    models_requests = [r for r in app.server.requests if r.path == "/v1/models"]
    assert models_requests and models_requests[-1].header("authorization") == "Bearer lm-studio"

    app.send("Hello local model")
    app.wait_text("Hello from the wire server.")
    app.wait_reply_done()
    conversation = app.store.get_conversation(app.window.conversation_id)
    assert (conversation.provider, conversation.model) == ("lmstudio", "wire-large")
    assert app.store.messages(conversation.id)[-1].status is MessageStatus.COMPLETE


def test_without_a_local_server_the_welcome_stays(make_app):
    closed = closed_port_url()
    app = first_run(make_app, base_url_overrides={"lmstudio": closed, "ollama": closed})
    warm_up(app)
    assert app.window.welcome.isVisible()
    assert app.window.picker.provider_id() == "openai"


def test_a_server_started_after_the_window_is_found(make_app, monkeypatch):
    """The welcome page looks again every few seconds: LM Studio started a while after
    DesktopChat is found and selected without anything clicked. (The few seconds are made
    half a second here: what is tested is that it looks again, not how often.)"""
    monkeypatch.setattr(local_servers, "PROBE_INTERVAL_MS", 500)
    port_url = closed_port_url()
    port = int(port_url.rsplit(":", 1)[1].split("/")[0])
    overrides = {"lmstudio": port_url, "ollama": closed_port_url()}
    app = first_run(make_app, base_url_overrides=overrides)
    warm_up(app)
    assert app.window.local_servers.watching
    assert app.window.welcome.isVisible()
    late = WireServer(port).start()
    try:
        bar = app.window.picker
        app.qtbot.waitUntil(lambda: bar.provider_id() == "lmstudio", timeout=3 * PROBE_INTERVAL_MS)
        assert bar.current_model_id() == "wire-large"
        assert not app.window.welcome.isVisible()
        assert not app.window.local_servers.watching
        assert "Found LM Studio" in app.window.notices.label.text()
    finally:
        late.stop()


def test_look_again_looks_at_once(make_app):
    port_url = closed_port_url()
    port = int(port_url.rsplit(":", 1)[1].split("/")[0])
    overrides = {"lmstudio": port_url, "ollama": closed_port_url()}
    app = first_run(make_app, base_url_overrides=overrides)
    warm_up(app)
    app.window.local_servers.stop()  # only the button looks now
    late = WireServer(port).start()
    try:
        assert app.window.welcome.look_again.isEnabled()
        app.qtbot.mouseClick(app.window.welcome.look_again, Qt.MouseButton.LeftButton)
        app.qtbot.waitUntil(lambda: app.window.picker.provider_id() == "lmstudio")
        assert not app.window.local_servers.watching
    finally:
        late.stop()


def test_looking_stops_when_the_welcome_goes(make_app):
    closed = closed_port_url()
    app = make_app(keys={}, base_url_overrides={"lmstudio": closed, "ollama": closed})
    warm_up(app)
    assert app.window.local_servers.watching
    app.send("Hello")
    app.wait_reply_done()
    assert not app.window.welcome.isVisible()
    assert not app.window.local_servers.watching


def test_the_welcome_goes_once_there_is_history(make_app):
    app = make_app(keys={})
    assert app.window.welcome.isVisible()
    app.send("Hello")
    app.wait_reply_done()
    assert "No API key is set for OpenAI" in app.view_text()
    assert not app.window.welcome.isVisible()
    app.window.findChild(QPushButton, "newChatButton").click()
    assert not app.window.welcome.isVisible()


def test_no_welcome_with_a_key(app):
    assert not app.window.welcome.isVisible()


def test_the_welcome_button_opens_settings(make_app):
    app = first_run(make_app)
    app.window.findChild(QPushButton, "welcomeSettingsButton").click()
    dialog = app.window.findChild(QDialog, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def notice_text(app) -> str:
    label = app.window.findChild(QLabel, "noticeText")
    return label.text() if label.isVisible() else ""


def test_a_damaged_history_is_said_with_where_the_file_went(app, tmp_path):
    moved = tmp_path / "history.db.corrupt-20260101-120000"
    problem = StorageProblem("corrupt", "file is not a database", moved_to=Path(moved))
    warm_up = after_window_shown(app.window, problem, None)
    app.qtbot.waitUntil(warm_up.done, timeout=5000)
    text = notice_text(app)
    assert "Your history could not be opened (the file is damaged): file is not a database" in text
    assert str(moved) in text
    assert app.window.notices.property("error") is True


def test_repaired_settings_are_said(app):
    warm_up = after_window_shown(
        app.window, None, "Some settings were unreadable and were reset: theme."
    )
    app.qtbot.waitUntil(warm_up.done, timeout=5000)
    assert notice_text(app) == "Some settings were unreadable and were reset: theme."


def test_a_keychain_that_cannot_be_used_is_said(make_app):
    keyring.set_keyring(FailingKeyring())
    app = make_app(keys={})
    warm_up = after_window_shown(app.window, None, None)
    app.qtbot.waitUntil(warm_up.done, timeout=5000)
    assert app.window.keys.unavailable_reason
    assert notice_text(app) == app.window.keys.unavailable_reason


def test_nothing_to_say_shows_no_notice(app):
    warm_up = after_window_shown(app.window, None, None)
    app.qtbot.waitUntil(warm_up.done, timeout=5000)
    assert notice_text(app) == ""


def test_the_sdk_is_warmed_up_from_the_first_key_pressed(app, monkeypatch):
    """Idle after start, the SDK is not imported (P6); the first key starts it, once."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from desktopchat.ui.window import startup

    warmed: list[str] = []

    async def record(sdk: str) -> None:
        warmed.append(sdk)

    monkeypatch.setattr(startup, "import_sdk", record)
    warm_up(app)
    assert warmed == []

    QTest.keyClick(app.window.composer, Qt.Key.Key_H)
    QTest.keyClick(app.window.composer, Qt.Key.Key_I)
    app.qtbot.waitUntil(lambda: warmed != [], timeout=5000)
    assert warmed == [app.window.picker.preset().sdk]


def test_session_keys_lost_at_quit_are_named_at_the_next_start(make_app):
    """No keychain: a key saved in Settings is kept for the session. At the next start the
    app says which keys are gone (once), and its notice about the keychain can be told not
    to come back, which the preferences remember."""
    keyring.set_keyring(FailingKeyring())
    first = make_app(keys={})
    warm_up(first)
    first.window.open_settings()
    dialog = first.window.findChild(QDialog, "settingsDialog")
    row = dialog.keys_tab.row("anthropic")
    first.qtbot.waitUntil(lambda: row.source is not None, timeout=5000)
    first.qtbot.keyClicks(row.field, "sk-ant-0123456789abcdef")
    with first.qtbot.waitSignal(dialog.keys_changed):
        row.save_button.click()
    assert row.source_label.text() == "This session only"
    dialog.reject()
    settings = SettingsStore(app_paths().settings_file)
    first.qtbot.waitUntil(lambda: settings.load().key_places == {"anthropic": "session"})
    first.quit()

    second = make_app(keys={}, key_places=settings.load().key_places)
    warm_up(second)
    text = notice_text(second)
    assert (
        "Keys kept for this session only were forgotten when DesktopChat quit: Anthropic." in text
    )
    assert text.startswith("The keychain is locked")
    action = second.window.notices.action
    assert action.isVisible() and action.text() == "Don't show again"
    action.click()
    assert not second.window.notices.isVisible()
    second.window.place.save_at_quit()  # written in a worker
    second.qtbot.waitUntil(
        lambda: (
            settings.load().keychain_notice is False
            and settings.load().key_places == {"anthropic": "lost"}
        )
    )
    saved = settings.load()
    second.quit()

    third = make_app(keys={}, key_places=saved.key_places, keychain_notice=False)
    warm_up(third)
    said = notice_text(third)  # a local server found may be said; not these two again:
    assert "keychain" not in said and "forgotten" not in said
