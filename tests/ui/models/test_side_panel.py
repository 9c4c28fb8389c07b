"""The side panel of the conversation's settings (Ctrl+., remembered): temperature in the
provider's range with a number field, the tools and web search switches kept per
conversation, the system prompt; and the header, one row that never moves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from desktopchat.domain.presets import get_preset
from desktopchat.system.mcp_config import ServerConfig
from desktopchat.system.settings import switches_of
from desktopchat.ui.models.options import ConversationPanel
from tests.ui.models.picking import pick


@pytest.fixture
def panel(qtbot) -> ConversationPanel:
    widget = ConversationPanel()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize(("provider_id", "maximum"), [("anthropic", 1.0), ("openai", 2.0)])
def test_the_temperature_range_fits_the_provider(panel, provider_id, maximum):
    panel.set_temperature_range(get_preset(provider_id), usable=True)
    assert panel.slider.maximum() == maximum * 100 and panel.number.maximum() == maximum
    assert f"takes 0–{maximum:g}" in panel.slider.toolTip()


def test_slider_number_and_reset_report_the_same_temperature(panel, qtbot):
    with qtbot.waitSignal(panel.changed) as moved:
        panel.slider.setValue(70)
    assert moved.args == [{"temperature": 0.7}] and panel.number.value() == 0.7
    with qtbot.waitSignal(panel.changed) as typed:
        panel.number.setValue(0.35)
    assert typed.args == [{"temperature": 0.35}] and panel.slider.value() == 35
    with qtbot.waitSignal(panel.changed) as reset:
        panel.reset.click()
    assert reset.args == [{"temperature": None}] and panel.number.text() == "Default"


def test_a_temperature_above_the_range_is_lowered(panel):
    panel.set_temperature(1.74)
    assert panel.set_temperature_range(get_preset("anthropic"), usable=True)
    assert panel.temperature() == 1.0 and panel.slider.value() == 100


def test_reasoning_models_disable_the_temperature_in_the_window(app):
    panel = app.window.panel
    pick(app.qtbot, app.window.picker, "o3")
    assert not panel.slider.isEnabled() and not panel.number.isEnabled()
    pick(app.qtbot, app.window.picker, "wire-large")
    assert panel.slider.isEnabled()


def test_the_temperature_is_sent_and_kept_with_the_conversation(app):
    app.window.panel.slider.setValue(35)
    app.send("Hello")
    app.wait_reply_done()
    assert app.server.last_request.body["temperature"] == 0.35
    conversation_id = app.window.conversation_id
    assert app.store.get_conversation(conversation_id).temperature == 0.35
    app.window.show_new_chat()
    assert app.window.panel.temperature() is None
    app.open_conversation("Hello")
    assert app.window.panel.temperature() == 0.35 and app.window.panel.slider.value() == 35


def test_ctrl_period_toggles_the_panel_and_it_is_remembered(app):
    window = app.window
    assert not window.panel.isVisible()
    header_before = window.header.geometry()
    app.qtbot.keyClick(window, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.waitUntil(window.panel.isVisible)
    assert window.prefs.side_panel and window.system_prompt.hasFocus()
    assert window.header.geometry() == header_before, "the header does not move"
    app.qtbot.keyClick(window, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.waitUntil(lambda: not window.panel.isVisible())
    assert not window.prefs.side_panel


def test_the_switches_are_kept_per_conversation_and_shown_twice(app):
    window = app.window
    server = ServerConfig(name="gone", command="no-such-program-anywhere")
    app.run(app.services.tools().save_server(server))  # a tools switch needs a server
    window.composer.tools_toggle.click()
    assert not window.panel.tools.isChecked()
    app.send("Without tools")
    app.wait_reply_done()
    first = window.conversation_id
    assert switches_of(window.prefs, first)["tools"] is False
    window.show_new_chat()
    assert window.composer.tools_toggle.isChecked()
    app.open_conversation("Without tools")
    assert not window.composer.tools_toggle.isChecked() and not window.panel.tools.isChecked()


def test_web_search_is_asked_of_the_conversation_and_refused_where_the_model_cannot(app):
    """The web switches are the conversation's own choice (stored with it, synced): a model
    that cannot search refuses it, and both switches show that."""
    window = app.window
    window.composer.web_toggle.click()
    assert not window.panel.web_search.isChecked()
    assert not window.composer.web_toggle.isChecked()
    assert not window.web_search.on


def test_a_system_prompt_marks_the_button_without_moving_the_header(app):
    window = app.window
    button = window.header.panel_button
    before = (button.geometry(), window.picker.geometry())
    window.system_prompt.setPlainText("Be brief.")
    app.qtbot.wait(10)
    assert "has a system prompt" in button.toolTip()
    assert (button.geometry(), window.picker.geometry()) == before


@pytest.mark.parametrize(
    ("width", "folded"), [(640, True), (640, False), (1100, False), (1100, True), (1600, False)]
)
def test_the_header_is_one_row_at_every_width(app, width, folded):
    """With the sidebar folded to its rail or open (Ctrl+B also opens it in a 640 px window,
    where it folds by itself)."""
    window = app.window
    window.resize(width, 700)
    app.qtbot.waitUntil(lambda: window.width() == width)
    if window.sidebar.is_folded() != folded:
        window.sidebar_fold.toggle()
    app.qtbot.waitUntil(lambda: window.sidebar.is_folded() == folded)
    app.send("A title long enough to be cut with an ellipsis in a narrow window, surely")
    app.wait_reply_done()
    header = window.header
    parts = (header.title, window.picker, header.panel_button)
    middles = {part.mapTo(window, QPoint(0, part.height() // 2)).y() for part in parts}
    assert max(middles) - min(middles) <= 2, "one row"
    for part in parts:
        left = part.mapTo(window, QPoint(0, 0)).x()
        assert part.isVisible() and left >= 0 and left + part.width() <= window.width()
    assert header.title.title().startswith("A title long")


def test_the_open_panel_fits_a_640_px_window(app):
    window = app.window
    window.resize(640, 700)
    app.qtbot.waitUntil(lambda: window.width() == 640)
    window.header.panel_button.click()

    def fits(part) -> bool:
        left = part.mapTo(window, QPoint(0, 0)).x()
        return part.isVisible() and left >= 0 and left + part.width() <= window.width()

    app.qtbot.waitUntil(lambda: fits(window.panel))  # the sidebar gives way, laid out
    assert fits(window.composer.card) and fits(window.header.panel_button)


def test_a_new_chats_longest_answer_goes_with_its_first_message(app):
    panel = app.window.panel
    panel.max_tokens.setValue(777)
    panel.max_tokens.editingFinished.emit()
    app.send("Short please")
    app.wait_reply_done()
    assert app.server.last_request.body["max_tokens"] == 777
    assert app.store.get_conversation(app.window.conversation_id).max_tokens == 777
    app.window.show_new_chat()
    assert panel.max_tokens.value() == 0, "a new chat starts from the defaults"
