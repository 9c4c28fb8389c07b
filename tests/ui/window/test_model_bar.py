"""The model bar: provider and model lists from the services, typed model ids, and a
temperature slider that fits the provider and model. First on its own, then in the window
against the wire server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt

from desktopchat.domain.presets import PRESETS, get_preset
from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import MAX_MODELS, ModelList, capped
from desktopchat.ui.support.plain import plain_tooltip
from desktopchat.ui.window.model_bar import ModelBar
from tests.wire_server import ModelSpec


@pytest.fixture
def bar(qtbot) -> ModelBar:
    widget = ModelBar()
    qtbot.addWidget(widget)
    widget.set_presets(PRESETS, "openai")
    return widget


def listed(*models: ModelInfo) -> ModelList:
    return ModelList(models, len(models))


def type_model(qtbot, bar: ModelBar, model: str) -> None:
    """Type a model id in the model box and press Enter."""
    edit = bar.model_combo.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, model)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_labels_are_shown_and_ids_are_reported(bar):
    bar.set_models(
        listed(ModelInfo("openai/gpt-x", name="GPT X"), ModelInfo("plain")), "openai/gpt-x"
    )
    assert bar.model_combo.currentText() == "GPT X"
    assert bar.current_model_id() == "openai/gpt-x"


def test_a_model_the_service_does_not_list_is_kept_as_typed(bar):
    bar.set_models(listed(ModelInfo("a"), ModelInfo("b")), "my-fine-tune")
    assert bar.current_model_id() == "my-fine-tune"


def test_showing_a_conversation_reports_nothing_back(bar, qtbot):
    bar.set_models(listed(ModelInfo("a"), ModelInfo("b")), "a")
    with qtbot.assertNotEmitted(bar.provider_changed), qtbot.assertNotEmitted(bar.model_changed):
        bar.set_selection("anthropic", "b", 0.3)
    assert (bar.provider_id(), bar.current_model_id(), bar.temperature()) == ("anthropic", "b", 0.3)
    assert bar.temperature_slider.value() == 30


def test_a_capped_list_says_so_and_filters_as_the_person_types(bar, qtbot):
    models = capped(ModelInfo(f"listed/model-{i:06d}") for i in range(MAX_MODELS + 2_000))
    bar.set_models(models, "")
    assert bar.model_combo.count() == MAX_MODELS
    note = f"Showing the first {QLocale().toString(MAX_MODELS)} of {QLocale().toString(7000)}"
    assert note in bar.model_combo.toolTip()
    assert bar.count_text(models).startswith(note)

    edit = bar.model_combo.lineEdit()
    edit.setFocus()
    qtbot.keyClicks(edit, "model-001")
    assert bar.model_combo.completer().completionCount() == 1_000
    qtbot.keyClicks(edit, "23")
    assert bar.model_combo.completer().completionCount() == 10


def test_the_same_list_again_only_selects(bar, qtbot):
    models = listed(ModelInfo("a"), ModelInfo("b"))
    bar.set_models(models, "a")
    with qtbot.assertNotEmitted(bar.model_combo.model().rowsInserted):
        bar.set_models(models, "b")
    assert bar.current_model_id() == "b"
    assert bar.model_combo.toolTip() == "Pick a model from the list, or type any model id"


def test_a_model_id_behind_a_name_is_an_escaped_tooltip(bar):
    bar.set_models(listed(ModelInfo("<b>id</b>", name="Friendly")), "<b>id</b>")
    tooltip = bar.model_combo.itemData(0, Qt.ItemDataRole.ToolTipRole)
    assert tooltip == plain_tooltip("<b>id</b>")
    assert "<b>" not in tooltip and "&lt;b&gt;id&lt;/b&gt;" in tooltip
    assert bar.current_model_id() == "<b>id</b>"


@pytest.mark.parametrize(
    ("provider_id", "maximum"), [("anthropic", 100), ("openai", 200), ("groq", 200)]
)
def test_the_temperature_range_fits_the_provider(bar, provider_id, maximum):
    bar.set_selection(provider_id, "some-model", None)
    assert bar.temperature_slider.maximum() == maximum
    assert bar.temperature_slider.isEnabled()


@pytest.mark.parametrize(
    ("provider_id", "model", "usable"),
    [
        ("openai", "o3", False),
        ("openai", "gpt-5", False),
        ("openai", "o4-mini", False),
        ("openai", "gpt-4o", True),
        ("openai", "gpt-5-chat-latest", True),
        ("anthropic", "o3", True),
    ],
)
def test_reasoning_models_disable_the_temperature(bar, qtbot, provider_id, model, usable):
    bar.set_selection(provider_id, None, None)
    with qtbot.waitSignal(bar.model_changed) as changed:
        type_model(qtbot, bar, model)
    assert changed.args == [model]
    assert bar.temperature_slider.isEnabled() is usable
    assert bar.temperature_reset.isEnabled() is usable


def test_moving_the_slider_reports_the_temperature_and_reset_clears_it(bar, qtbot):
    with qtbot.waitSignal(bar.temperature_changed) as moved:
        bar.temperature_slider.setValue(70)
    assert moved.args == [0.7]
    assert bar.temperature_value.text() == "0.70"
    with qtbot.waitSignal(bar.temperature_changed) as reset:
        bar.temperature_reset.click()
    assert reset.args == [None]
    assert bar.temperature() is None
    assert bar.temperature_value.text() == "default"


# In the window, against the wire server.


def combo_items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_switching_provider_fills_its_models_from_the_service(make_app):
    app = make_app(keys={"openai": "sk-test-openai-0123456789", "anthropic": "sk-ant-0123456789"})
    bar = app.window.model_bar
    app.qtbot.waitUntil(lambda: bar.model_combo.count() == 2, timeout=5000)
    app.server.models = [ModelSpec("claude-wire-1"), ModelSpec("claude-wire-2")]

    bar.provider_combo.setCurrentIndex(bar.provider_combo.findData("anthropic"))
    app.qtbot.waitUntil(
        lambda: combo_items(bar.model_combo) == ["claude-wire-1", "claude-wire-2"], timeout=5000
    )
    assert bar.current_model_id() == "claude-wire-1"
    assert bar.temperature_slider.maximum() == 100
    assert app.server.last_request.header("anthropic-version")

    app.send("Hello Claude")
    app.wait_text("Hello from the wire server.")
    app.wait_reply_done()
    request = app.server.last_request
    assert request.path == "/v1/messages"
    assert request.body["model"] == "claude-wire-1"
    conversation = app.store.get_conversation(app.window.conversation_id)
    assert (conversation.provider, conversation.model) == ("anthropic", "claude-wire-1")
    assert app.window.prefs.last_provider == "anthropic"


def test_a_typed_model_id_is_sent_and_stored(app):
    type_model(app.qtbot, app.window.model_bar, "my-own-model")
    app.send("Hello")
    app.wait_reply_done()
    assert app.server.last_request.body["model"] == "my-own-model"
    assert app.store.get_conversation(app.window.conversation_id).model == "my-own-model"


def test_the_temperature_is_sent_and_kept_with_the_conversation(app):
    app.window.model_bar.temperature_slider.setValue(35)
    app.send("Hello")
    app.wait_reply_done()
    assert app.server.last_request.body["temperature"] == 0.35
    conversation_id = app.window.conversation_id
    assert app.store.get_conversation(conversation_id).temperature == 0.35

    app.window.show_new_chat()
    app.window.model_bar.temperature_reset.click()
    app.open_conversation("Hello")
    assert app.window.model_bar.temperature() == 0.35
    assert app.window.model_bar.temperature_slider.value() == 35


def test_a_conversation_brings_back_its_provider_and_model(make_app):
    app = make_app(keys={"openai": "sk-test-openai-0123456789", "anthropic": "sk-ant-0123456789"})
    app.send("on openai")
    app.wait_reply_done()
    bar = app.window.model_bar
    app.window.show_new_chat()
    bar.provider_combo.setCurrentIndex(bar.provider_combo.findData("anthropic"))
    app.qtbot.waitUntil(lambda: bar.model_combo.count() == 2, timeout=5000)

    app.open_conversation("on openai")
    assert (bar.provider_id(), bar.current_model_id()) == ("openai", "wire-large")
    assert bar.temperature_slider.maximum() == 200


def test_reasoning_model_on_openai_disables_the_slider_in_the_window(app):
    bar = app.window.model_bar
    type_model(app.qtbot, bar, "o3")
    assert not bar.temperature_slider.isEnabled()
    type_model(app.qtbot, bar, "gpt-5")
    assert not bar.temperature_slider.isEnabled()
    type_model(app.qtbot, bar, "wire-large")
    assert bar.temperature_slider.isEnabled()
    assert get_preset("openai").temperature_max * 100 == bar.temperature_slider.maximum()


def test_a_model_read_from_the_cache_after_a_switch_can_be_sent_to_at_once(make_app):
    """The list of the provider switched to comes from the disk cache, in the background:
    the model it selects is the conversation's, and Enter sends rather than asking for one."""
    keys = {"openai": "sk-test-openai-0123456789", "anthropic": "sk-ant-0123456789"}
    first = make_app(keys=keys)
    bar = first.window.model_bar
    first.qtbot.waitUntil(lambda: bar.model_combo.count() == 2, timeout=20000)
    first.server.models = [ModelSpec("claude-wire-1")]
    bar.provider_combo.setCurrentIndex(bar.provider_combo.findData("anthropic"))
    first.qtbot.waitUntil(lambda: combo_items(bar.model_combo) == ["claude-wire-1"], timeout=20000)
    first.quit()

    app = make_app(keys=keys, last_provider="openai")  # a new start: the list is on disk only
    bar = app.window.model_bar
    app.qtbot.waitUntil(lambda: bar.model_combo.count() > 0, timeout=20000)
    bar.provider_combo.setCurrentIndex(bar.provider_combo.findData("anthropic"))
    app.qtbot.waitUntil(lambda: bar.current_model_id() == "claude-wire-1", timeout=20000)
    assert bar.missing_choice() is None
    app.send("Hello Claude")
    app.wait_reply_done(timeout=20000)
    assert app.server.last_request.body["model"] == "claude-wire-1"
    assert app.window.statusBar().currentMessage() != "Pick or type a model first"


def test_a_model_list_error_goes_when_the_provider_changes(app):
    bar = app.window.model_bar
    bar.provider_combo.setCurrentIndex(bar.provider_combo.findData("anthropic"))  # no key
    bar.refresh_button.click()
    app.qtbot.waitUntil(app.window.notices.isVisible, timeout=20000)
    assert "Could not load the model list" in app.window.notices.label.text()

    bar.provider_combo.setCurrentIndex(bar.provider_combo.findData("openai"))
    assert not app.window.notices.isVisible()
