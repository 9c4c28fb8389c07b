"""The window fits: usable at 640 px, a status message never moves the composer, messages
expire and fit, the temperature shown is the one sent, the title names the conversation."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QPoint
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QToolButton, QWidget

from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import ModelList
from desktopchat.ui.support.plain import plain_tooltip
from desktopchat.ui.window import status_line
from desktopchat.ui.window.layout import MIN_WIDTH
from tests.ui.models.picking import pick


def inside_window(window, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (
        widget.isVisible() and top_left.x() >= 0 and top_left.x() + widget.width() <= window.width()
    )


def test_the_window_is_usable_at_640_px(app):
    app.window.resize(MIN_WIDTH, 600)
    app.qtbot.waitUntil(lambda: app.window.width() == MIN_WIDTH)
    assert app.window.minimumWidth() == MIN_WIDTH
    for widget in (
        app.window.picker,
        app.window.header.panel_button,
        app.window.composer.findChild(QPushButton, "sendButton"),
        app.window.composer.findChild(QToolButton, "attachButton"),
        app.window.composer.tools_toggle,
        app.window.composer.web_toggle,
    ):
        assert inside_window(app.window, widget), widget.objectName()
    editor = app.window.composer.findChild(QPlainTextEdit, "composer")
    hint = editor.placeholderText()
    assert hint == "Message… (Enter to send, Shift+Enter for a new line)", "whole at 640 px"
    assert editor.fontMetrics().horizontalAdvance(hint) <= editor.viewport().width()
    app.send("Still works")
    app.wait_reply_done()


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
    bar = app.window.picker
    assert bar.count_text(ModelList((ModelInfo("one"),), 1)) == "1 model available"
    assert bar.count_text(ModelList((ModelInfo("a"), ModelInfo("b")), 2)) == "2 models available"


def test_switching_to_anthropic_lowers_the_temperature_shown_and_sent(make_app):
    app = make_app(keys={"openai": "sk-test-openai-0123456789", "anthropic": "sk-ant-0123456789"})
    panel = app.window.panel
    panel.slider.setValue(174)
    assert panel.number.value() == 1.74
    app.send("Hello")
    app.wait_reply_done()
    pick(app.qtbot, app.window.picker, "wire-large", "anthropic")
    assert panel.number.value() == 1.0
    assert panel.slider.value() == panel.slider.maximum() == 100
    assert "Anthropic takes 0–1" in panel.slider.toolTip()
    assert panel.number.toolTip() == panel.slider.toolTip()
    app.qtbot.waitUntil(
        lambda: app.store.get_conversation(app.window.conversation_id).temperature == 1.0
    )


def test_the_title_names_the_conversation(app):
    assert app.window.windowTitle() == "DesktopChat"
    app.send("Plan a trip")
    app.wait_reply_done()
    assert app.window.windowTitle() == "Plan a trip — DesktopChat"
    assert app.window.header.title.title() == "Plan a trip"
    app.window.show_new_chat()
    assert app.window.windowTitle() == "DesktopChat"
