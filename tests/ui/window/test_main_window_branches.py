"""Branches in the window: regenerate, walk back with ‹, delete explicitly (asked first),
and a search hit in a branch not shown opens that branch."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def _regenerated(app) -> None:
    app.server.reply.text = "First answer."
    app.send("Tell me something")
    app.wait_reply_done()
    app.server.reply.text = "Second answer."
    app.click_link("Regenerate")
    app.wait_text("Second answer.")
    app.wait_reply_done()
    app.qtbot.waitUntil(lambda: "2/2" in app.view_text(), timeout=5000)


def test_previous_version_shows_the_first_answer_again(app):
    _regenerated(app)

    app.click_link("Previous version")

    app.wait_text("First answer.")
    assert "Second answer." not in app.view_text()
    assert "1/2" in app.view_text()


def test_delete_asks_then_removes_the_reply_and_shows_its_sibling(app):
    _regenerated(app)

    app.click_link("Delete this and what follows")
    box = app.window.findChild(QMessageBox, "deleteMessagesQuestion")
    app.qtbot.waitUntil(box.isVisible)
    box.button(QMessageBox.StandardButton.Yes).click()

    app.wait_text("First answer.")
    assert "Second answer." not in app.view_text()
    app.services.history.store.wait_written(5)
    texts = [m.text for m in app.store.messages(app.window.conversation_id)]
    assert texts == ["Tell me something", "First answer."]


def test_cancelling_the_delete_keeps_everything(app):
    _regenerated(app)

    app.click_link("Delete this and what follows")
    box = app.window.findChild(QMessageBox, "deleteMessagesQuestion")
    app.qtbot.waitUntil(box.isVisible)
    box.button(QMessageBox.StandardButton.Cancel).click()

    app.services.history.store.wait_written(5)
    assert len(app.store.messages(app.window.conversation_id)) == 3
    assert "Second answer." in app.view_text()


def test_a_search_hit_in_another_branch_opens_it(app):
    _regenerated(app)
    app.services.history.store.wait_written(5)
    hit = next(h for h in app.store.search("First answer") if h.message_id)

    app.window.sidebar.search_hit_activated.emit(
        hit.conversation_id, hit.message_id, "First answer"
    )

    app.wait_text("First answer.")
    assert "Second answer." not in app.view_text()
