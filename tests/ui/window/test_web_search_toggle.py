"""The web search toggle through the whole window: disabled with a reason for a model that
cannot search, on for the new chat's first message (stored with its conversation), and the
reply's sources listed under it."""

from __future__ import annotations

from PySide6.QtGui import QAction

from tests.providers.conftest import TEST_KEY
from tests.wire_formats import ModelSpec
from tests.wire_script import WireSource


def _action(app) -> QAction:
    found = app.window.findChild(QAction, "webSearch")
    assert found is not None
    return found


def test_a_model_that_cannot_search_has_the_toggle_disabled_with_why(app):
    action = _action(app)
    assert not action.isEnabled() and not action.isChecked()
    assert "cannot search the web" in action.toolTip()
    assert action in app.window.menuBar().actions()[1].menu().actions()  # Edit
    app.window.panel.web_search.setChecked(True)  # the side panel's switch asks the same
    assert not action.isChecked() and not app.window.panel.web_search.isChecked()


def test_claude_searches_from_the_next_message_and_lists_its_sources(make_app, wire_server):
    wire_server.models = [ModelSpec("claude-sonnet-4-5", owned_by="anthropic")]
    wire_server.reply.text = "Rain on Tuesday [1]."
    wire_server.reply.sources = (WireSource("https://example.org/rain", "Rain in Paris"),)
    wire_server.reply.web_searches = 1
    app = make_app(
        keys={"anthropic": TEST_KEY}, last_provider="anthropic", last_model="claude-sonnet-4-5"
    )
    toggle = app.window.web_search
    assert toggle.can_search()  # the model typed in the bar; its list arrives meanwhile
    # The list is fetched at start, once the SDK is imported and warmed up in a thread:
    # seconds on a busy machine, so the wait is generous (as make_app's own).
    picker = app.window.picker
    app.qtbot.waitUntil(lambda: len(picker.models().models) == 1, timeout=60_000)
    app.settle()
    changes: list[bool] = []
    toggle.changed.connect(changes.append)
    app.window.panel.web_search.setChecked(True)  # as the composer's globe, the menu, the keys
    assert _action(app).isChecked() and changes == [True]
    assert app.window.composer.web_toggle.isChecked()  # shown in both places

    app.send("Will it rain in Paris?")
    app.wait_reply_done()
    app.wait_text("Rain in Paris · https://example.org/rain")
    assert wire_server.last_request.body["tools"][0]["name"] == "web_search"
    conversation_id = app.window.conversation_id
    app.settle()
    assert app.store.get_conversation(conversation_id).web_search is True
    stored = app.store.thread(conversation_id).messages[-1]
    assert [source.title for source in stored.web_search.sources] == ["Rain in Paris"]

    toggle.set_on(False)
    assert not _action(app).isChecked()
    app.settle()
    assert app.store.get_conversation(conversation_id).web_search is False
