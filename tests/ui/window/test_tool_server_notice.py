"""A tool server that cannot start is said above the conversation, and the notice's button
opens Settings → Tools on it; the tool service is made only when mcp.json exists or
Settings opens (start-up and an idle window are unchanged without servers)."""

from __future__ import annotations

import threading
import urllib.request

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from desktopchat.app.lifetime import _begin_tools
from desktopchat.domain.tools import ServerStatus
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


class _Browser(QObject):
    """Stands in for the person's browser: QDesktopServices hands it the sign-in page; it
    fetches the page in a thread and follows the redirect back to the app's loopback."""

    def __init__(self, follow: bool) -> None:
        super().__init__()
        self.follow = follow
        self.pages: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.pages.append(url.toString())
        if self.follow:
            page = url.toString()
            threading.Thread(
                target=lambda: urllib.request.urlopen(page, timeout=30).read(), daemon=True
            ).start()


@pytest.fixture
def browser():
    made = []

    def make(follow: bool = True) -> _Browser:
        handler = _Browser(follow)
        QDesktopServices.setUrlHandler("http", handler, "open")
        made.append(handler)
        return handler

    yield make
    QDesktopServices.unsetUrlHandler("http")


def test_signing_in_opens_the_browser_and_says_it_waits(app, tmp_path, browser):
    """The window opens the page, says it waits with Cancel; Cancel ends the sign-in."""
    from tests.tools.test_oauth import _serve

    process, url, _ = _serve(tmp_path / "as")
    try:
        waiting = browser(follow=False)
        write_config(app_paths().config, {"secure": {"url": url, "oauth": True}})
        app.run(_begin_tools(app.services, app_paths()))
        notices = app.window.notices
        app.qtbot.waitUntil(lambda: waiting.pages != [], timeout=30_000)
        assert "/authorize?" in waiting.pages[0]
        assert notices.isVisible() and "Waiting for sign-in to secure" in notices.label.text()
        assert notices.action.text() == "Cancel"
        notices.action.click()
        app.qtbot.waitUntil(
            lambda: "The sign-in was cancelled." in notices.label.text(), timeout=30_000
        )

        # Signing in from Settings → Tools: the browser comes back, the server runs.
        signing = browser(follow=True)
        app.window.settings_link.open_tool_server("secure")
        tab = app.window.settings_link.dialog.tools_tab
        assert tab.sign.isVisible() and tab.sign.text() == "Sign &in"
        tab.sign.click()
        tools = app.services.tools()
        app.qtbot.waitUntil(
            lambda: [s.status for s in tools.states()] == [ServerStatus.RUNNING], timeout=60_000
        )
        assert len(signing.pages) == 1
        app.qtbot.waitUntil(lambda: not notices.isVisible(), timeout=5000)
        app.qtbot.waitUntil(lambda: tab.sign.text() == "Sign &out", timeout=5000)
        tab.sign.click()
        app.qtbot.waitUntil(lambda: tools.states()[0].message == "Signed out.", timeout=10_000)
        app.window.settings_link.dialog.reject()
    finally:
        process.terminate()
        process.wait(10)
