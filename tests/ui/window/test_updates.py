"""Update notices, opt-in, against a recording loopback feed: asked once at the first start,
no request at all unless the person said yes, at most one a day, and a hostile feed shown as
plain text or not at all."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from desktopchat import __version__
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import SettingsStore
from desktopchat.ui.window.startup import after_window_shown
from tests.feed_server import FeedServer, feed_server

NEWER = json.dumps(
    {
        "version": "99.0.0",
        "date": "2026-12-01",
        "notes": "<b>Bold?</b> Faster start.",
        "downloads": {
            "linux": "https://example.org/dl",
            "windows": "https://example.org/dl",
            "macos": "https://example.org/dl",
        },
    }
).encode()


@pytest.fixture
def feed():
    with feed_server() as server:
        server.body = NEWER
        yield server


def started(make_app, feed: FeedServer, **prefs):
    app = make_app(update_feed=feed.url, **prefs)
    warm_up = after_window_shown(app.window, None, None)
    app.qtbot.waitUntil(warm_up.done, timeout=10_000)
    return app


def notice(app) -> QLabel:
    return app.window.findChild(QLabel, "noticeText")


def test_the_first_start_asks_and_yes_checks_once(make_app, feed):
    app = started(make_app, feed, update_checks=None)
    assert notice(app).isVisible() and "check once a day" in notice(app).text()
    assert feed.requests == []  # asking reads nothing
    yes = app.window.notices.findChild(QPushButton, "noticeAction")
    app.qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    app.qtbot.waitUntil(lambda: "99.0.0" in notice(app).text(), timeout=10_000)
    assert len(feed.requests) == 1
    assert f"(you have {__version__})" in notice(app).text()
    assert notice(app).textFormat() == Qt.TextFormat.PlainText
    assert "<b>Bold?</b>" in notice(app).text()
    assert app.window.prefs.update_checks is True
    assert time.time() - app.window.prefs.update_last_check < 60
    app.window.place.save_at_quit()
    app.qtbot.waitUntil(
        lambda: SettingsStore(app_paths().settings_file).load().update_checks is True,
        timeout=5000,
    )


def test_no_thanks_is_remembered_and_reads_nothing(make_app, feed):
    app = started(make_app, feed, update_checks=None)
    no = app.window.notices.findChild(QPushButton, "noticeOtherAction")
    app.qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert not app.window.notices.isVisible()
    assert app.window.prefs.update_checks is False
    again = after_window_shown(app.window, None, None)
    app.qtbot.waitUntil(again.done, timeout=10_000)
    assert feed.requests == []


def test_off_makes_no_request(make_app, feed):
    app = started(make_app, feed, update_checks=False)
    assert feed.requests == []
    assert not notice(app).isVisible()


def test_on_checks_at_most_once_a_day(make_app, feed):
    app = started(make_app, feed, update_checks=True, update_last_check=time.time() - 3600)
    assert feed.requests == []
    app.window.prefs.update_last_check = time.time() - 25 * 3600
    again = after_window_shown(app.window, None, None)
    app.qtbot.waitUntil(again.done, timeout=10_000)
    assert len(feed.requests) == 1 and "99.0.0" in notice(app).text()


@pytest.mark.parametrize(
    "body",
    [
        b"{" * 200_000,  # huge and not JSON
        b"<html>not json</html>",
        json.dumps({"version": __version__, "notes": "the same version"}).encode(),
    ],
)
def test_a_useless_feed_shows_nothing_and_breaks_nothing(make_app, feed, body):
    feed.body = body
    app = started(make_app, feed, update_checks=True)
    assert len(feed.requests) == 1
    assert not notice(app).isVisible()
    assert app.window.isVisible()
