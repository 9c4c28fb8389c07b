"""The first moments: the window shows before the conversation list, the drafts and the
person's place are read (DESIGN.md P1). What the person does meanwhile (a new chat, the
search, a conversation opened, something typed) stays on screen when the read arrives: they
are not taken back to the conversation open at the last quit.

The history's read worker is held (a read that waits on an event the test sets), as on a
slow disk: every read behind it (the list, the drafts) waits, the store itself untouched."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from desktopchat.system.paths import app_paths
from desktopchat.system.settings import PLACE_FIELDS, SettingsStore
from desktopchat.ui.sidebar.conversation_model import HEADER_ROLE


def last_run(make_app) -> tuple[dict, int, int]:
    """A run that made "Other question", then "First question", left "older draft" in the
    new chat, and quit with "First question" open: the place the next start reads, and the
    two conversations' ids."""
    app = make_app()
    app.send("Other question")
    app.wait_reply_done()
    other = app.window.conversation_id
    app.window.show_new_chat()
    app.send("First question")
    app.wait_reply_done()
    first = app.window.conversation_id
    app.window.show_new_chat()
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, "older draft")
    app.open_conversation("First question")
    app.quit()
    prefs = SettingsStore(app_paths().settings_file).load()
    assert prefs.open_conversation == first
    return {name: getattr(prefs, name) for name in PLACE_FIELDS}, first, other


@contextmanager
def reads_held(app) -> Iterator[asyncio.Task]:
    """The list and the place are read behind a held read; the block acts meanwhile, and
    the read goes on when it ends. Gives the running load_conversations (app.run's)."""
    gate = threading.Event()
    loop = asyncio.get_event_loop()
    held = loop.create_task(app.services.history.read(gate.wait))
    loading = loop.create_task(app.window.load_conversations())
    try:
        app.qtbot.wait(50)  # the list's read is queued behind the held one
        assert not loading.done()
        yield loading
    finally:
        gate.set()
    app.qtbot.waitUntil(lambda: held.done() and loading.done(), timeout=5000)
    assert loading.exception() is None
    app.settle()


def test_ctrl_n_before_the_list_is_read_stays_in_the_new_chat(make_app):
    place, first, other = last_run(make_app)
    again = make_app(load=False, **place)
    with reads_held(again):
        again.qtbot.keyClick(again.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert again.window.conversation_id is None
    assert again.view_text() == ""
    assert again.composer.toPlainText() == "older draft"  # the new chat's, read meanwhile
    assert sorted(again.sidebar_titles()) == ["First question", "Other question"]
    again.send(" and more")
    assert again.window.conversation_id not in (first, other, None)


def test_ctrl_k_before_the_list_is_read_keeps_the_search(make_app):
    place, _first, other = last_run(make_app)
    again = make_app(load=False, **place)
    search = again.window.findChild(QLineEdit, "conversationSearch")
    if again.window.sidebar.is_folded():  # the restored window is narrow: the search shows
        again.window.sidebar_fold.toggle()
    with reads_held(again):
        again.qtbot.keyClick(again.window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        assert search.hasFocus()
    assert again.window.conversation_id is None
    assert QApplication.focusWidget() is search  # the keys still go to the search
    again.qtbot.keyClicks(search, "Other")
    results = again.window.sidebar.findChild(type(again.conversation_list), "searchResultsList")
    again.qtbot.waitUntil(lambda: results.isVisible() and results.model().rowCount() == 1)
    again.qtbot.keyClick(search, Qt.Key.Key_Down)
    again.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    again.qtbot.waitUntil(lambda: again.window.conversation_id == other, timeout=5000)


def test_enter_on_a_conversation_as_the_list_appears_opens_it(make_app):
    """The list is on screen a moment before the place is restored (the projects are read
    in between): Enter on a conversation then is where the person goes."""
    place, _first, other = last_run(make_app)
    again = make_app(load=False, **place)
    listing = again.conversation_list

    def enter_on_other() -> None:
        model = listing.model()
        rows = [model.index(row, 0) for row in range(model.rowCount())]
        wanted = [i for i in rows if i.data(HEADER_ROLE) is None and i.data() == "Other question"]
        if wanted and again.window.conversation_id is None:
            listing.setCurrentIndex(wanted[0])
            QTest.keyClick(listing, Qt.Key.Key_Return)

    listing.model().modelReset.connect(enter_on_other)
    loading = asyncio.get_event_loop().create_task(again.window.load_conversations())
    again.qtbot.waitUntil(loading.done, timeout=5000)
    listing.model().modelReset.disconnect(enter_on_other)
    again.settle()
    assert again.window.conversation_id == other
    again.wait_text("Other question")
    assert "First question" not in again.view_text()


def test_what_is_typed_before_the_history_is_read_is_kept(make_app):
    """A person who begins typing in the new chat meanwhile stays there with their text,
    even though another conversation was open at the last quit and the new chat had an
    older stored draft."""
    place, _first, _other = last_run(make_app)
    again = make_app(load=False, **place)
    with reads_held(again):
        again.composer.setFocus()
        again.qtbot.keyClicks(again.composer, "typed early")
    assert again.window.conversation_id is None
    assert again.composer.toPlainText() == "typed early"


def test_nothing_done_meanwhile_comes_back_to_the_conversation_open_at_quit(make_app):
    place, first, _other = last_run(make_app)
    again = make_app(load=False, **place)
    with reads_held(again):
        pass
    assert again.window.conversation_id == first
    again.wait_text("First question")
    assert again.composer.toPlainText() == ""
