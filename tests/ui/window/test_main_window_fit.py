"""The window fits: usable at 640 px, a status message never moves the composer, messages
expire and fit, the provider list says which providers are ready, the temperature shown is
the one sent, the title names the conversation."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QPoint, Qt
from PySide6.QtWidgets import QPushButton, QWidget

from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import ModelList
from desktopchat.ui.support.plain import plain_tooltip
from desktopchat.ui.window import status_line
from desktopchat.ui.window.layout import MIN_WIDTH


def inside_window(window, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (
        widget.isVisible() and top_left.x() >= 0 and top_left.x() + widget.width() <= window.width()
    )


def test_the_window_is_usable_at_640_px(app):
    app.window.resize(MIN_WIDTH, 600)
    app.qtbot.waitUntil(lambda: app.window.width() == MIN_WIDTH)
    assert app.window.minimumWidth() == MIN_WIDTH
    bar = app.window.model_bar
    app.qtbot.waitUntil(lambda: not bar._one_row)  # the temperature went to a second row
    for widget in (
        bar.provider_combo,
        bar.model_combo,
        bar.temperature_slider,
        bar.system_prompt_button,
        app.window.composer.findChild(QPushButton, "sendButton"),
    ):
        assert inside_window(app.window, widget), widget.objectName()
    app.send("Still works")
    app.wait_reply_done()
    app.window.resize(1000, 600)
    app.qtbot.waitUntil(lambda: bar._one_row)


def test_a_status_message_does_not_move_the_composer(app):
    composer = app.window.composer
    before = composer.mapTo(app.window, QPoint(0, 0))
    app.window.statusBar().showMessage("Something to say")
    app.qtbot.wait(50)
    assert composer.mapTo(app.window, QPoint(0, 0)) == before


def test_status_messages_expire_and_a_long_one_is_whole_in_the_tooltip(app, monkeypatch):
    """The reading pace is shortened (the message would stay 36 s): what is tested is that
    a message shown with no timeout expires, later for longer text, never how long."""
    monkeypatch.setattr(status_line, "MIN_SHOWN_MS", 100)
    monkeypatch.setattr(status_line, "MS_PER_CHARACTER", 2)
    bar = app.window.statusBar()
    long_text = "Could not load the model list: " + "a very long reason " * 30
    clock = QElapsedTimer()
    clock.start()
    bar.showMessage(long_text)  # no timeout given: it expires all the same
    assert bar.currentMessage().endswith("…")
    assert bar.full_message() == long_text
    assert bar.toolTip() == plain_tooltip(long_text)
    app.qtbot.waitUntil(lambda: bar.currentMessage() == "", timeout=10_000)
    # 2 ms a character: 1.2 s, well past the 100 ms minimum (Qt's timers may fire 5% early).
    assert clock.elapsed() >= 1000, "longer text stays longer"
    assert bar.full_message() == "" and bar.toolTip() == ""


def test_model_counts_are_proper_plurals(app):
    bar = app.window.model_bar
    assert bar.count_text(ModelList((ModelInfo("one"),), 1)) == "1 model available"
    assert bar.count_text(ModelList((ModelInfo("a"), ModelInfo("b")), 2)) == "2 models available"


def test_the_provider_list_marks_providers_with_a_key_and_local_ones(app):
    combo = app.window.model_bar.provider_combo
    combo.showPopup()  # the marks are worked out when the list is opened
    app.qtbot.waitUntil(
        lambda: all(not combo.itemIcon(row).isNull() for row in range(combo.count()))
    )
    combo.hidePopup()

    def tip(provider_id: str) -> str:
        return combo.itemData(combo.findData(provider_id), Qt.ItemDataRole.ToolTipRole)

    assert "OpenAI: a key is saved" in tip("openai")
    assert "Groq: no key yet (add one in Settings)" in tip("groq")
    assert "LM Studio runs on this computer: no key needed" in tip("lmstudio")


def test_switching_to_anthropic_lowers_the_temperature_shown_and_sent(app):
    bar = app.window.model_bar
    bar.temperature_slider.setValue(174)
    assert bar.temperature_value.text() == "1.74"
    app.send("Hello")
    app.wait_reply_done()
    bar.provider_combo.setCurrentIndex(bar.provider_combo.findData("anthropic"))
    assert bar.temperature_value.text() == "1.00"
    assert bar.temperature_slider.value() == bar.temperature_slider.maximum() == 100
    assert "Anthropic takes 0–1" in bar.temperature_slider.toolTip()
    assert bar.temperature_value.toolTip() == bar.temperature_slider.toolTip()
    app.qtbot.waitUntil(
        lambda: app.store.get_conversation(app.window.conversation_id).temperature == 1.0
    )


def test_the_title_names_the_conversation(app):
    assert app.window.windowTitle() == "DesktopChat"
    app.send("Plan a trip")
    app.wait_reply_done()
    assert app.window.windowTitle() == "Plan a trip — DesktopChat"
    app.window.show_new_chat()
    assert app.window.windowTitle() == "DesktopChat"
