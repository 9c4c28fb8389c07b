"""The model picker: one button, a popup searchable across providers, favourites and
recent models remembered, typed model ids. First on its own, then in the window against the
wire server."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QLocale, Qt

from desktopchat.domain.presets import PRESETS
from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import MAX_MODELS, ModelList, capped
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.models.picker_rows import RowKind
from desktopchat.ui.support.plain import plain_tooltip
from tests.ui.models.picking import pick
from tests.wire_server import ModelSpec


@dataclass
class Kept:
    favourite_models: list[list[str]] = field(default_factory=list)
    recent_models: list[list[str]] = field(default_factory=list)
    saves: int = 0


@pytest.fixture
def kept() -> Kept:
    return Kept()


@pytest.fixture
def picker(qtbot, kept) -> ModelPicker:
    def saved() -> None:
        kept.saves += 1

    widget = ModelPicker(kept, saved, lambda _p, _m: None)
    qtbot.addWidget(widget)
    widget.set_presets(PRESETS, "openai")
    widget.show()
    return widget


def listed(*models: ModelInfo) -> ModelList:
    return ModelList(models, len(models))


def last_chat(server):
    """The last chat request (the popup fetches model lists meanwhile)."""
    return [r for r in server.requests if r.path.endswith(("/chat/completions", "/messages"))][-1]


def test_the_button_names_provider_and_model_and_keeps_a_typed_one(picker):
    picker.set_models(listed(ModelInfo("a"), ModelInfo("b")), "my-fine-tune")
    assert picker.current_model_id() == "my-fine-tune"
    assert picker.current_model_info() is None
    picker.resize(600, picker.height())
    assert picker.text() == "OpenAI · my-fine-tune ▾"
    picker.resize(120, picker.height())
    assert "…" in picker.text() and picker.height() == picker.sizeHint().height()


def test_showing_a_conversation_reports_nothing_back(picker, qtbot):
    picker.set_models(listed(ModelInfo("a"), ModelInfo("b")), "a")
    with qtbot.assertNotEmitted(picker.chosen):
        picker.set_selection("anthropic", "b")
    assert (picker.provider_id(), picker.current_model_id()) == ("anthropic", "b")


def test_the_popup_filters_and_enter_picks_and_remembers_it(picker, qtbot, kept):
    picker.set_models(listed(ModelInfo("gpt-4o"), ModelInfo("o3"), ModelInfo("o4-mini")), "gpt-4o")
    with qtbot.waitSignal(picker.chosen) as chosen:
        pick(qtbot, picker, "o4-mini")
    assert chosen.args == ["openai", "o4-mini"]
    assert kept.recent_models == [["openai", "o4-mini"]] and kept.saves == 1
    picker.click()
    rows = picker.popup.rows.rows
    assert (rows[0].kind, rows[0].text) == (RowKind.HEADER, "Recent")
    assert rows[1].text == "OpenAI · o4-mini"
    qtbot.keyClick(picker.popup.search, Qt.Key.Key_Escape)
    assert not picker.popup.isVisible()


def test_ctrl_d_stars_a_favourite_which_comes_first(picker, qtbot, kept):
    picker.set_models(listed(ModelInfo("gpt-4o"), ModelInfo("o3")), "gpt-4o")
    picker.click()
    popup = picker.popup
    qtbot.keyClicks(popup.search, "o3")
    assert popup.current().model.id == "o3"
    qtbot.keyClick(popup.search, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert kept.favourite_models == [["openai", "o3"]]
    popup.search.clear()
    rows = popup.rows.rows
    assert [r.text for r in rows[:2]] == ["Favourites", "OpenAI · o3"] and rows[1].favourite
    qtbot.keyClicks(popup.search, "o3")
    qtbot.keyClick(popup.search, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert kept.favourite_models == []


def test_a_typed_id_is_offered_and_picked(picker, qtbot):
    picker.set_models(listed(ModelInfo("gpt-4o")), "gpt-4o")
    with qtbot.waitSignal(picker.chosen) as chosen:
        pick(qtbot, picker, "my-own-model")
    assert chosen.args == ["openai", "my-own-model"]


def test_a_capped_list_says_so_and_filters_as_the_person_types(picker, qtbot):
    models = capped(ModelInfo(f"listed/model-{i:06d}") for i in range(MAX_MODELS + 2_000))
    picker.set_models(models, "")
    note = f"Showing the first {QLocale().toString(MAX_MODELS)} of {QLocale().toString(7000)}"
    assert picker.count_text(models).startswith(note)
    picker.click()
    popup = picker.popup
    qtbot.keyClicks(popup.search, "model-00123")
    models_shown = [r for r in popup.rows.rows if r.kind is RowKind.MODEL]
    assert len(models_shown) == 10


def test_a_model_id_behind_a_name_is_an_escaped_tooltip(picker):
    picker.set_models(listed(ModelInfo("<b>id</b>", name="Friendly")), "<b>id</b>")
    picker.click()
    rows = picker.popup.rows
    number = next(n for n, r in enumerate(rows.rows) if r.kind is RowKind.MODEL)
    tooltip = rows.data(rows.index(number), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == plain_tooltip("<b>id</b>") and "<b>" not in tooltip
    assert rows.rows[number].text == "Friendly"


# In the window, against the wire server.


def test_picking_another_providers_model_fills_its_list_and_sends_to_it(make_app):
    app = make_app(keys={"openai": "sk-test-openai-0123456789", "anthropic": "sk-ant-0123456789"})
    picker = app.window.picker
    app.server.models = [ModelSpec("claude-wire-1"), ModelSpec("claude-wire-2")]
    pick(app.qtbot, picker, "claude-wire-2", "anthropic")
    assert (picker.provider_id(), picker.current_model_id()) == ("anthropic", "claude-wire-2")
    assert app.window.panel.slider.maximum() == 100
    assert "Model: Anthropic (claude-wire-2)" in picker.toolTip()

    app.send("Hello Claude")
    app.wait_text("Hello from the wire server.")
    app.wait_reply_done()
    request = last_chat(app.server)
    assert request.path == "/v1/messages" and request.body["model"] == "claude-wire-2"
    conversation = app.store.get_conversation(app.window.conversation_id)
    assert (conversation.provider, conversation.model) == ("anthropic", "claude-wire-2")
    assert app.window.prefs.last_provider == "anthropic"
    assert app.window.prefs.recent_models[0] == ["anthropic", "claude-wire-2"]


def test_a_typed_model_id_is_sent_and_stored(app):
    pick(app.qtbot, app.window.picker, "my-own-model")
    app.send("Hello")
    app.wait_reply_done()
    assert last_chat(app.server).body["model"] == "my-own-model"
    assert app.store.get_conversation(app.window.conversation_id).model == "my-own-model"


def test_a_conversation_brings_back_its_provider_and_model(make_app):
    app = make_app(keys={"openai": "sk-test-openai-0123456789", "anthropic": "sk-ant-0123456789"})
    app.send("on openai")
    app.wait_reply_done()
    picker = app.window.picker
    app.window.show_new_chat()
    pick(app.qtbot, picker, "wire-small", "anthropic")
    app.open_conversation("on openai")
    assert (picker.provider_id(), picker.current_model_id()) == ("openai", "wire-large")
    assert app.window.panel.slider.maximum() == 200


def test_a_provider_without_a_key_offers_to_add_one(app):
    picker = app.window.picker
    picker.click()
    popup = picker.popup
    app.qtbot.keyClicks(popup.search, "groq")
    app.qtbot.waitUntil(lambda: popup.current() is not None)
    app.qtbot.waitUntil(lambda: popup.current().kind is RowKind.ADD_KEY, timeout=10_000)
    texts = [r.text for r in popup.rows.rows if r.kind is RowKind.ADD_KEY]
    assert "Groq" in texts and "OpenAI" not in texts and "LM Studio" not in texts
    app.qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    dialog = app.window.settings_link.dialog
    app.qtbot.waitUntil(lambda: dialog is not None or app.window.settings_link.dialog)
    assert app.window.settings_link.dialog.isVisible()
    app.window.settings_link.dialog.close()


def test_a_model_read_from_the_cache_after_a_switch_can_be_sent_to_at_once(make_app):
    """Another provider's list comes from the disk cache, in the background: the model
    picked from it is the conversation's, and Enter sends rather than asking for one."""
    keys = {"openai": "sk-test-openai-0123456789", "anthropic": "sk-ant-0123456789"}
    first = make_app(keys=keys)
    first.server.models = [ModelSpec("claude-wire-1")]
    pick(first.qtbot, first.window.picker, "claude-wire-1", "anthropic")
    first.quit()

    app = make_app(keys=keys, last_provider="openai")  # a new start: the list is on disk only
    picker = app.window.picker
    pick(app.qtbot, picker, "claude-wire-1", "anthropic")
    assert picker.missing_choice() is None
    app.send("Hello Claude")
    app.wait_reply_done(timeout=20000)
    assert last_chat(app.server).body["model"] == "claude-wire-1"
    assert app.window.statusBar().currentMessage() != "Pick or type a model first"


def test_a_model_list_error_goes_when_the_provider_changes(make_app):
    app = make_app(keys={"openai": "sk-test-openai-0123456789"})
    picker = app.window.picker
    picker.set_selection("anthropic", "claude-x")  # no key: its list cannot load
    app.window.model_lists.refresh("anthropic")
    app.qtbot.waitUntil(app.window.notices.isVisible, timeout=20000)
    assert "Could not load the model list" in app.window.notices.label.text()
    pick(app.qtbot, picker, "wire-large", "openai")
    assert not app.window.notices.isVisible()
