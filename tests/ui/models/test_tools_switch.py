"""The tools switch says the truth about the tool servers: with none configured (or every
one turned off) it is off, cannot be flipped and says where to add one, in the composer and
in the side panel; the person's choice is kept meanwhile and counts again once a server is
there."""

from __future__ import annotations

from dataclasses import replace

from desktopchat.app.lifetime import _begin_tools
from desktopchat.system.mcp_config import ServerConfig
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import switches_of

NONE_YET = "No tool servers yet — add one in Settings → Tools"


def test_without_a_tool_server_the_switch_is_off_disabled_and_says_where_to_add_one(app):
    window = app.window
    app.run(_begin_tools(app.services, app_paths()))  # no mcp.json: no service is made
    toggle, box = window.composer.tools_toggle, window.panel.tools
    assert not toggle.isEnabled() and not toggle.isChecked()
    assert toggle.toolTip() == NONE_YET
    assert not box.isEnabled() and not box.isChecked() and box.toolTip() == NONE_YET
    # Another switch flipped meanwhile does not store the tools as chosen off.
    window.composer.web_toggle.click()
    assert switches_of(window.prefs, None)["tools"] is True
    app.send("Hello")
    app.wait_reply_done()
    assert "tools" not in app.server.last_request.body
    assert switches_of(window.prefs, window.conversation_id)["tools"] is True


def test_a_server_added_in_settings_makes_it_a_switch_and_turning_all_off_undoes_it(app):
    window = app.window
    toggle, box = window.composer.tools_toggle, window.panel.tools
    service = app.services.tools()  # as Settings → Tools makes it
    server = ServerConfig(name="gone", command="no-such-program-anywhere")
    app.run(service.save_server(server))
    app.qtbot.waitUntil(toggle.isEnabled, timeout=5000)
    assert toggle.isChecked() and toggle.toolTip() == "Tools: on"
    assert box.isEnabled() and box.isChecked()
    toggle.click()
    assert not box.isChecked() and switches_of(window.prefs, None)["tools"] is False
    toggle.click()
    app.run(service.save_server(replace(server, disabled=True)))
    app.qtbot.waitUntil(lambda: not toggle.isEnabled(), timeout=5000)
    assert not toggle.isChecked() and toggle.toolTip().startswith("Every tool server is turned off")
    assert not box.isEnabled()
    app.run(service.remove_server("gone"))
    assert toggle.toolTip() == NONE_YET
