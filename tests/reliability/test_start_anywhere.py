"""The app starts anywhere, and nothing stops it or fails silently (issue 8).

- A data folder that is read-only (a portable install on a write-protected stick) or cannot
  be created: the real app's window maps, says why, runs (history in memory, log on stderr)
  and quits with 0.
- A settings file of any damage (100,000 `[`, a lone surrogate in an endpoint name) never
  stops start-up, is moved aside and said; settings that cannot be saved never stop Ctrl+Q
  or SIGTERM.
- The folders are 0700 and the files the app writes 0600, whatever the umask.
- A bug in a slot shows the "Something went wrong" box (kept alive) and is logged with keys
  redacted.

Bounds: a window must appear within desktop_process.START_TIMEOUT (30 s) and the process end
within the same after Ctrl+Q or SIGTERM; these only catch a hang, they time nothing.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from desktopchat.app.lifetime import run
from desktopchat.app.start import BUG_BOX, install_excepthook
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import SettingsStore
from desktopchat.ui.window.main_window import MainWindow
from desktopchat.ui.window.start_notice import start_notice
from desktopchat.ui.window.startup import after_window_shown
from tests.reliability.desktop_process import START_TIMEOUT, write_settings
from tests.reliability.in_window import notice_text

KEY = "sk-proj-startAnywhere0123456789abcdef"


@pytest.fixture
def read_only() -> Iterator[Callable[[Path], None]]:
    """Make a folder read-only for this process for real: chmod, or as root (whom modes do
    not stop) the immutable attribute. Undone at the end so the folder can be removed."""
    undo: list[Callable[[], object]] = []

    def make(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
            undo.append(lambda: folder.chmod(0o755))
            return
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: no way to make a folder read-only")
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"running as root and chattr +i is refused: {done.stderr!r}")
        undo.append(lambda: subprocess.run(["chattr", "-i", str(folder)], check=True))

    yield make
    for action in reversed(undo):
        action()


def _terminate(app) -> int:
    app.process.send_signal(signal.SIGTERM)
    try:
        return app.process.wait(timeout=START_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the app ignored SIGTERM:\n{app.output()}")


# A data folder that cannot be written --------------------------------------------------------


def test_read_only_home_gives_a_window_that_says_why_and_quits(desktop, tmp_path, read_only):
    """Checks: DESKTOPCHAT_HOME read-only and empty (a write-protected stick): the window
    maps, the start-up notice names the folder and says conversations are not kept, the
    log went to stderr, Ctrl+Q exits 0 and nothing was written under the folder."""
    home = tmp_path / "stick"
    home.mkdir()
    read_only(home)

    app = desktop(home)
    app.wait_window()

    output = app.output()
    assert f"start-up notice: DesktopChat cannot write to {home}" in output
    assert "kept in memory only" in output
    assert "logging to stderr" in output
    assert app.quit() == 0
    assert list(home.iterdir()) == []


def test_a_home_that_cannot_be_created_still_gives_a_window(desktop, tmp_path):
    """Checks: DESKTOPCHAT_HOME below a regular file (it can never be created): the window
    maps, the notice says why, and SIGTERM ends the app with 0."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")

    app = desktop(blocker / "home")
    app.wait_window()

    assert "start-up notice: DesktopChat cannot write to" in app.output()
    assert _terminate(app) == 0


def test_the_notice_is_shown_above_the_conversation(start_window, read_only):
    """Checks in the window itself what the real-process tests read in the log: the notice
    for a read-only data folder is on screen, and the history runs in memory."""
    paths = app_paths()
    paths.ensure()
    read_only(paths.data)
    running, problem = start_window()

    notice = start_notice(paths, paths.ensure(), None)
    after_window_shown(running.window, None, notice)

    shown = notice_text(running)
    assert f"DesktopChat cannot write to {paths.data}" in shown
    assert "kept in memory only" in shown
    assert problem is not None and problem.kind == "read_only"  # the history is in memory


# Settings that once stopped the app ----------------------------------------------------------


def test_deeply_nested_settings_are_moved_aside_and_said(desktop, tmp_path):
    """Checks: settings.json of 100,000 `[` (RecursionError in json) no longer stops the
    app: the window maps, the notice says the file was kept aside, and it was."""
    home = tmp_path / "home"
    settings = app_paths({"DESKTOPCHAT_HOME": str(home)}).settings_file
    settings.parent.mkdir(parents=True)
    settings.write_text("[" * 100_000)

    app = desktop(home)
    app.wait_window()

    [aside] = settings.parent.glob("settings.json.bad-*")
    logged = app.paths.log_file.read_text()
    said = (
        "start-up notice: The settings file is nested too deeply to read; defaults are used."
        f" The damaged file was kept as {aside}."
    )
    assert said in logged
    assert aside.read_text() == "[" * 100_000
    assert app.quit() == 0


@pytest.mark.parametrize("how", ["ctrl+q", "sigterm"])
def test_a_lone_surrogate_in_an_endpoint_name_never_stops_quitting(desktop, tmp_path, how):
    """Checks: an endpoint named with a `\\udcff` escape (once: every save failed, so Ctrl+Q
    and SIGTERM were ignored): the app quits with 0 both ways and saves the name repaired."""
    home = tmp_path / "home"
    write_settings(home)
    settings = app_paths({"DESKTOPCHAT_HOME": str(home)}).settings_file
    settings.write_text(
        '{"version": 1, "custom_endpoints": '
        '[{"id": "custom-cafe", "name": "Caf\\udcff", "base_url": "http://127.0.0.1:9/v1"}]}'
    )

    app = desktop(home)
    app.wait_window()

    assert (app.quit() if how == "ctrl+q" else _terminate(app)) == 0
    saved = json.loads(settings.read_text(encoding="utf-8"))
    assert saved["custom_endpoints"][0]["name"] == "Caf\ufffd"


@pytest.mark.parametrize("how", ["ctrl+q", "sigterm"])
def test_settings_that_cannot_be_saved_never_stop_quitting(desktop, tmp_path, read_only, how):
    """Checks: a config folder that became read-only while the app ran (the layout cannot
    be saved on the way out): Ctrl+Q and SIGTERM still end the app with 0, and the failure
    is logged."""
    home = tmp_path / "home"
    write_settings(home, theme="dark")
    paths = app_paths({"DESKTOPCHAT_HOME": str(home)})

    app = desktop(home)
    app.wait_window()
    read_only(paths.config)

    assert (app.quit() if how == "ctrl+q" else _terminate(app)) == 0
    assert "could not save the window layout" in paths.log_file.read_text()


# Private files --------------------------------------------------------------------------------


def test_folders_are_owner_only_and_files_0600_whatever_the_umask(desktop, tmp_path):
    """Checks: with umask 000 and folders left 0755 by an older version, after a run every
    folder is 0700 and settings.json and the log are 0600."""
    home = tmp_path / "home"
    paths = app_paths({"DESKTOPCHAT_HOME": str(home)})
    for folder in (paths.data, paths.config, paths.cache, paths.logs):
        folder.mkdir(parents=True, mode=0o755)
        folder.chmod(0o755)
    paths.log_file.write_text("an older log\n")
    paths.log_file.chmod(0o644)

    old_umask = os.umask(0)
    try:
        app = desktop(home)
    finally:
        os.umask(old_umask)
    app.wait_window()
    assert app.quit() == 0

    for folder in (paths.data, paths.config, paths.cache, paths.logs):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in (paths.settings_file, paths.log_file):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


# Bugs are shown, once ------------------------------------------------------------------------


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_shows_the_box_and_logs_it_without_keys(qtbot, caplog, monkeypatch):
    """Checks: an exception raised in a slot reaches the excepthook, which logs its
    traceback with the key redacted and opens a box that survives garbage collection."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_excepthook()
    button = QPushButton()
    qtbot.addWidget(button)

    def broken_slot() -> None:
        raise RuntimeError(f"the service echoed {KEY}")

    button.clicked.connect(broken_slot)
    app = QApplication.instance()
    try:
        with caplog.at_level(logging.ERROR, logger="desktopchat"):
            button.click()
        gc.collect()

        def bug_box() -> QMessageBox | None:
            return next(
                (
                    w
                    for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.objectName() == "bugBox"
                ),
                None,
            )

        qtbot.waitUntil(lambda: bug_box() is not None and bug_box().isVisible())
        box = bug_box()
        assert box.windowTitle() == "Something went wrong"
        assert "RuntimeError" in box.detailedText() and "broken_slot" in box.detailedText()
        assert "RuntimeError" in caplog.text and "broken_slot" in caplog.text
        assert KEY not in caplog.text and KEY not in box.detailedText()
        assert "[key hidden]" in caplog.text
    finally:
        box = getattr(app, BUG_BOX, None)
        if box is not None:
            box.close()
            delattr(app, BUG_BOX)


@pytest.mark.qt_no_exception_capture
def test_quit_ends_the_app_even_if_saving_the_layout_breaks(qtbot, qloop, monkeypatch):
    """Checks app.run itself: with a settings save that fails in a way nobody foresaw (not
    an OSError), Quit still ends run() and the bug is reported, not swallowed. (SIGTERM in
    that case: app._close_on_termination closes in a try/finally; a real process is needed
    for a signal, and the real-process tests above send it.)"""
    bugs: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _kind, error, _tb: bugs.append(error))
    qloop.set_exception_handler(lambda _loop, context: bugs.append(context.get("exception")))

    def broken_save(_store, _prefs):
        raise ValueError("a save that breaks unexpectedly")

    monkeypatch.setattr(SettingsStore, "save", broken_save)
    paths = app_paths()
    settings = SettingsStore(paths.settings_file)
    running = qloop.create_task(
        run(paths, settings, settings.load(), time.monotonic(), paths.ensure())
    )
    window = qtbot.waitUntil(lambda: _main_window() is not None) or _main_window()
    qtbot.waitExposed(window)

    window.findChild(QAction, "quit").trigger()
    qtbot.waitUntil(running.done, timeout=10_000)
    gc.unfreeze()

    assert running.exception() is None
    assert any(isinstance(bug, ValueError) for bug in bugs)


def _main_window() -> MainWindow | None:
    """The window run() shows (an earlier test's may still exist, hidden)."""
    shown = (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    return next((w for w in shown if w.isVisible()), None)
