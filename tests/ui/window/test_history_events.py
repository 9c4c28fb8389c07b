"""The window follows the history's changes (ui/window/history_events.py): a change made
through a service, with no refresh called by hand, reaches the sidebar's row, the titles,
the open conversation (its draft kept) and the list read again."""

from __future__ import annotations

from desktopchat.services.history_changes import EVERYTHING
from tests.ui.window.test_main_window_sidebar import highlighted, seed


def test_a_rename_made_elsewhere_reaches_the_row_and_the_titles(make_app):
    shown, other = seed(("Shown", ["a"]), ("Other", ["b"]))
    app = make_app()
    app.open_conversation("Shown")
    app.window.history.change_conversation(shown, title="Renamed")
    app.qtbot.waitUntil(lambda: "Renamed" in app.sidebar_titles())
    assert "Shown" not in app.sidebar_titles()
    assert app.window.windowTitle().startswith("Renamed")
    assert highlighted(app) == [shown]
    app.window.history.delete(other)
    assert app.sidebar_titles() == ["Renamed"], "a row deleted leaves at once"


def test_messages_deleted_elsewhere_are_shown_gone_and_the_draft_stays(make_app):
    [shown] = seed(("Shown", ["first question", "first answer", "second question"]))
    app = make_app()
    app.open_conversation("Shown")
    app.wait_text("second question")
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, "half a thought")
    answer = app.store.messages(shown)[1]
    app.window.tasks.spawn(app.window.history.delete_from(shown, answer.id))
    app.qtbot.waitUntil(lambda: "first answer" not in app.view_text())
    assert "first question" in app.view_text() and "second question" not in app.view_text()
    assert app.composer.toPlainText() == "half a thought"


def test_everything_changed_reads_the_list_again(make_app):
    seed(("Here", ["a"]))
    app = make_app()
    app.store.create_conversation(title="From another window").result()
    assert "From another window" not in app.sidebar_titles()
    app.window.history.announce(EVERYTHING)
    app.qtbot.waitUntil(lambda: "From another window" in app.sidebar_titles())
