"""The context meter, the generation options and View → Usage in the real window, against
the wire server."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTableWidget

from desktopchat.ui.composer.context_meter import ContextMeter
from desktopchat.ui.library.usage_view import UsageDialog
from tests.ui.models.picking import pick
from tests.wire_formats import ModelSpec


def meter(app) -> ContextMeter:
    return app.window.findChild(ContextMeter, "contextMeter")


def test_the_meter_shows_the_estimate_against_the_window(app):
    app.send("Hello there")
    app.wait_text("Hello from the wire server.")
    app.wait_reply_done()
    shown = meter(app)
    app.qtbot.waitUntil(shown.isVisible, timeout=5000)
    assert "128" in shown.text() and "(estimate)" in shown.text()
    assert not shown.offers_ways_out()


def small_window_app(make_app, wire_server):
    wire_server.models = [ModelSpec("wire-large", context_length=300), ModelSpec("wire-small")]
    app = make_app(max_tokens=10)
    wire_server.reply.text = "r" * 300
    wire_server.reply.usage = "never"
    for question in ("first " + "x" * 300, "second " + "y" * 300):
        app.send(question)
        app.wait_reply_done()
    return app


def test_leaving_out_the_oldest_turns_from_the_meter(make_app, wire_server):
    app = small_window_app(make_app, wire_server)
    app.qtbot.waitUntil(meter(app).offers_ways_out, timeout=5000)
    assert "may not fit" in meter(app).text()
    meter(app).leave_out_action.trigger()
    conversation_id = app.window.conversation_id
    app.qtbot.waitUntil(
        lambda: any(m.left_out for m in app.store.thread(conversation_id).messages),
        timeout=5000,
    )
    app.send("third")
    app.wait_reply_done()
    sent = [m["content"] for m in wire_server.last_request.body["messages"]]
    assert not any(text.startswith("first") for text in sent)


def test_summarise_and_continue_opens_the_new_conversation(make_app, wire_server):
    app = small_window_app(make_app, wire_server)
    old = app.window.conversation_id
    app.qtbot.waitUntil(meter(app).offers_ways_out, timeout=5000)
    wire_server.reply.text = "We spoke of x and y."
    meter(app).summarise_action.trigger()
    app.qtbot.waitUntil(lambda: app.window.conversation_id != old, timeout=5000)
    continued = app.store.get_conversation(app.window.conversation_id)
    assert continued.continues == old
    app.wait_text("We spoke of x and y.")
    assert "Summarise our conversation “first" in app.view_text(), "the summary is seen"
    assert continued.system_prompt == "", "not hidden in the system prompt"


def test_reasoning_effort_is_offered_for_a_reasoning_model_and_stored(app):
    app.send("Hi")
    app.wait_reply_done()
    options = app.window.panel
    assert not options.offers(options.effort) and options.offers(options.max_tokens)
    pick(app.qtbot, app.window.picker, "o3")
    app.qtbot.waitUntil(lambda: options.offers(options.effort), timeout=5000)
    assert not options.offers(options.thinking)
    options.effort.setCurrentIndex(options.effort.findData("high"))
    conversation_id = app.window.conversation_id
    app.qtbot.waitUntil(
        lambda: app.store.get_conversation(conversation_id).reasoning_effort == "high",
        timeout=5000,
    )


def test_the_usage_view_lists_models_and_says_unknown_costs(app):
    app.send("Hi")
    app.wait_reply_done()
    app.window.findChild(type(app.window.menus.stop_action), "usage").trigger()
    dialog = app.window.findChild(UsageDialog)
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    table = dialog.findChild(QTableWidget, "usageTable")
    app.qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5000)
    cells = [table.item(0, column).text() for column in range(table.columnCount())]
    assert cells[:3] == ["OpenAI", "wire-large", "1"], "the name people know, not the id"
    assert cells[-1] == "unknown"
    table.selectRow(0)
    assert "unknown" in dialog.price_label.text()
    dialog.input_price.setValue(1.0)
    dialog.output_price.setValue(2.0)
    dialog.save_price.click()
    app.qtbot.waitUntil(lambda: "your correction" in dialog.price_label.text(), timeout=5000)
    dialog.close()
