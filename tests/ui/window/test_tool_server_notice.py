"""A tool server that cannot start is said above the conversation, and the notice's button
opens Settings → Tools on it; the tool service is made only when mcp.json exists or
Settings opens (start-up and an idle window are unchanged without servers)."""

from __future__ import annotations

from desktopchat.app import _begin_tools
from desktopchat.system.paths import app_paths
from tests.tools.helpers import write_config


def test_no_tool_service_is_made_without_mcp_json(app):
    app.run(_begin_tools(app.services, app_paths()))
    assert app.services.tools.made is None


def test_a_server_that_cannot_start_is_said_and_opens_settings_on_it(app):
    write_config(app_paths().config, {"gone": {"command": "no-such-program-anywhere"}})
    app.run(_begin_tools(app.services, app_paths()))
    notices = app.window.notices
    app.qtbot.waitUntil(notices.isVisible, timeout=30_000)
    text = notices.label.text()
    assert "gone" in text and "no-such-program-anywhere" in text
    assert notices.action.text() == "Open Settings → Tools"
    notices.action.click()
    dialog = app.window.settings_link.dialog
    app.qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.tabs.currentWidget() is dialog.tools_tab
    assert dialog.tools_tab.selected().name == "gone"
    # Fixed (removed here): the notice goes.
    app.run(app.services.tools().remove_server("gone"))
    app.qtbot.waitUntil(lambda: not notices.isVisible(), timeout=5000)
    dialog.reject()
