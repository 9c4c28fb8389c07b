"""The person's place comes back (DESIGN.md §7): the open conversation, each conversation's
unsent draft, its scroll position, the sidebar's width and the window's geometry, after a
quit. (After a `kill -9`: tests/reliability/test_place_after_kill.py.)"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from desktopchat.domain.draft_merge import MARKER
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import PLACE_FIELDS, SettingsStore
from desktopchat.ui.window import drafts
from desktopchat.ui.window.drafts import NEW_CHAT_DRAFT


def saved_place() -> dict:
    """The window's place as the settings file holds it, as a restart reads it."""
    prefs = SettingsStore(app_paths().settings_file).load()
    return {name: getattr(prefs, name) for name in PLACE_FIELDS}


def stored_drafts(app) -> dict[int, str]:
    return {key: text for key, (text, _) in app.run(app.services.history.drafts()).items()}


def type_text(app, text: str) -> None:
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, text)


def test_quit_with_a_half_typed_message_brings_both_back(make_app):
    app = make_app()
    app.send("First question")
    app.wait_reply_done()
    conversation_id = app.window.conversation_id
    type_text(app, "half typed")
    app.qtbot.keyClick(app.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.waitUntil(lambda: not app.window.isVisible())
    app.quit()

    again = make_app(**saved_place())
    assert again.window.conversation_id == conversation_id
    assert again.composer.toPlainText() == "half typed"
    again.qtbot.waitUntil(lambda: "First question" in again.view_text())
    assert again.window.windowTitle() == "First question — DesktopChat"


def test_drafts_are_saved_as_they_are_typed(make_app):
    app = make_app()
    type_text(app, "a new chat's draft")
    app.qtbot.waitUntil(lambda: stored_drafts(app) == {NEW_CHAT_DRAFT: "a new chat's draft"})


def test_each_conversation_keeps_its_own_draft(make_app):
    app = make_app()
    app.send("first")
    app.wait_reply_done()
    first = app.window.conversation_id
    type_text(app, "draft for the first")
    app.window.show_new_chat()
    app.send("second")
    app.wait_reply_done()
    second = app.window.conversation_id
    type_text(app, "draft for the second")
    app.window.show_new_chat()
    type_text(app, "draft for a new chat")
    app.open_conversation("first")  # switching saves at once, without waiting
    assert stored_drafts(app) == {
        first: "draft for the first",
        second: "draft for the second",
        NEW_CHAT_DRAFT: "draft for a new chat",
    }
    assert app.composer.toPlainText() == "draft for the first"
    app.quit()

    again = make_app(**saved_place())
    assert again.window.conversation_id == first
    assert again.composer.toPlainText() == "draft for the first"
    again.open_conversation("second")
    assert again.composer.toPlainText() == "draft for the second"
    again.window.show_new_chat()
    assert again.composer.toPlainText() == "draft for a new chat"


def test_a_sent_draft_is_gone(make_app):
    app = make_app()
    type_text(app, "to be sent")
    app.qtbot.waitUntil(lambda: stored_drafts(app) == {NEW_CHAT_DRAFT: "to be sent"})
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Return)
    app.settle()
    app.wait_reply_done()
    app.qtbot.waitUntil(lambda: stored_drafts(app) == {})


def test_a_deleted_conversation_takes_its_draft_along(make_app):
    app = make_app()
    app.send("to delete")
    app.wait_reply_done()
    conversation_id = app.window.conversation_id
    type_text(app, "never sent")
    app.window.show_new_chat()
    assert stored_drafts(app) == {conversation_id: "never sent"}
    app.window.sidebar.delete_requested.emit([conversation_id])
    app.qtbot.waitUntil(lambda: stored_drafts(app) == {})


def test_window_geometry_splitter_and_scroll_come_back(make_app):
    app = make_app()
    app.send("\n".join(f"line {n}" for n in range(200)).replace("\n", " "))
    app.wait_reply_done()
    for n in range(6):
        app.send(f"question {n} " + "words " * 200)
        app.wait_reply_done()
    sidebar_width = 250
    app.window.splitter.setSizes([sidebar_width, app.window.width() - sidebar_width])
    app.window.resize(720, 600)  # the offscreen screen is 800 px wide
    app.qtbot.waitUntil(app.window.sidebar.is_folded)  # under 900 px it folds by itself
    bar = app.window.chat_view.verticalScrollBar()
    app.qtbot.waitUntil(lambda: bar.maximum() > 300)
    bar.setValue(bar.maximum() - 250)
    sizes = app.window.splitter.sizes()
    app.quit()

    place = saved_place()
    assert place["scroll_positions"] == {str(app.window.conversation_id): 250}
    again = make_app(**place)
    assert (again.window.width(), again.window.height()) == (720, 600)
    assert again.window.sidebar.is_folded() and again.window.splitter.sizes() == sizes
    again.window.sidebar_fold.toggle()
    assert again.window.splitter.sizes()[0] == sidebar_width, "unfolds as wide as it was"
    again_bar = again.window.chat_view.verticalScrollBar()
    again.qtbot.waitUntil(lambda: again_bar.maximum() - again_bar.value() == 250)


def test_the_place_is_saved_while_running_not_only_at_quit(make_app):
    """What a crash or a kill cannot wait for: the open conversation is in the settings
    file a moment after it is opened."""
    app = make_app()
    app.send("kept open")
    app.wait_reply_done()
    conversation_id = app.window.conversation_id
    app.qtbot.waitUntil(lambda: saved_place()["open_conversation"] == conversation_id)


def test_a_draft_keeps_its_attachments(make_app, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nsome facts\n", encoding="utf-8")
    app = make_app()
    type_text(app, "about these notes")
    app.window.composer.add_files([notes])
    app.qtbot.waitUntil(lambda: len(app.window.composer.attachments()) == 1)
    app.quit()

    again = make_app(**saved_place())
    assert again.composer.toPlainText() == "about these notes"
    [attachment] = again.window.composer.attachments()
    assert (attachment.name, attachment.text) == ("notes.md", "# Notes\n\nsome facts\n")


def test_the_place_at_quit_is_written_in_a_worker_and_waited_for(make_app, monkeypatch):
    """Quitting writes the place (an fsync) off the loop; shut_down waits for it."""
    writers: list[threading.Thread] = []
    save = SettingsStore.save

    def recording(self, *args, **kwargs):
        writers.append(threading.current_thread())
        return save(self, *args, **kwargs)

    app = make_app()
    app.send("kept open")
    app.wait_reply_done()
    conversation_id = app.window.conversation_id
    monkeypatch.setattr(SettingsStore, "save", recording)
    app.quit()
    assert writers and threading.main_thread() not in writers
    assert saved_place()["open_conversation"] == conversation_id


def test_a_draft_changed_in_another_window_is_taken_in_not_overwritten(make_app):
    """R8: another instance (a second store on the same file) changes the new chat's draft
    after this window read it; the next keystroke here keeps both texts, in the history
    and in the box, and says so."""
    app = make_app()
    type_text(app, "mine")
    app.qtbot.waitUntil(lambda: stored_drafts(app) == {NEW_CHAT_DRAFT: "mine"})
    db, problem = open_database(app_paths().database)
    assert problem is None
    other = ConversationStore(db)
    other.save_draft(NEW_CHAT_DRAFT, "typed in the other window").result(10)
    other.close()
    type_text(app, "!")
    both = "mine!" + MARKER + "typed in the other window"
    app.qtbot.waitUntil(lambda: app.composer.toPlainText() == both)
    app.qtbot.waitUntil(lambda: stored_drafts(app) == {NEW_CHAT_DRAFT: both})
    assert "changed in another DesktopChat window" in app.window.notices.label.text()


def test_a_draft_too_long_for_the_box_comes_back_as_a_text_attachment(make_app, monkeypatch):
    """A 50 MB draft took 9.4 s to put in the box: past DRAFT_EDIT_LIMIT it comes back as
    a text attachment, whole, and the person is told (the limit lowered for the test)."""
    monkeypatch.setattr(drafts, "DRAFT_EDIT_LIMIT", 5_000)
    make_app().quit()
    long_draft = "word " * 2_000
    db, problem = open_database(app_paths().database)  # as another instance left it
    assert problem is None
    other = ConversationStore(db)
    other.save_draft(NEW_CHAT_DRAFT, long_draft).result(10)
    other.close()

    again = make_app()
    again.qtbot.waitUntil(lambda: len(again.window.composer.attachments()) == 1)
    assert again.composer.toPlainText() == ""
    [attachment] = again.window.composer.attachments()
    assert (attachment.name, attachment.text) == ("Long draft.txt", long_draft)
    assert "This draft has 10" in again.window.notices.label.text()
    again.composer.setFocus()
    again.qtbot.keyClicks(again.composer, "!")
    again.window.switch.drafts.flush()
    again.qtbot.waitUntil(lambda: stored_drafts(again) == {NEW_CHAT_DRAFT: "!"})
