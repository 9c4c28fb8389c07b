"""Sync in the running app: set up in Settings → Sync, a second home's conversation shown
in the sidebar, the status line, a wrong passphrase said in a notice that leads back to
the tab and changes nothing, Stop and the next sync going on, and no secret in the files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktopchat.services.sync.names import PASSPHRASE_ACCOUNT
from desktopchat.sync.folder import FolderTransport
from tests.sync.homes import PASSPHRASE, Home
from tests.sync.processes import alive, sync_children
from tests.sync.test_merge import _conversation, _one_file_each
from tests.ui.conftest import TEST_KEY


@pytest.fixture
def other(tmp_path):
    """Another computer's home that already synced one conversation into `shared`."""
    shared = tmp_path / "Shared"
    shared.mkdir()
    home = Home(tmp_path / "other")
    _conversation(home, "From the laptop", "What is a tree?", "A plant with a trunk.")
    home.sync(FolderTransport(shared))
    yield home, shared
    home.close()


def _sync_tab(app):
    app.window.open_sync_settings()
    dialog = app.window.settings_link.dialog
    app.qtbot.waitUntil(lambda: dialog.sync_tab is not None, timeout=5000)
    app.settle()
    return dialog, dialog.sync_tab


def _set_up_folder(app, shared: Path, passphrase: str):
    dialog, tab = _sync_tab(app)
    tab.folder.click()
    tab.folder_path.setText(str(shared))
    tab.passphrase.setFocus()
    app.qtbot.keyClicks(tab.passphrase, passphrase)
    assert tab.joining.isChecked()
    tab.save.click()
    return dialog, tab


def _files(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_the_sync_tab_sets_up_a_folder_and_the_window_shows_what_came(
    make_app, other, english, memory_keyring
):
    home, shared = other
    app = make_app()
    link = app.window.sync_link
    dialog, tab = _set_up_folder(app, shared, PASSPHRASE)
    app.qtbot.waitUntil(lambda: link.last is not None and not link.running, timeout=20_000)
    app.settle()
    assert "From the laptop" in app.sidebar_titles()
    assert link.label.isVisible()
    assert link.label.text() == "Synced just now · 1 new conversation, 2 new messages"
    assert tab.last.text().startswith("Last successful sync: ")
    assert "It brought 1 new conversation, 2 new messages" in tab.last.text()
    assert not tab.problem.isVisible()
    # The passphrase is in the keychain once it opened the folder, never in the files.
    assert memory_keyring.passwords[("desktopchat", PASSPHRASE_ACCOUNT)] == PASSPHRASE
    assert tab.passphrase.text() == ""
    written = _files(shared)
    for secret in (PASSPHRASE, TEST_KEY, "What is a tree?", "From the laptop"):
        assert secret.encode() not in written
    # What this computer writes next reaches the other one through the same folder.
    app.window.show_new_chat()
    app.send("Hello from the desktop")
    app.wait_reply_done()
    dialog.close()
    app.window.menus.sync_now()
    app.qtbot.waitUntil(lambda: not link.running, timeout=20_000)
    app.qtbot.waitUntil(lambda: link.last.report.sent_messages >= 2, timeout=20_000)
    home.sync(FolderTransport(shared))
    titles = [title for title, _ in home.picture().values()]
    assert "From the laptop" in titles and len(titles) == 2


def test_a_wrong_passphrase_is_said_changes_nothing_and_leads_to_the_tab(
    make_app, other, english, memory_keyring
):
    _home, shared = other
    app = make_app()
    link = app.window.sync_link
    before = app.sidebar_titles()
    dialog, tab = _set_up_folder(app, shared, "not the passphrase")
    app.qtbot.waitUntil(lambda: link.problem != "" and not link.running, timeout=20_000)
    app.settle()
    notices = app.window.notices
    assert notices.isVisible() and notices.property("error")
    assert notices.label.text().startswith("This passphrase does not open the sync folder.")
    assert tab.problem.text().startswith("This passphrase does not open")
    assert app.sidebar_titles() == before
    assert ("desktopchat", PASSPHRASE_ACCOUNT) not in memory_keyring.passwords
    dialog.tabs.setCurrentIndex(0)
    dialog.close()
    notices.action.click()  # "Sync settings"
    assert dialog.isVisible() and dialog.tabs.currentWidget().layout().itemAt(0).widget() is tab
    # The right passphrase then works, and the notice goes.
    app.qtbot.keyClicks(tab.passphrase, PASSPHRASE)
    tab.save.click()
    app.qtbot.waitUntil(lambda: link.last is not None and not link.running, timeout=20_000)
    app.settle()
    assert "From the laptop" in app.sidebar_titles()
    assert not notices.isVisible()


def test_stop_keeps_what_was_read_and_the_next_sync_goes_on(make_app, other, english):
    home, shared = other
    app = make_app()
    link = app.window.sync_link
    _dialog, tab = _set_up_folder(app, shared, PASSPHRASE)
    app.qtbot.waitUntil(lambda: link.last is not None and not link.running, timeout=20_000)
    _one_file_each(home, shared, 3, "Later")
    link.sync_now()
    assert tab.stop.isVisible()
    tab.stop.click()  # before the first file: stopped with nothing read
    app.qtbot.waitUntil(lambda: not link.running, timeout=20_000)
    assert link.problem.startswith("Sync stopped.")
    assert app.window.statusBar().currentMessage().startswith("Sync stopped.")
    assert "Later 0" not in app.sidebar_titles()
    tab.sync_now.click()
    app.qtbot.waitUntil(lambda: not link.running, timeout=20_000)
    app.settle()
    assert {"Later 0", "Later 1", "Later 2"} <= set(app.sidebar_titles())
    assert link.last.report.received_conversations == 3


def test_sync_at_start_after_the_window_shows_and_the_draft_stays(make_app, other, english, qloop):
    home, shared = other
    app = make_app()
    link = app.window.sync_link
    _set_up_folder(app, shared, PASSPHRASE)
    app.qtbot.waitUntil(lambda: link.last is not None and not link.running, timeout=20_000)
    app.settle()
    app.open_conversation("From the laptop")
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, "half a thought")
    messages = home.store.add_message
    conversation = next(c for c in home.store.list_conversations())
    last = home.store.messages(conversation.id)[-1]
    from desktopchat.domain.types import Role

    messages(conversation.id, Role.USER, "And a bush?", parent_id=last.id).result(5)
    home.sync(FolderTransport(shared))
    started = qloop.create_task(link.begin())  # as app.run does after the window shows
    app.qtbot.waitUntil(started.done, timeout=5000)
    app.qtbot.waitUntil(lambda: "And a bush?" in app.view_text(), timeout=20_000)
    assert app.composer.toPlainText() == "half a thought"
    assert link.label.text().endswith("1 new message")
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Backspace)
    assert app.composer.toPlainText() == "half a though"


def test_a_missing_sync_folder_is_a_notice_until_read(make_app, other, english):
    import shutil

    _home, shared = other
    app = make_app()
    link = app.window.sync_link
    _set_up_folder(app, shared, PASSPHRASE)
    app.qtbot.waitUntil(lambda: link.last is not None and not link.running, timeout=20_000)
    app.window.settings_link.dialog.close()
    shutil.rmtree(shared)  # an unplugged drive
    app.window.menus.sync_now()
    app.qtbot.waitUntil(lambda: link.problem != "" and not link.running, timeout=20_000)
    notices = app.window.notices
    assert notices.isVisible() and notices.property("error")
    assert notices.label.text().startswith("The sync folder is not there")
    assert link.label.text().startswith("Synced")  # the last success is still said


def test_quitting_does_not_wait_for_a_server_that_hangs(make_app, english, memory_keyring):
    """A WebDAV server that never answers: the sync at quit is given up after the limit
    while the server still holds the request, so the quit goes on."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    release = threading.Event()
    asked = threading.Event()

    class Hanging(BaseHTTPRequestHandler):
        def do_PROPFIND(self):
            asked.set()
            release.wait(30)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hanging)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        app = make_app()
        link = app.window.sync_link
        _dialog, tab = _sync_tab(app)
        tab.webdav.click()
        tab.url.setText(f"http://127.0.0.1:{server.server_address[1]}/dav/")
        tab.user.setText("me")
        tab.password.setText("app-token-1234")
        app.qtbot.keyClicks(tab.passphrase, PASSPHRASE)
        tab.starting.click()
        tab.save.click()
        app.qtbot.waitUntil(asked.is_set, timeout=10_000)
        assert link.running
        assert (
            memory_keyring.passwords[
                ("desktopchat", f"webdav:me@http://127.0.0.1:{server.server_address[1]}/dav/")
            ]
            == "app-token-1234"
        )
        children = sync_children(os.getpid())
        assert len(children) == 1  # the sync process, waiting on the server
        (child,) = children
        for seen in (f"/proc/{child}/cmdline", f"/proc/{child}/environ"):  # what ps shows
            shown = Path(seen).read_bytes()
            assert PASSPHRASE.encode() not in shown and b"app-token-1234" not in shown
        app.run(link.at_quit(0.5), timeout=10_000)
        assert not release.is_set()  # the server still holds the request: nobody waited
        # The process was killed (crash-safe: journaled), not left behind.
        app.qtbot.waitUntil(lambda: not any(alive(pid) for pid in children), timeout=5000)
        assert not link.running
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_an_address_with_a_login_in_it_is_refused_and_not_echoed(make_app, english):
    app = make_app()
    _dialog, tab = _sync_tab(app)
    tab.webdav.click()
    tab.url.setText("https://me:hunter2-secret@cloud.example.org/dav/")
    tab.user.setText("me")
    app.qtbot.keyClicks(tab.passphrase, PASSPHRASE)
    tab.save.click()
    app.qtbot.waitUntil(tab.problem.isVisible, timeout=5000)
    assert tab.problem.text().startswith("This WebDAV address is refused")
    assert "hunter2" not in tab.problem.text()
    assert app.window.sync_link.setup is None or app.window.sync_link.setup.target is None


def test_the_sync_processs_file_counts_reach_the_settings_tab(make_app, other, english):
    home, shared = other
    _one_file_each(home, shared, 4, "Later")
    app = make_app()
    link, shown = app.window.sync_link, []
    _dialog, tab = _set_up_folder(app, shared, PASSPHRASE)
    # After the tab's own slot (the counts come later, from the process): what it shows.
    link.files_read.connect(lambda _done, _total: shown.append(tab.progress.format()))
    app.qtbot.waitUntil(lambda: link.last is not None and not link.running, timeout=20_000)
    assert shown[0] == "0 of 5 files" and shown[-1] == "5 of 5 files"


def test_a_sync_process_that_dies_is_said_and_loses_nothing(make_app, other, english):
    import signal

    home, shared = other
    _one_file_each(home, shared, 40, "Later")
    app, killed = make_app(), []

    def kill(_done: int, _total: int) -> None:
        for pid in sync_children(os.getpid()) if not killed else ():
            os.kill(pid, signal.SIGKILL)  # a crash while it reads and applies files
            killed.append(pid)

    link = app.window.sync_link
    link.files_read.connect(kill)
    _set_up_folder(app, shared, PASSPHRASE)
    app.qtbot.waitUntil(lambda: link.problem != "" and not link.running, timeout=20_000)
    assert killed
    notices = app.window.notices
    assert notices.isVisible() and notices.property("error")
    assert notices.label.text().startswith("The sync ended unexpectedly")
    assert "Nothing was lost" in notices.label.text()
    # The passphrase is kept once a sync succeeds with it: given again, as the tab would.
    link.sync_now(PASSPHRASE)
    app.qtbot.waitUntil(lambda: link.last is not None and not link.running, timeout=20_000)
    app.settle()
    assert not notices.isVisible()
    expected = {title for title, _ in home.picture().values()}
    assert len(expected) == 41 and expected <= set(app.sidebar_titles())
