"""The person decides, through the window (issue 19 items 4, 5, 10): the real SDK against
the wire server scripting tool calls, a real stdio MCP server (tests/tools/servers/
echo_server.py) run by the app's tool service, and the person's clicks on the card in the
conversation."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from desktopchat.app.lifetime import _begin_tools
from desktopchat.domain.tool_calls import ToolCallStatus
from desktopchat.system.paths import app_paths
from desktopchat.ui.support.plain import PlainLabel
from tests.tools.helpers import echo_entry, settled, write_config
from tests.wire_script import Reply, WireToolCall

ECHO = WireToolCall("call_a", "echo__echo", '{"text": "héllo"}')
ADD = WireToolCall("call_b", "echo__add", '{"a": 2, "b": 3}')


@pytest.fixture
def tools_app(app):
    """The window with the echo server configured and running, no rule allowing it."""
    write_config(app_paths().config, {"echo": echo_entry()})
    app.run(_begin_tools(app.services, app_paths()))
    app.run(settled(app.services.tools(), "echo"), timeout=60_000)
    return app


def wait_card(app, count: int = 1):
    view = app.window.chat_view
    app.qtbot.waitUntil(lambda: len(view.tool_cards()) == count, timeout=30_000)
    cards = list(view.tool_cards().values())
    app.qtbot.waitUntil(lambda: all(card.isVisible() for card in cards), timeout=5000)
    return cards


def sent_messages(app, index: int = -1) -> str:
    return json.dumps(app.server.requests[index].body["messages"], ensure_ascii=False)


def stored_reply(app):
    return app.store.messages(app.window.conversation_id)[-1]


def test_allow_once_runs_the_tool_and_the_answer_follows_its_result(tools_app):
    app = tools_app
    app.server.replies.extend([Reply(text="Checking.", tool_calls=(ECHO,)), Reply(text=" Done.")])
    app.send("Echo please")
    (card,) = wait_card(app)
    # The card covers its room in the reply, whole (not one line high).
    assert card.height() == card.room
    for button in (card.once, card.conversation, card.always, card.deny):
        assert card.rect().contains(button.mapTo(card, button.rect().bottomRight()))
    # What the tool would get, plainly; the server's word shown as its word.
    assert card.arguments.toPlainText() == '{\n  "text": "héllo"\n}'
    assert card.arguments.isReadOnly()
    assert "only reads" in card.hints.text()
    title = card.findChild(PlainLabel, "toolApprovalTitle").text()
    assert "“echo”" in title and title.count("echo") == 2
    assert card.description.text() == "Say the text back."
    # No button is a default: Enter on the card allows nothing.
    assert not any(b.isDefault() or b.autoDefault() for b in card.findChildren(QPushButton))
    assert QApplication.focusWidget() is card.arguments
    app.qtbot.keyClick(card.arguments, Qt.Key.Key_Return)
    assert app.window.chat_view.tool_cards(), "Enter did not answer"
    # The card sits in the reply, after the text the model wrote before asking.
    assert "Checking." in app.view_text()
    app.qtbot.keyClick(card.arguments, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is card.once
    app.qtbot.keyClick(card.once, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is card.conversation
    app.qtbot.keyClick(card.conversation, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is card.once
    app.qtbot.keyClick(card.once, Qt.Key.Key_Space)  # Space presses the focused button
    app.wait_reply_done(timeout=30_000)
    assert not app.window.chat_view.tool_cards()
    assert QApplication.focusWidget() is app.composer, "the keyboard is back in the box"
    text = app.view_text()
    assert "⚙ echo · echo" in text and "✓" in text and "Checking. Done." not in text
    assert "Done." in text
    assert "héllo" in sent_messages(app)
    (call,) = stored_reply(app).tool_steps.calls()
    assert call.status is ToolCallStatus.DONE
    # Unfolded: the arguments and the result, plain.
    app.click_link("Show the tool call", occurrence=0)
    app.wait_text('"text": "héllo"')
    assert "Result" in app.view_text()


def test_deny_with_a_reason_reaches_the_model(tools_app):
    app = tools_app
    app.server.replies.extend([Reply(text="", tool_calls=(ECHO,)), Reply(text="Understood.")])
    app.send("Echo please")
    (card,) = wait_card(app)
    card.deny.click()
    assert card.reason.isVisible() and QApplication.focusWidget() is card.reason
    app.qtbot.keyClicks(card.reason, "not today")
    app.qtbot.keyClick(card.reason, Qt.Key.Key_Return)
    app.wait_reply_done(timeout=30_000)
    assert "not today" in sent_messages(app)
    assert "denied" in app.view_text() and "Understood." in app.view_text()
    (call,) = stored_reply(app).tool_steps.calls()
    assert call.status is ToolCallStatus.DENIED and call.reason == "not today"


def test_allow_for_this_conversation_runs_the_next_call_without_asking(tools_app):
    app = tools_app
    app.server.replies.extend(
        [
            Reply(text="", tool_calls=(ECHO,)),
            Reply(text="First."),
            Reply(text="", tool_calls=(WireToolCall("call_c", "echo__echo", '{"text": "x"}'),)),
            Reply(text="Second."),
        ]
    )
    app.send("Echo please")
    (card,) = wait_card(app)
    card.conversation.click()
    app.wait_reply_done(timeout=30_000)
    app.send("Again")
    app.wait_reply_done(timeout=30_000)
    assert "Second." in app.view_text()
    assert not app.window.chat_view.tool_cards()
    calls = stored_reply(app).tool_steps.calls()
    assert [c.status for c in calls] == [ToolCallStatus.DONE]


def test_always_allow_shows_in_settings_and_revoking_asks_again(tools_app):
    app = tools_app
    app.server.replies.extend(
        [Reply(text="", tool_calls=(ADD,)), Reply(text="Five."), Reply(text="", tool_calls=(ADD,))]
    )
    app.send("Add")
    (card,) = wait_card(app)
    card.always.click()
    app.wait_reply_done(timeout=30_000)
    app.window.open_settings()
    dialog = app.window.settings_link.dialog
    app.qtbot.waitUntil(dialog.isVisible, timeout=5000)
    tab = dialog.tools_tab
    dialog.tabs.setCurrentWidget(tab)
    app.qtbot.waitUntil(lambda: tab.rules.count() == 1, timeout=5000)
    assert tab.rules.item(0).text().startswith("echo · add")
    tab.rules.setCurrentRow(0)
    tab.revoke.click()
    app.qtbot.waitUntil(lambda: tab.rules.count() == 0, timeout=5000)
    dialog.reject()
    app.send("Add again")
    wait_card(app)
    app.window.stop_reply()
    app.wait_reply_done(timeout=30_000)


def test_stop_while_the_tool_runs_cancels_it(tools_app):
    app = tools_app
    sleep = WireToolCall("call_s", "echo__sleep", '{"seconds": 60}')
    app.server.replies.extend([Reply(text="Wait.", tool_calls=(sleep,))])
    app.send("Sleep")
    (card,) = wait_card(app)
    card.once.click()
    app.wait_text("running…", timeout=30_000)
    app.click_link("Stop")
    app.wait_reply_done(timeout=30_000)
    assert "stopped" in app.view_text()
    (call,) = stored_reply(app).tool_steps.calls()
    assert call.status is ToolCallStatus.CANCELLED


def test_a_question_survives_switching_away_and_back(tools_app):
    app = tools_app
    app.server.replies.extend([Reply(text="Checking.", tool_calls=(ECHO,)), Reply(text="Done.")])
    app.send("Echo please")
    wait_card(app)
    app.window.show_new_chat()
    app.settle()
    assert not app.window.chat_view.tool_cards()
    app.open_conversation("Echo please")
    (card,) = wait_card(app)
    assert "Checking." in app.view_text()
    card.once.click()
    app.wait_reply_done(timeout=30_000)
    assert "Done." in app.view_text()


def test_reloaded_replies_show_their_tool_blocks_and_run_nothing(tools_app):
    app = tools_app
    app.server.replies.extend(
        [Reply(text="Looking.", tool_calls=(ECHO, ADD)), Reply(text="Both done.")]
    )
    app.send("Both")
    cards = wait_card(app, 2)  # parallel calls: one card each
    for card in cards:
        card.once.click()
    app.wait_reply_done(timeout=30_000)
    requests = len(app.server.requests)
    app.window.show_new_chat()
    app.settle()
    app.open_conversation("Both")
    text = app.view_text()
    assert text.index("Looking.") < text.index("⚙ echo · echo") < text.index("Both done.")
    assert "⚙ echo · add" in text
    assert len(app.server.requests) == requests
    assert not app.window.chat_view.tool_cards()


def test_markup_from_the_server_and_the_tool_is_shown_as_written(tools_app):
    app = tools_app
    rich = WireToolCall("call_r", "echo__rich", "{}")
    app.server.replies.extend([Reply(text="", tool_calls=(rich,)), Reply(text="Ok.")])
    app.send("Rich")
    (card,) = wait_card(app)
    card.once.click()
    app.wait_reply_done(timeout=30_000)
    app.click_link("Show the tool call", occurrence=0)
    app.wait_text("<b>bold</b>")
    assert '<img src="http://example.com/x.png">' in app.view_text()
    assert '<a href="file:///etc/passwd">x</a>' in app.view_text()
    hrefs = []
    block = app.window.chat_view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            char_format = fragments.fragment().charFormat()
            if char_format.isAnchor():
                hrefs.append(char_format.anchorHref())
            if char_format.isImageFormat():
                hrefs.append(char_format.toImageFormat().name())
            fragments += 1
        block = block.next()
    assert not [h for h in hrefs if "example.com" in h or h.startswith("file:")], hrefs


def test_the_tools_switch_off_offers_no_tools_in_that_conversation(tools_app):
    """The composer's tools switch is the conversation's: off, the request carries none."""
    app = tools_app
    app.window.composer.tools_toggle.click()
    assert not app.window.panel.tools.isChecked()
    app.send("Without tools")
    app.wait_reply_done(timeout=30_000)
    assert "tools" not in app.server.requests[-1].body
    app.window.composer.tools_toggle.click()  # on again, for the next message
    app.send("With tools now")
    app.wait_reply_done(timeout=30_000)
    assert [t["function"]["name"] for t in app.server.requests[-1].body["tools"]][:1]
