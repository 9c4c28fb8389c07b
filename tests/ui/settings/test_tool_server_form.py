"""Settings → Tools → Add… / Edit… over a real ToolService, the echo server and the
in-memory keychain: the form's checks, secrets kept out of mcp.json and the log, kept on
edit unless retyped, and the server restarted with what was saved."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt

from desktopchat.domain.tools import ServerStatus
from desktopchat.system.mcp_config import SECRET, secret_account
from desktopchat.ui.settings.tools import ToolsTab
from tests.tools.helpers import ECHO, echo_entry, make_service, write_config


def _tab(qloop, qtbot, tmp_path, keyring, servers):
    write_config(tmp_path, servers)
    service = make_service(tmp_path, keyring)
    started = qloop.create_task(service.start())
    qtbot.waitUntil(started.done, timeout=10_000)
    tab = ToolsTab(service)
    qtbot.addWidget(tab)
    return service, tab


def _close(qloop, qtbot, service):
    closing = qloop.create_task(service.aclose())
    qtbot.waitUntil(closing.done, timeout=30_000)


def test_a_program_server_is_added_checked_and_its_secret_kept_out_of_the_file(
    qloop, qtbot, tmp_path, memory_keyring, caplog
):
    caplog.set_level(logging.DEBUG, logger="desktopchat")  # as the app logs, at most
    service, tab = _tab(qloop, qtbot, tmp_path, memory_keyring, {"echo": echo_entry(disabled=True)})
    tab.add.click()
    form = tab.form
    qtbot.waitUntil(form.isVisible, timeout=5000)
    save = form.buttons.button(form.buttons.StandardButton.Save)
    save.click()
    assert form.problem.text() == "Give the server a name." and form.focusWidget() is form.name
    form.name.setText("echo")
    save.click()
    assert form.problem.text() == "There is already a server named echo."
    form.name.setText("mine")
    save.click()
    assert form.problem.text() == "Say which program starts the server."
    assert form.focusWidget() is form.command
    form.command.setText(sys.executable)
    form.arguments.setPlainText(ECHO)
    row = form.env.add_row("GREETING", "hello")
    secret_row = form.env.add_row("PLAIN_NAME", "s3cret-value", secret=True)
    assert secret_row.value.echoMode() == secret_row.value.EchoMode.Password
    assert row.value.echoMode() == row.value.EchoMode.Normal
    form.env.add_row("1bad", "x")
    save.click()
    assert "1bad" in form.problem.text()
    form.env.rows[-1].remove.click()
    with qtbot.waitSignal(form.accepted, timeout=10_000):
        save.click()
    qtbot.waitUntil(
        lambda: any(
            s.name == "mine" and s.status == ServerStatus.RUNNING for s in service.states()
        ),
        timeout=60_000,
    )
    assert tab.selected().name == "mine"
    text = (tmp_path / "mcp.json").read_text()
    assert "s3cret-value" not in text and "hello" in text
    assert service.config.server("mine").env == {"GREETING": "hello", "PLAIN_NAME": SECRET}
    kept = {account: value for (_, account), value in memory_keyring.passwords.items()}
    assert kept[secret_account("mine", "env", "PLAIN_NAME")] == "s3cret-value"
    called = qloop.create_task(service.call_tool("mine", "getenv", {"name": "PLAIN_NAME"}))
    qtbot.waitUntil(called.done, timeout=30_000)
    assert called.result().parts[0].text == "s3cret-value"
    assert "s3cret-value" not in caplog.text

    # Edit: the secret shows as kept, is kept when left empty, and the server restarts.
    tab.choose("mine")
    tab.edit.click()
    form = tab.form
    qtbot.waitUntil(form.isVisible, timeout=5000)
    assert form.name.isReadOnly() and form.command.text() == sys.executable
    kept = next(r for r in form.env.rows if r.name.text() == "PLAIN_NAME")
    assert kept.value.text() == "" and "keychain" in kept.value.placeholderText()
    next(r for r in form.env.rows if r.name.text() == "GREETING").value.setText("bonjour")
    with qtbot.waitSignal(form.accepted, timeout=10_000):
        form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(
        lambda: any(
            s.name == "mine" and s.status == ServerStatus.RUNNING for s in service.states()
        ),
        timeout=60_000,
    )
    for name, value in (("GREETING", "bonjour"), ("PLAIN_NAME", "s3cret-value")):
        called = qloop.create_task(service.call_tool("mine", "getenv", {"name": name}))
        qtbot.waitUntil(called.done, timeout=30_000)
        assert called.result().parts[0].text == value
    _close(qloop, qtbot, service)


def test_a_remote_server_needs_a_usable_address_and_its_headers_are_secret(
    qloop, qtbot, tmp_path, memory_keyring
):
    service, tab = _tab(qloop, qtbot, tmp_path, memory_keyring, {})
    tab.add.click()
    form = tab.form
    qtbot.waitUntil(form.isVisible, timeout=5000)
    form.name.setText("web")
    qtbot.mouseClick(form.remote, Qt.MouseButton.LeftButton)
    assert form.pages.currentIndex() == 1
    form.url.setText("example.com/mcp")
    form.buttons.button(form.buttons.StandardButton.Save).click()
    assert "https://" in form.problem.text() and form.focusWidget() is form.url
    form.url.setText("http://127.0.0.1:9/mcp")
    header = form.headers.add_row("Authorization", "Bearer hdr-s3cret")
    assert not header.secret.isVisible() and header.secret.isChecked()
    form.oauth.setChecked(True)
    with qtbot.waitSignal(form.accepted, timeout=10_000):
        form.buttons.button(form.buttons.StandardButton.Save).click()
    text = (tmp_path / "mcp.json").read_text()
    assert "hdr-s3cret" not in text and '"oauth": true' in text
    assert service.config.server("web").headers == {"Authorization": SECRET}
    _close(qloop, qtbot, service)
