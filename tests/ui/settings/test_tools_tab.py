"""Settings → Tools over a real ToolService and the echo server: states shown as plain
text, enable, stderr lines, pasted servers, allow rules revoked."""

from __future__ import annotations

import json

from desktopchat.ui.settings.tools import ToolsTab
from tests.tools.helpers import echo_entry, make_service, write_config


def test_the_tools_tab_shows_servers_and_changes_them(qloop, qtbot, tmp_path, memory_keyring):
    entry = echo_entry(env={"STDERR_AT_START": "<b>hello</b> from stderr"}, disabled=True)
    write_config(tmp_path, {"echo": {**entry, "autoApprove": ["echo"]}, "broken": {}})
    service = make_service(tmp_path, memory_keyring)
    started = qloop.create_task(service.start())
    qtbot.waitUntil(started.done, timeout=10_000)
    tab = ToolsTab(service)
    qtbot.addWidget(tab)
    texts = [tab.servers.item(i).text() for i in range(tab.servers.count())]
    assert texts == ["echo — disabled", "broken — failed"]
    tab.servers.setCurrentRow(1)
    assert "command" in tab.message.text() and not tab.remove.isEnabled()
    tab.servers.setCurrentRow(0)
    assert tab.enable.text() == "&Enable"
    tab.enable.click()
    qtbot.waitUntil(lambda: tab.servers.item(0).text().startswith("echo — running"), timeout=60_000)
    qtbot.waitUntil(lambda: "<b>hello</b> from stderr" in tab.stderr.toPlainText(), timeout=5000)
    assert tab.rules.item(0).text() == "echo · echo — always"
    tab.rules.setCurrentRow(0)
    tab.revoke.click()
    qtbot.waitUntil(lambda: tab.rules.count() == 0, timeout=5000)
    tab.paste.setPlainText(json.dumps({"other": {"command": "not-there-at-all"}}))
    tab.add_pasted.click()
    qtbot.waitUntil(lambda: "Added: other" in tab.report.text(), timeout=5000)
    qtbot.waitUntil(lambda: tab.servers.count() == 3, timeout=5000)
    assert service.is_allowed("echo", "echo", None) is False
    closing = qloop.create_task(service.aclose())
    qtbot.waitUntil(closing.done, timeout=30_000)
    assert closing.exception() is None


def test_the_settings_of_the_window_have_a_tools_tab(app):
    """The window's Settings show the MCP servers (mcp.json), beside keys and servers."""
    app.window.open_settings()
    dialog = app.window.settings_link.dialog
    app.qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.tools_tab is not None
    labels = [dialog.tabs.tabText(index) for index in range(dialog.tabs.count())]
    assert "&Tools" in labels
    dialog.tabs.setCurrentWidget(dialog.tools_tab)
    assert dialog.tools_tab.servers.count() == 0  # none configured in a new home
    dialog.reject()
